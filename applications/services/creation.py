"""Filing an application: the rules a new application must meet (whoever files it, page or
API), and its creation as a draft."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govdata.addresses import normalise_address, same_address
from notifications.services import sms_notify
from portal.errors import InvalidInput, KeyReused, NotPermitted
from portal.fields import StrictBooleanField, StrictCharField
from portal.identity import identity_bind, identity_bind_enterprise, identity_of, identity_required
from portal.models import CustomerType, Division, IdentityBinding, Role, User
from portal.validators import (
    validate_capacity,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

from ..models import (
    Application,
    Channel,
    Document,
    DocumentType,
    ElectricityAccount,
    IdempotencyKey,
    Kind,
    Voltage,
)
from ..registry import kind_spec
from .accounts import account_for_filing
from .documents import validate_upload

CONSENT_VERSION = "2026-01"


class FilingInput(forms.Form):
    """The filing's inputs, parsed: types, lengths and choices. The rules that join them are in
    `application_filing_clean`."""

    kind = forms.ChoiceField(choices=Kind.choices)
    customer_type = forms.ChoiceField(choices=CustomerType.choices, required=False)
    applicant_name = StrictCharField(max_length=100, required=False)
    id_number = StrictCharField(max_length=18, required=False)
    credit_code = StrictCharField(max_length=18, required=False)
    phone = StrictCharField(max_length=20)
    voltage = forms.ChoiceField(choices=Voltage.choices, required=False)
    capacity_kva = forms.DecimalField(
        max_digits=10, decimal_places=1, required=False, min_value=Decimal("0")
    )
    # A capacity increase or a transfer takes them from the account (`_supply_from_account`).
    supply_county = StrictCharField(max_length=6, required=False)
    supply_address = StrictCharField(max_length=200, required=False)
    account_number = StrictCharField(max_length=20, required=False)
    project_code = StrictCharField(max_length=40, required=False)
    channel = forms.ChoiceField(choices=Channel.choices, required=False)
    applicant = forms.IntegerField(required=False)
    data_sharing_consent = StrictBooleanField(required=False)
    consent_version = StrictCharField(max_length=20, required=False)
    other_matter_ref = StrictCharField(max_length=60, required=False)
    for_other = StrictBooleanField(required=False)


def _check(value: str, validator, errors: dict, name: str) -> str:
    value = (value or "").strip().upper()
    if not value:
        errors[name] = [_("This field is required.")]
        return ""
    try:
        return validator(value)
    except forms.ValidationError as exc:
        errors[name] = exc.messages
        return value


def application_filing_clean(*, actor, data) -> dict:
    """What `application_create` takes, from what a person typed or a channel sent: every
    problem at once, by field (InvalidInput), in the user's language. Applicants file for
    themselves; a counter clerk files for a named applicant at their hall."""
    if actor.role not in (Role.APPLICANT, Role.CLERK):
        raise NotPermitted(_("Only applicants and counter clerks file applications."))
    if not hasattr(data, "items"):
        raise InvalidInput({"non_field_errors": [_("Send the application's fields as an object.")]})
    parsed = FilingInput(data={k: v for k, v in data.items() if v is not None})
    parsed.is_valid()
    errors = {name: list(messages) for name, messages in parsed.errors.items()}
    attrs = dict(parsed.cleaned_data)
    if not attrs.get("data_sharing_consent") and "data_sharing_consent" not in errors:
        errors["data_sharing_consent"] = [
            _("Consent to the record look-ups is needed to handle the application.")
        ]
    if "phone" in attrs:
        try:
            attrs["phone"] = validate_mobile(attrs["phone"])
        except forms.ValidationError as exc:
            errors["phone"] = exc.messages
    applicant = None
    channel = attrs.get("channel") or Channel.WEB
    if actor.role == Role.CLERK:
        applicant = (
            User.objects.filter(pk=attrs["applicant"], role=Role.APPLICANT).first()
            if attrs.get("applicant")
            else None
        )
        if applicant is None:
            errors["applicant"] = [_("A counter clerk files on behalf of an applicant: name them.")]
        channel = Channel.COUNTER
    else:
        applicant = actor
        if channel == Channel.COUNTER:
            errors["channel"] = [_("Only a counter clerk files counter applications.")]
    customer_type = attrs.get("customer_type") or (applicant.customer_type if applicant else "")
    customer_type = customer_type or CustomerType.RESIDENTIAL
    identity = _identity(actor, applicant, customer_type, attrs, data, errors)
    kind = attrs.get("kind")
    account = _account(kind, attrs.get("account_number") or "", applicant, errors)
    county, address = _supply_address(kind, account, attrs, errors)
    voltage = attrs.get("voltage") or (account.voltage if account else Voltage.LOW)
    if kind == Kind.TRANSFER and account is not None:
        voltage = account.voltage  # a transfer changes the holder, not the supply
    capacity = attrs.get("capacity_kva")
    if kind and kind != Kind.TRANSFER:
        if capacity is None:
            errors.setdefault("capacity_kva", [_("Give the capacity you need, in kVA.")])
        else:
            try:
                validate_capacity(voltage, capacity)
            except forms.ValidationError as exc:
                errors["capacity_kva"] = exc.messages
            if account is not None and capacity <= account.capacity_kva:
                errors["capacity_kva"] = [
                    _("An increase must ask for more than the account's %(current)s kVA.")
                    % {"current": account.capacity_kva}
                ]
    else:
        capacity = None
    if voltage == Voltage.HIGH and kind != Kind.TRANSFER and not attrs.get("project_code"):
        errors["project_code"] = [_("A high-voltage connection needs its project code.")]
    spec = kind_spec(kind) if kind else None
    judged = None
    if spec is not None and spec.filing is not None:  # the kind's own inputs
        judged = spec.filing(data=data, attrs=attrs, customer_type=customer_type, errors=errors)
    if errors:
        raise InvalidInput(errors)
    fields = {
        "kind": kind,
        "customer_type": customer_type,
        **identity,
        "phone": attrs["phone"],
        "voltage": voltage,
        "capacity_kva": capacity,
        "supply_county": county,
        "supply_address": address,
        "project_code": attrs.get("project_code") or "",
        "channel": channel,
        "applicant": applicant,
        "account": account,
        "consent_version": attrs.get("consent_version") or CONSENT_VERSION,
    }
    if judged is not None:
        fields["details"] = judged
    if channel == Channel.COUNTER:
        fields["service_hall"] = actor.service_hall
        fields["filed_by"] = actor
        fields["other_matter_ref"] = attrs.get("other_matter_ref") or ""
    return fields


def _not_bound_identity(actor) -> str:
    if actor.role == Role.CLERK:
        return _(
            "This is not the identity the applicant's account is bound to; file with the bound "
            "one (only a supervisor can change a binding)."
        )
    return _(
        "This is not the identity your account is bound to. To file for someone else, file for "
        "another person with their authorisation."
    )


def _identity(actor, applicant, customer_type: str, attrs: dict, data, errors: dict) -> dict:
    """Whose application it is: the applicant's bound identity (typed values must agree with
    it); another person's, typed, with their authorisation uploaded; or, at a counter, the
    walk-in's typed from the ID card the clerk sees, bound in person when the account is not
    bound yet. Returns the application's identity fields (and what `application_create` does
    with the authorisation and the in-person binding)."""
    enterprise = customer_type == CustomerType.ENTERPRISE
    for_other = bool(attrs.get("for_other"))
    typed_name = (attrs.get("applicant_name") or "").strip()
    typed = {
        "id_number": (attrs.get("id_number") or "").strip().upper(),
        "credit_code": (attrs.get("credit_code") or "").strip().upper(),
    }
    code_field = "credit_code" if enterprise else "id_number"
    validator = validate_credit_code if enterprise else validate_id_number
    if typed[code_field]:  # a malformed number is that field's error, bound or not
        try:
            validator(typed[code_field])
        except forms.ValidationError as exc:
            errors[code_field] = exc.messages
            return {}
    if actor.role == Role.APPLICANT:
        binding = identity_required(actor, enterprise=enterprise and not for_other)
    else:
        binding = identity_of(applicant) if applicant else None
        if for_other:
            errors["for_other"] = [
                _("At a counter the application is filed in the name of the person present.")
            ]
            return {}
        if binding is not None and enterprise and not binding.credit_code:
            binding = None  # the clerk binds the enterprise now
    if not for_other and binding is not None:
        bound = {
            "applicant_name": binding.enterprise_name if enterprise else binding.name,
            "id_number": "" if enterprise else binding.id_number,
            "credit_code": binding.credit_code if enterprise else "",
        }
        if typed[code_field] and typed[code_field] != bound[code_field]:
            errors[code_field] = [_not_bound_identity(actor)]
        if not enterprise and typed_name and typed_name != bound["applicant_name"]:
            errors["applicant_name"] = [_not_bound_identity(actor)]
        bound["applicant_name"] = bound["applicant_name"] or typed_name
        return bound
    # Typed: another person's, or a walk-in not bound yet.
    if not typed_name:
        errors["applicant_name"] = [_("This field is required.")]
    number = _check(typed[code_field], validator, errors, code_field)
    identity = {
        "applicant_name": typed_name,
        "id_number": "" if enterprise else number,
        "credit_code": number if enterprise else "",
    }
    if for_other:
        if binding is not None and number and number in (binding.id_number, binding.credit_code):
            errors[code_field] = [_("This is your own identity: file for yourself.")]
        upload = data.get("authorisation")
        if not hasattr(upload, "read"):
            errors["authorisation"] = [
                _("Upload the authorisation signed by the person you file for.")
            ]
        else:
            try:
                validate_upload(upload)
            except forms.ValidationError as exc:
                errors["authorisation"] = exc.messages
        identity.update(filed_for_other=True, authorisation=upload)
    else:
        taken = IdentityBinding.objects.filter(unbound_at__isnull=True, **{code_field: number})
        if number and taken.exclude(user=applicant).exists():
            errors[code_field] = [_("This identity is bound to another account.")]
        identity["bind_by"] = actor
    return identity


def _account(kind, number: str, applicant, errors: dict) -> ElectricityAccount | None:
    if not kind:
        return None
    try:
        return account_for_filing(kind=kind, number=number, applicant=applicant)
    except InvalidInput as error:
        errors.update(error.errors)
        return None


def _supply_address(kind, account, attrs: dict, errors: dict) -> tuple[Division | None, str]:
    """Where the supply is: typed for a new connection; the account's for a capacity increase
    or a transfer — the buyer does not type it, and a different one is refused."""
    typed_county = attrs.get("supply_county") or ""
    typed_address = (attrs.get("supply_address") or "").strip()
    if kind in (Kind.CAPACITY_INCREASE, Kind.TRANSFER):
        if account is None:
            return None, ""
        if typed_county and typed_county != account.county.code:
            errors["supply_county"] = [_("The supply address is the account's; leave it out.")]
        if typed_address and not same_address(
            typed_address, account.address, county=account.county.name
        ):
            errors["supply_address"] = [
                _("The supply address is the account's (%(address)s); leave it out.")
                % {"address": account.address}
            ]
        return account.county, account.address
    county = None
    if not typed_county:
        errors.setdefault("supply_county", [_("This field is required.")])
    else:
        county = Division.objects.filter(code=typed_county, level=Division.Level.COUNTY).first()
        if county is None:
            errors["supply_county"] = [
                _("Choose a county-level division of Shandong province for the supply address.")
            ]
    if not typed_address:
        errors.setdefault("supply_address", [_("This field is required.")])
    elif county is not None:
        # Kept in the registry's form, so every later comparison agrees with the registry.
        typed_address = normalise_address(typed_address, county=county.name)
    return county, typed_address


def _number(application: Application) -> str:
    # GE + filing date + county + sequence: readable, and unique because the id is.
    return f"GE{timezone.localdate(application.created_at):%Y%m%d}{application.pk:07d}"


def application_file(*, actor, data, idempotency_key: str | None = None):
    """Judge what was filed and create the draft: (application, created). With an idempotency
    key, the caller's retry of the same request gets the first application back."""
    idempotency = _idempotency(idempotency_key, data)
    if idempotency:
        existing = _replay(actor, idempotency)
        if existing is not None:
            return existing, False
    fields = application_filing_clean(actor=actor, data=data)
    return application_create(actor=actor, fields=fields, idempotency=idempotency)


