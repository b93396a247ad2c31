"""Starting from the electricity account (户号): a capacity increase or a transfer names the
account, and the portal looks it up and fills in what it knows — its address, capacity and
voltage — so the applicant gives only what is new."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.errors import InvalidInput, NotPermitted
from portal.masking import mask_name
from portal.models import Role

from ..models import ElectricityAccount, Kind
from ..registry import kind_spec

FIELD = "account_number"


def account_for_filing(*, kind: str, number: str, applicant) -> ElectricityAccount | None:
    """The account an application of `kind` is filed for (None for a kind that opens its own:
    a new connection, a temporary supply), or the refusal by field: a capacity increase is the
    holder's own account, a transfer someone else's."""
    number = (number or "").strip()
    if kind_spec(kind).new_account:
        if number:
            raise InvalidInput({FIELD: _("A new connection has no account number yet.")})
        return None
    if not number:
        raise InvalidInput({FIELD: _("Give the electricity account number (户号).")})
    account = ElectricityAccount.objects.select_related("county").filter(number=number).first()
    if account is None:
        raise InvalidInput({FIELD: _("No electricity account has this number.")})
    if kind == Kind.CAPACITY_INCREASE and applicant and account.holder_id != applicant.pk:
        raise InvalidInput({FIELD: _("A capacity increase is filed by the account holder.")})
    if kind == Kind.TRANSFER and applicant and account.holder_id == applicant.pk:
        raise InvalidInput({FIELD: _("You already hold this account.")})
    return account


def account_lookup(*, actor, kind: str, number: str) -> dict:
    """What the portal knows of the account, to start a capacity increase or a transfer from
    it: the holder's name masked, the supply address, capacity, voltage and arrears. Applicants
    (for themselves) and counter clerks (for the walk-in) may look up."""
    if actor.role not in (Role.APPLICANT, Role.CLERK):
        raise NotPermitted(_("Only applicants and counter clerks file applications."))
    if kind not in (Kind.CAPACITY_INCREASE, Kind.TRANSFER):
        raise InvalidInput(
            {"kind": _("Only a capacity increase or a transfer starts from an account.")}
        )
    applicant = actor if actor.role == Role.APPLICANT else None
    account = account_for_filing(kind=kind, number=number, applicant=applicant)
    return account_summary(account)


def account_summary(account: ElectricityAccount) -> dict:
    return {
        "account_number": account.number,
        "holder_name": mask_name(account.holder_name),
        "supply_county": account.county.code,
        "supply_county_name": account.county.name,
        "supply_address": account.registry_address,
        "capacity_kva": account.capacity_kva,
        "voltage": account.voltage,
        "arrears": account.arrears,
    }
