"""The three kinds' state graphs (DESIGN section 3), with who may take each step.

Each kind is a proxy of `Application` carrying its transitions; the graph of a kind is the
transitions of its proxy class (the common front part is shared through `FrontPart`). The
transition methods are pure: they set fields on `self` and return; the services in
`applications/services/` lock, check permissions, save, write the timeline and queue side effects.

Steps whose actor is the system (record checks, permit roll-up, transfer routing) have no
permission predicate a person satisfies: the API refuses them to everyone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.utils import timezone
from django_fsm import RETURN_VALUE, transition

from portal.models import Role

from .models import Application, Kind, State

COMMITMENT_MAX_LINE_M = 150

# --- Permission predicates: (user, application) -> bool ---------------------------------------


def is_applicant(user, application: Application) -> bool:
    return user.pk == application.applicant_id


def is_hall_clerk(user, application: Application) -> bool:
    return (
        user.role == Role.CLERK
        and application.service_hall_id is not None
        and application.service_hall_id == user.service_hall_id
    )


def is_area_engineer(user, application: Application) -> bool:
    if user.role == Role.OPERATOR and user.is_staff:
        return True  # operators act for engineers from the admin
    return (
        user.role == Role.ENGINEER
        and user.division is not None
        and user.division.covers(application.supply_county_id)
    )


def is_current_holder(user, application: Application) -> bool:
    return application.account is not None and application.account.holder_id == user.pk


def nobody(user, application: Application) -> bool:
    return False


def any_of(*predicates: Callable) -> Callable:
    def check(user, application: Application) -> bool:
        return any(p(user, application) for p in predicates)

    check.__name__ = "_or_".join(p.__name__ for p in predicates)
    return check


applicant_or_clerk = any_of(is_applicant, is_hall_clerk)
applicant_or_engineer = any_of(is_applicant, is_area_engineer)


def _perm(predicate: Callable) -> Callable:
    """django-fsm calls permission(instance, user); our predicates read (user, application)."""
    return lambda instance, user: predicate(user, instance)


# Who may take each step, by name (one table: used by django-fsm, services, API and pages).
ACTORS: dict[str, Callable] = {
    "submit": applicant_or_clerk,
    "withdraw": is_applicant,
    "supply_documents": applicant_or_clerk,
    "accept": is_area_engineer,
    "reject": is_area_engineer,
    "schedule_survey": applicant_or_engineer,
    "complete_survey": is_area_engineer,
    "confirm_scheme": is_applicant,
    "file_commitment": is_applicant,
    "revise_scheme": is_area_engineer,
    "complete_construction": is_area_engineer,
    "pass_inspection": is_area_engineer,
    "fail_inspection": is_area_engineer,
    "sign_contract": is_applicant,
    "energize": is_area_engineer,
    "give_consent": is_current_holder,
    "refuse_consent": is_current_holder,
    "confirm_settlement": is_area_engineer,
    # steps the system takes
    "verification_passed": nobody,
    "verification_failed": nobody,
    "permits_approved": nobody,
    "permits_refused": nobody,
    "route_ownership": nobody,
}
SYSTEM_STEPS = frozenset(name for name, actor in ACTORS.items() if actor is nobody)


def may(name: str) -> Callable:
    return _perm(ACTORS[name])


# --- Conditions --------------------------------------------------------------------------------


def documents_supplied(application: Application) -> bool:
    uploaded = set(application.documents.values_list("doc_type", flat=True))
    return set(application.documents_requested) <= uploaded


# --- Graphs ------------------------------------------------------------------------------------

# Where the applicant may withdraw: the front part, plus each kind's states before the works
# (DESIGN 3.1 lists survey and scheme; a transfer adds waiting for consent or settlement).
WITHDRAWABLE = [
    State.DRAFT,
    State.VERIFYING,
    State.NEEDS_DOCUMENTS,
    State.PENDING_ACCEPTANCE,
    State.ACCEPTED,
]


def withdraw_from(sources: list[State]):
    """The applicant's withdraw step, from the open states of a kind (each kind its own list)."""

    @transition(field="state", source=sources, target=State.WITHDRAWN, permission=may("withdraw"))
    def withdraw(self, **_):
        pass

    return withdraw


