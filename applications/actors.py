"""Who may take a step: named predicates `(user, application) -> bool`, each with the words the
"who holds the next step" panel uses for it. Views, templates, the API, django-fsm and the
services all ask these, never the role directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.jurisdiction import covers
from portal.models import Role


def is_applicant(user, application) -> bool:
    return user.pk == application.applicant_id


def is_hall_clerk(user, application) -> bool:
    return (
        user.role == Role.CLERK
        and application.service_hall_id is not None
        and application.service_hall_id == user.service_hall_id
    )


def is_area_engineer(user, application) -> bool:
    if user.role == Role.OPERATOR and user.is_staff:
        return True  # operators act for engineers from the admin
    return (
        user.role == Role.ENGINEER
        and user.division is not None
        and covers(user.division, application.supply_county_id)
    )


def is_current_holder(user, application) -> bool:
    return application.account is not None and application.account.holder_id == user.pk


def nobody(user, application) -> bool:
    return False


@dataclass(frozen=True)
class Actor:
    """A predicate with its name and the words for who holds the step."""

    predicate: Callable
    holder: Promise

    @property
    def __name__(self) -> str:  # named like the predicate it wraps
        return self.predicate.__name__

    def __call__(self, user, application) -> bool:
        return self.predicate(user, application)

    @property
    def system(self) -> bool:
        return self.predicate is nobody


def any_of(*predicates: Callable) -> Callable:
    def check(user, application) -> bool:
        return any(p(user, application) for p in predicates)

    check.__name__ = "_or_".join(p.__name__ for p in predicates)
    return check


APPLICANT = Actor(is_applicant, _("you"))
APPLICANT_OR_CLERK = Actor(
    any_of(is_applicant, is_hall_clerk), _("you (or the service-hall counter)")
)
APPLICANT_OR_ENGINEER = Actor(
    any_of(is_applicant, is_area_engineer), _("you or the utility's engineer")
)
ENGINEER = Actor(is_area_engineer, _("the utility's engineer"))
CURRENT_HOLDER = Actor(is_current_holder, _("the current account holder"))
SYSTEM = Actor(nobody, _("the government platform or the departments (automatic)"))
