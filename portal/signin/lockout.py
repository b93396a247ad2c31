"""What a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE), and the log line each
lockout leaves beside axes' own access-failure rows."""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import logout
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from portal.api import problem_json

from .rules import is_staff_login

logger = logging.getLogger("portal.signin")

STATUS = 429


def _message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed sign-ins for this account or from this address. "
        "Try again in %(minutes)d minutes."
    ) % {"minutes": minutes}


def lockout_message() -> str:
    """The message in Chinese and in English, whatever language the client asked for."""
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts.append(_message())
    return " / ".join(parts)


def lockout_response(request, original_response=None, credentials=None):
    """429: problem details for the API, the lockout page for people; the cool-off as
    Retry-After."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = problem_json(
            status=STATUS, title="Too many failed sign-ins", detail=lockout_message()
        )
    else:
        if is_staff_login(request.user):
            # Locked while giving the second factor: the half-finished sign-in ends too.
            logout(request)
        response = render(
            request, "signin/locked_out.html", {"message": lockout_message()}, status=STATUS
        )
    response["Retry-After"] = retry_after
    return response


@receiver(user_locked_out)
def log_lockout(sender, request, username=None, ip_address=None, **kwargs):
    logger.warning(
        "Sign-in locked out: username=%s address=%s path=%s",
        username or "-",
        ip_address or "-",
        getattr(request, "path", "-"),
    )