class FrontPart:
    """DESIGN 3.1, common to every kind."""

    @transition(field="state", source=State.DRAFT, target=State.VERIFYING, permission=may("submit"))
    def submit(self, **_):
        self.submitted_at = timezone.now()

    @transition(
        field="state",
        source=[State.VERIFYING, State.NEEDS_DOCUMENTS],
        target=State.PENDING_ACCEPTANCE,
        permission=may("verification_passed"),
    )
    def verification_passed(self, *, outcome: str, **_):
        self.verification_outcome = outcome
        self.documents_requested = []

    @transition(
        field="state",
        source=State.VERIFYING,
        target=State.NEEDS_DOCUMENTS,
        permission=may("verification_failed"),
    )
    def verification_failed(self, *, documents: list[str], **_):
        self.documents_requested = sorted(set(documents))

    @transition(
        field="state",
        source=State.NEEDS_DOCUMENTS,
        target=State.PENDING_ACCEPTANCE,
        conditions=[documents_supplied],
        permission=may("supply_documents"),
    )
    def supply_documents(self, **_):
        self.verification_outcome = "documents"

    @transition(
        field="state",
        source=State.PENDING_ACCEPTANCE,
        target=State.ACCEPTED,
        permission=may("accept"),
    )
    def accept(self, **_):
        pass

    @transition(
        field="state",
        source=State.PENDING_ACCEPTANCE,
        target=State.REJECTED,
        permission=may("reject"),
    )
    def reject(self, **_):
        pass

    withdraw = withdraw_from(WITHDRAWABLE)


class ConnectionWorks:
    """DESIGN 3.2: new connection and capacity increase. Listed before `FrontPart` in the kinds'
    bases, so its `reject` and `withdraw` (with more sources) take precedence."""

    @transition(
        field="state",
        source=[State.PENDING_ACCEPTANCE, State.PERMITS_REJECTED],
        target=State.REJECTED,
        permission=may("reject"),
    )
    def reject(self, **_):
        pass

    withdraw = withdraw_from(WITHDRAWABLE + [State.SURVEY_SCHEDULED, State.SCHEME_OFFERED])

    @transition(
        field="state",
        source=State.ACCEPTED,
        target=State.SURVEY_SCHEDULED,
        permission=may("schedule_survey"),
    )
    def schedule_survey(self, *, slot, **_):
        self.survey_slot = slot

    @transition(
        field="state",
        source=State.SURVEY_SCHEDULED,
        target=State.SCHEME_OFFERED,
        permission=may("complete_survey"),
    )
    def complete_survey(
        self,
        *,
        line_length_m: int,
        crosses_urban_road: bool = False,
        crosses_highway: bool = False,
        crosses_green_space: bool = False,
        scheme_fee=None,
        **_,
    ):
        self.line_length_m = line_length_m
        self.crosses_urban_road = crosses_urban_road
        self.crosses_highway = crosses_highway
        self.crosses_green_space = crosses_green_space
        # Low-voltage connections cost the applicant nothing; high-voltage ones carry a quote.
        self.scheme_fee = 0 if self.voltage == "low" else scheme_fee

    @transition(
        field="state",
        source=State.SCHEME_OFFERED,
        target=RETURN_VALUE(State.WORKS_PERMITTING, State.WORKS_FILING, State.CONTRACT_PENDING),
        permission=may("confirm_scheme"),
    )
    def confirm_scheme(self, **_):
        if not self.has_external_works:
            return State.CONTRACT_PENDING
        if self.line_length_m <= COMMITMENT_MAX_LINE_M:
            return State.WORKS_FILING
        return State.WORKS_PERMITTING

    @transition(
        field="state",
        source=State.WORKS_FILING,
        target=State.CONSTRUCTION,
        permission=may("file_commitment"),
    )
    def file_commitment(self, **_):
        pass

    @transition(
        field="state",
        source=State.WORKS_PERMITTING,
        target=State.CONSTRUCTION,
        permission=may("permits_approved"),
    )
    def permits_approved(self, **_):
        pass

    @transition(
        field="state",
        source=State.WORKS_PERMITTING,
        target=State.PERMITS_REJECTED,
        permission=may("permits_refused"),
    )
    def permits_refused(self, **_):
        pass

    @transition(
        field="state",
        source=State.PERMITS_REJECTED,
        target=State.SCHEME_OFFERED,
        permission=may("revise_scheme"),
    )
    def revise_scheme(self, **_):
        pass

    @transition(
        field="state",
        source=State.CONSTRUCTION,
        target=State.INSPECTION,
        permission=may("complete_construction"),
    )
    def complete_construction(self, **_):
        pass

    @transition(
        field="state",
        source=State.INSPECTION,
        target=State.CONTRACT_PENDING,
        permission=may("pass_inspection"),
    )
    def pass_inspection(self, **_):
        pass

    @transition(
        field="state",
        source=State.INSPECTION,
        target=State.CONSTRUCTION,
        permission=may("fail_inspection"),
    )
    def fail_inspection(self, **_):
        pass

    @transition(
        field="state",
        source=State.CONTRACT_PENDING,
        target=State.CONNECTING,
        permission=may("sign_contract"),
    )
    def sign_contract(self, **_):
        pass

    @transition(
        field="state", source=State.CONNECTING, target=State.COMPLETED, permission=may("energize")
    )
    def energize(self, **_):
        self.completed_at = timezone.now()