def _idempotency(key: str | None, data) -> tuple[str, str] | None:
    """(hash of the key, hash of the request body), or None without a key."""
    if not key:
        return None
    if len(key) > IdempotencyKey.MAX_LENGTH:
        raise InvalidInput(
            {"Idempotency-Key": _("At most %(n)s characters.") % {"n": IdempotencyKey.MAX_LENGTH}}
        )
    body = dict(data.lists()) if hasattr(data, "lists") else data
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return IdempotencyKey.digest(key), hashlib.sha256(canonical.encode()).hexdigest()


def application_create(
    *, actor, fields: dict, idempotency: tuple[str, str] | None = None
) -> tuple[Application, bool]:
    """Create a draft from judged fields. Returns (application, created). With an idempotency
    key (looked up by `application_file` before judging), a retry racing the first request
    gets the first application back."""
    fields = dict(fields)
    authorisation = fields.pop("authorisation", None)
    clerk = fields.pop("bind_by", None)
    details = fields.pop("details", None)
    try:
        with transaction.atomic():
            if clerk is not None:
                _bind_in_person(clerk, fields)
            application = Application.objects.create(consent_at=timezone.now(), **fields)
            application.number = _number(application)
            application.save(update_fields=["number"])
            if details is not None:
                kind_spec(application.kind).details(application=application, judged=details)
            if authorisation is not None:
                _authorised(application, actor, authorisation)
            if idempotency:
                IdempotencyKey.objects.create(
                    user=actor,
                    key_hash=idempotency[0],
                    request_hash=idempotency[1],
                    application=application,
                )
    except IntegrityError:
        existing = _replay(actor, idempotency) if idempotency else None
        if existing is None:
            raise
        return existing, False
    return application, True


