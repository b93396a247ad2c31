"""Applicant accounts: the one place one is made, whether at a counter or by signing in with an
SMS code for the first time."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .crypto import phone_digest
from .errors import InvalidInput
from .models import Role, User
from .validators import validate_mobile


def new_applicant_username() -> str:
    """An opaque login name: it tells nobody (a supervisor, a log) the person's phone."""
    return f"a-{secrets.token_hex(4)}"


def _new_applicant(*, phone: str, customer_type: str, name: str = "") -> User:
    username = new_applicant_username()
    while User.objects.filter(username=username).exists():
        username = new_applicant_username()
    user = User(
        username=username,
        first_name=name,
        phone=phone,
        role=Role.APPLICANT,
        customer_type=customer_type,
    )
    user.set_unusable_password()  # they sign in with an SMS code
    user.save()
    return user


def applicant_account_create(*, phone: str, customer_type: str, name: str = "") -> User:
    """Register a walk-in applicant: a mainland mobile number not registered yet."""
    try:
        phone = validate_mobile(phone)
    except ValidationError as error:
        raise InvalidInput({"phone": error.messages}) from error
    if User.objects.filter(phone_hash=phone_digest(phone)).exists():
        raise InvalidInput({"phone": [_("This number is registered already: search for it.")]})
    return _new_applicant(phone=phone, customer_type=customer_type, name=name)


def applicant_account_for_phone(*, phone: str, customer_type: str) -> User | None:
    """The applicant signing in with this (verified) number, made on first sign-in; None when the
    number belongs to a staff login."""
    with transaction.atomic():
        user = User.objects.filter(phone_hash=phone_digest(phone)).order_by("id").first()
        if user is None:
            user = _new_applicant(phone=phone, customer_type=customer_type)
        return user if user.role == Role.APPLICANT else None
