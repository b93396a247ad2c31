"""Real-name accounts: an applicant account bound once to a verified person (and an enterprise
account to its credit code). Whoever verified the person — the government platform's face match
(`govdata.identity`) or a clerk who saw the ID card — the binding is written here, once; the
applicant cannot change it, only a supervisor or an operator ends it, and that is logged."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .crypto import id_number_digest
from .errors import ConditionNotMet, InvalidInput, NotPermitted, WrongState
from .masking import mask_id_number
from .models import CustomerType, IdentityBinding, Role, User
from .validators import validate_credit_code, validate_id_number

logger = logging.getLogger(__name__)

FACE_CONSENT_VERSION = "2026-11"
BIND_PATH = "/account/identity/"


def identity_of(user) -> IdentityBinding | None:
    """The account's binding in force, or None."""
    if user is None or not getattr(user, "pk", None):
        return None
    return (
        IdentityBinding.objects.filter(user=user, unbound_at__isnull=True)
        .select_related("service_hall", "verified_by")
        .first()
    )


def identity_required(user, *, enterprise: bool = False) -> IdentityBinding:
    """The binding an applicant files with; refused (409) with what to do when there is none."""
    binding = identity_of(user)
    if binding is None or not binding.id_number and not binding.credit_code:
        raise ConditionNotMet(
            _(
                "Your account is not bound to a verified identity yet. Bind it first at %(path)s "
                "(name, ID number and a face match), or at a service hall counter."
            )
            % {"path": BIND_PATH}
        )
    if enterprise and not binding.credit_code:
        raise ConditionNotMet(
            _(
                "Your enterprise account is not bound to a credit code yet. Bind it at %(path)s, "
                "or at a service hall counter with the enterprise's authorisation."
            )
            % {"path": BIND_PATH}
        )
    return binding