def _replay(actor, idempotency: tuple[str, str]) -> Application | None:
    """The first application filed under this caller's key; a key used for another request is
    refused (422), never answered with that request's application."""
    key_hash, request_hash = idempotency
    row = (
        IdempotencyKey.objects.filter(user=actor, key_hash=key_hash)
        .select_related("application")
        .first()
    )
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise KeyReused(_("This Idempotency-Key was already used for a different request."))
    return row.application


def _bind_in_person(clerk, fields: dict) -> None:
    """A clerk filing for a walk-in not bound yet binds them: the clerk has seen the ID card
    (or, for an enterprise, the licence and its authorisation of the agent)."""
    applicant = fields["applicant"]
    if fields["customer_type"] == CustomerType.ENTERPRISE:
        identity_bind_enterprise(
            user=applicant,
            credit_code=fields["credit_code"],
            enterprise_name=fields["applicant_name"],
            method=IdentityBinding.Method.COUNTER,
            clerk=clerk,
        )
    else:
        identity_bind(
            user=applicant,
            name=fields["applicant_name"],
            id_number=fields["id_number"],
            method=IdentityBinding.Method.COUNTER,
            clerk=clerk,
        )


def _authorised(application: Application, actor, upload) -> None:
    """Keep the authorisation of the person filed for, and tell them by SMS (after commit)."""
    Document.objects.create(
        application=application,
        doc_type=DocumentType.AUTHORISATION,
        file=upload,
        content_type=validate_upload(upload),
        size=upload.size,
        original_name=upload.name[:200],
        uploaded_by=actor,
    )
    sms_notify(
        phone=application.phone, kind="filed_in_your_name", params={"number": application.number}
    )
