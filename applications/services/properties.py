"""Choose your property: with the applicant's consent, the titles the real-estate registry holds
for them, offered as supply addresses for a new connection (page and API, applicant and
counter)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from govdata.holdings import properties_held
from portal.access_log import What, personal_data_access_record
from portal.errors import InvalidInput, NotPermitted
from portal.identity import identity_of, identity_required
from portal.models import CustomerType, Division, Role, User
from portal.validators import validate_credit_code, validate_id_number

CONSENT_FIELD = "data_sharing_consent"


def properties_for_filing(
    *,
    actor,
    consent: bool,
    applicant: int | None = None,
    id_number: str = "",
    credit_code: str = "",
    path: str = "",
) -> list[dict]:
    """The supply addresses the registry holds for the applicant: county (code and name) and
    address in the registry's form. An applicant asks for themselves (their bound identity); a
    counter clerk for the walk-in applicant, by their binding or by the ID number or credit
    code read off the card. Asked only with the applicant's consent."""
    if actor.role not in (Role.APPLICANT, Role.CLERK):
        raise NotPermitted(_("Only applicants and counter clerks file applications."))
    errors: dict[str, list[str]] = {}
    if not consent:
        errors[CONSENT_FIELD] = [
            _("Consent to the record look-ups is needed to ask the registry for your properties.")
        ]
    person = actor
    if actor.role == Role.CLERK:
        person = User.objects.filter(pk=applicant or 0, role=Role.APPLICANT).first()
        if person is None:
            errors["applicant"] = [_("A counter clerk files on behalf of an applicant: name them.")]
    if actor.role == Role.APPLICANT:
        # Their own titles only: the identity their account is bound to, never a typed one.
        identity_required(actor)
        id_number = credit_code = ""
    owner_id = _owner_id(person, id_number, credit_code, errors) if person else ""
    if errors:
        raise InvalidInput(errors)
    holdings = properties_held(owner_id=owner_id)
    if actor.role == Role.CLERK:
        personal_data_access_record(
            actor=actor, what=What.COUNTER_LOOKUP, path=path, subject_ids=[person.pk]
        )
    counties = Division.objects.in_bulk(
        [h.county for h in holdings], field_name="code"
    )  # the province's county-level divisions only: the filing takes no other
    return [
        {
            "title_number": h.title_number,
            "supply_county": h.county,
            "supply_county_name": counties[h.county].name,
            "supply_address": h.address,
            "area_m2": h.area_m2,
        }
        for h in holdings
        if h.county in counties and counties[h.county].level == Division.Level.COUNTY
    ]


def _owner_id(person, id_number: str, credit_code: str, errors: dict) -> str:
    """Whose titles: the account's bound identity, else (at a counter) the number typed."""
    enterprise = person.customer_type == CustomerType.ENTERPRISE
    binding = identity_of(person)
    bound = (binding.credit_code if enterprise else binding.id_number) if binding else ""
    if bound:
        return bound
    field = "credit_code" if enterprise else "id_number"
    typed = ((credit_code if enterprise else id_number) or "").strip().upper()
    if not typed:
        errors[field] = [_("Give the ID number or credit code the registry knows the owner by.")]
        return ""
    try:
        return (validate_credit_code if enterprise else validate_id_number)(typed)
    except forms.ValidationError as exc:
        errors[field] = exc.messages
        return ""
