"""Two guards on every request of a signed-in staff login: the session ends after
STAFF_IDLE_TIMEOUT without a request, and, when SIGNIN_TOTP_REQUIRED is on, nothing but the
second-factor pages opens until a TOTP code was verified in this session (the admin included)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.api import problem_json

from .rules import has_authenticator, is_staff_login, second_factor_required

LAST_SEEN = "staff_last_seen"

# Views a staff login may open before its second factor: signing in and out, the second-factor
# pages themselves, the language switch and the probes.
OPEN_VIEWS = {
    "login",
    "logout",
    "signin-verify",
    "signin-enrol",
    "signin-enrol-qr",
    "admin:login",
    "admin:logout",
    "set_language",
    "healthz",
    "readyz",
}


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_login(request.user):
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN)
            timeout = settings.STAFF_IDLE_TIMEOUT.total_seconds()
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
            else:
                request.session[LAST_SEEN] = now
                request.session.set_expiry(int(timeout))
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not second_factor_required(user) or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        if request.path.startswith("/api/"):
            return problem_json(
                status=403,
                title="Second factor required",
                detail=_("Sign in with the code from your authenticator app on the web first."),
            )
        target = "signin-verify" if has_authenticator(user) else "signin-enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
