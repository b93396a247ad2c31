"""Who needs a second factor, and the one check of a TOTP code that pages and API share."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.errors import InvalidInput
from portal.models import Role

ENROLMENT_NAME = "authenticator"


def is_staff_login(user) -> bool:
    """A login that reads other people's data: every role but the applicant's, and the admin."""
    return bool(
        user.is_authenticated
        and (user.role != Role.APPLICANT or user.is_staff or user.is_superuser)
    )


def second_factor_required(user) -> bool:
    return settings.SIGNIN_TOTP_REQUIRED and is_staff_login(user)


def has_authenticator(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def signin_failed(*, request, username: str) -> None:
    """Count a failure toward the lockout the way a wrong password counts (django-axes listens)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def second_factor_check(*, request, user, code: str, field: str = "code"):
    """The user's confirmed device that accepts `code`; a wrong or missing code counts toward the
    lockout and is refused beside `field`."""
    if not has_authenticator(user):
        raise InvalidInput(
            {field: [_("Set up an authenticator app on the web sign-in page first.")]}
        )
    device = match_token(user, code.strip()) if code and code.strip() else None
    if device is None:
        signin_failed(request=request, username=user.get_username())
        raise InvalidInput({field: [_("The code from the authenticator app is not right.")]})
    return device


def enrolment_device(user) -> TOTPDevice:
    """The device being set up: the user's unconfirmed TOTP device, made on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROLMENT_NAME, confirmed=False)
    return device


def enrolment_confirm(*, request, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm a device with its first code; a wrong code counts toward the lockout."""
    if not (code and code.strip() and device.verify_token(code.strip())):
        signin_failed(request=request, username=device.user.get_username())
        raise InvalidInput({"code": [_("The code from the authenticator app is not right.")]})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def demo_authenticator(user) -> TOTPDevice:
    """The demo login's confirmed authenticator, kept across runs of seed_demo so an app that
    has its secret goes on working."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=ENROLMENT_NAME, confirmed=True)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()
