"""API tokens (django-rest-knox): made for a username and password (and a TOTP code for a staff
login when the second factor is required), listed and revoked by their owner only."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from portal.errors import InvalidInput, NotFound

from .rules import second_factor_check, second_factor_required


def api_token_create(*, request, username: str, password: str, otp_token: str = ""):
    """(token row, the token itself): the token is shown once, only its digest is stored.
    `request` is Django's request: django-axes counts the failures of its client address."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise InvalidInput(
            {"non_field_errors": [_("Unable to sign in with the username and password given.")]}
        )
    if second_factor_required(user):
        second_factor_check(request=request, user=user, code=otp_token, field="otp_token")
    row, token = AuthToken.objects.create(user=user)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return row, token


def api_tokens_of(user):
    """The user's tokens that have not expired, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def api_token_revoke(*, user, prefix: str) -> None:
    """Revoke one of the user's own tokens, named by its prefix; anyone else's is not found."""
    deleted, _rows = AuthToken.objects.filter(user=user, token_key=prefix).delete()
    if not deleted:
        raise NotFound(_("No such token."))