class NewConnection(ConnectionWorks, FrontPart, Application):
    class Meta:
        proxy = True
        verbose_name = "new connection"


class CapacityIncrease(ConnectionWorks, FrontPart, Application):
    class Meta:
        proxy = True
        verbose_name = "capacity increase"


def _after_ownership(application: Application) -> State:
    return State.SETTLEMENT_PENDING if application.account.arrears > 0 else State.CONTRACT_PENDING


class Transfer(FrontPart, Application):
    """DESIGN 3.3: name change / ownership transfer. While the current holder is asked for consent
    or arrears are open, the applicant may still withdraw."""

    class Meta:
        proxy = True
        verbose_name = "transfer"

    withdraw = withdraw_from(WITHDRAWABLE + [State.CONSENT_PENDING, State.SETTLEMENT_PENDING])

    @transition(
        field="state",
        source=State.ACCEPTED,
        target=RETURN_VALUE(
            State.CONTRACT_PENDING, State.SETTLEMENT_PENDING, State.CONSENT_PENDING
        ),
        permission=may("route_ownership"),
    )
    def route_ownership(self, *, owns_property: bool, **_):
        return _after_ownership(self) if owns_property else State.CONSENT_PENDING

    @transition(
        field="state",
        source=State.CONSENT_PENDING,
        target=RETURN_VALUE(State.SETTLEMENT_PENDING, State.CONTRACT_PENDING),
        permission=may("give_consent"),
    )
    def give_consent(self, **_):
        return _after_ownership(self)

    @transition(
        field="state",
        source=State.CONSENT_PENDING,
        target=State.REJECTED,
        permission=may("refuse_consent"),
    )
    def refuse_consent(self, **_):
        pass

    @transition(
        field="state",
        source=State.SETTLEMENT_PENDING,
        target=State.CONTRACT_PENDING,
        permission=may("confirm_settlement"),
    )
    def confirm_settlement(self, **_):
        pass

    @transition(
        field="state",
        source=State.CONTRACT_PENDING,
        target=State.COMPLETED,
        permission=may("sign_contract"),
    )
    def sign_contract(self, **_):
        self.completed_at = timezone.now()


KIND_MODELS: dict[str, type[Application]] = {
    Kind.NEW_CONNECTION: NewConnection,
    Kind.CAPACITY_INCREASE: CapacityIncrease,
    Kind.TRANSFER: Transfer,
}


def as_kind(application: Application) -> Application:
    """The same row, as its kind's proxy, so that its own graph applies."""
    application.__class__ = KIND_MODELS[application.kind]
    return application


@functools.cache
def transition_names(kind: str) -> frozenset[str]:
    model = KIND_MODELS[kind]
    field = model._meta.get_field("state")
    return frozenset(t.name for t in field.get_all_transitions(model))


ALL_STEPS = sorted(ACTORS)