def identity_clean(*, name: str, id_number: str) -> tuple[str, str]:
    """A name and a valid ID number (check digit), or every problem at once."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    id_number = (id_number or "").strip().upper()
    if not name:
        errors["name"] = [_("This field is required.")]
    if not id_number:
        errors["id_number"] = [_("This field is required.")]
    else:
        try:
            id_number = validate_id_number(id_number)
        except ValidationError as error:
            errors["id_number"] = error.messages
    if errors:
        raise InvalidInput(errors)
    return name, id_number


def credit_code_clean(credit_code: str) -> str:
    credit_code = (credit_code or "").strip().upper()
    if not credit_code:
        raise InvalidInput({"credit_code": [_("This field is required.")]})
    try:
        return validate_credit_code(credit_code)
    except ValidationError as error:
        raise InvalidInput({"credit_code": error.messages}) from error


def identity_may_bind(*, user, id_number: str) -> None:
    """Refused before anything is asked of the platform: staff, an account bound already, or an
    ID number bound to another account."""
    if user.role != Role.APPLICANT:
        raise NotPermitted(_("Only applicant accounts are bound to a person."))
    if identity_of(user) is not None:
        raise _bound_already()
    taken = IdentityBinding.objects.filter(
        id_number_hash=id_number_digest(id_number), unbound_at__isnull=True
    )
    if taken.exclude(user=user).exists():
        raise _taken("id_number")


def _bound_already() -> WrongState:
    return WrongState(_("This account is bound already; only a supervisor can change a binding."))


def _in_person(method: str, clerk) -> bool:
    """Whether the binding is made in person; only a counter clerk makes one."""
    counter = method == IdentityBinding.Method.COUNTER
    if counter and (clerk is None or clerk.role != Role.CLERK):
        raise NotPermitted(_("Only a counter clerk binds an applicant in person."))
    return counter


def _taken(field: str) -> InvalidInput:
    if field == "credit_code":
        return InvalidInput({"credit_code": [_("This credit code is bound to another account.")]})
    return InvalidInput(
        {
            "id_number": [
                _(
                    "This ID number is bound to another account. If it is yours, ask at a service "
                    "hall counter."
                )
            ]
        }
    )


def identity_bind(
    *,
    user: User,
    name: str,
    id_number: str,
    method: str,
    clerk: User | None = None,
    face_consent_version: str = "",
    evidence: str = "",
) -> IdentityBinding:
    """Bind the account to the verified person (the caller has verified them)."""
    name, id_number = identity_clean(name=name, id_number=id_number)
    counter = _in_person(method, clerk)
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()  # one binding at a time
            identity_may_bind(user=user, id_number=id_number)
            binding = IdentityBinding.objects.create(
                user=user,
                name=name,
                id_number=id_number,
                method=method,
                verified_by=clerk if counter else None,
                service_hall=clerk.service_hall if counter else None,
                face_consent_version=face_consent_version,
                face_consent_at=timezone.now() if face_consent_version else None,
                evidence=evidence[:200],
            )
    except IntegrityError as error:  # a concurrent binding of the same ID number won
        raise _taken("id_number") from error
    logger.info(
        "identity bound user=%s method=%s id=%s clerk=%s",
        user.pk, method, mask_id_number(id_number), getattr(clerk, "pk", None),
    )  # fmt: skip
    return binding


def enterprise_may_bind(user) -> None:
    if user.role != Role.APPLICANT or user.customer_type != CustomerType.ENTERPRISE:
        raise NotPermitted(_("Only enterprise applicant accounts are bound to a credit code."))


def identity_bind_enterprise(
    *,
    user: User,
    credit_code: str,
    enterprise_name: str,
    method: str,
    clerk: User | None = None,
) -> IdentityBinding:
    """Bind an enterprise account to its credit code. Online (`business_licence`) the person
    must be bound first and be the legal representative (the caller checked the licence); at a
    counter the clerk has seen the licence and the enterprise's authorisation of the agent."""
    credit_code = credit_code_clean(credit_code)
    enterprise_may_bind(user)
    counter = _in_person(method, clerk)
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()  # one binding at a time
            binding = identity_of(user)
            if binding is not None and binding.credit_code:
                raise _bound_already()
            if binding is None and not counter:
                identity_required(user)
            taken = IdentityBinding.objects.filter(
                credit_code=credit_code, unbound_at__isnull=True
            ).exclude(user=user)
            if taken.exists():
                raise _taken("credit_code")
            if binding is None:
                binding = IdentityBinding(
                    user=user, method=method, verified_by=clerk, service_hall=clerk.service_hall
                )
            binding.credit_code = credit_code
            binding.enterprise_name = (enterprise_name or "").strip()[:100]
            binding.enterprise_method = method
            binding.enterprise_bound_at = timezone.now()
            binding.save()
    except IntegrityError as error:
        raise _taken("credit_code") from error
    logger.info(
        "enterprise bound user=%s method=%s clerk=%s", user.pk, method, getattr(clerk, "pk", None)
    )
    return binding


def identity_unbind(*, user: User, actor: User, reason: str) -> IdentityBinding:
    """End an account's binding: supervisors and operators only, with a reason; logged."""
    if actor.role not in (Role.SUPERVISOR, Role.OPERATOR) and not actor.is_superuser:
        raise NotPermitted(_("Only a supervisor or an operator can unbind an account."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": [_("Say why the binding is ended.")]})
    with transaction.atomic():
        binding = (
            IdentityBinding.objects.select_for_update()
            .filter(user=user, unbound_at__isnull=True)
            .first()
        )
        if binding is None:
            raise WrongState(_("This account is not bound."))
        binding.unbound_at = timezone.now()
        binding.unbound_by = actor
        binding.unbind_reason = reason[:200]
        binding.save(update_fields=["unbound_at", "unbound_by", "unbind_reason"])
    logger.warning("identity unbound user=%s by=%s reason=%s", user.pk, actor.pk, reason[:200])
    return binding
