"""The second-factor pages of a staff login: enter the code of the authenticator app, or set
one up (QR code and secret) when the login has none yet."""

from __future__ import annotations

import io
from functools import wraps

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from portal.errors import DomainError
from portal.pages import safe_next, show_refusal

from .rules import (
    enrolment_confirm,
    enrolment_device,
    has_authenticator,
    is_staff_login,
    second_factor_check,
    secret_base32,
)


def staff_login_required(view):
    """Signed in with a staff login; an applicant has no authenticator here (404)."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not is_staff_login(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _next(request) -> str:
    """Where to go after the second factor: a path of this site, or "" (the workbench)."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next") or "")


def _code_page(request, template: str, check, **context) -> HttpResponse:
    """A page asking for an authenticator code: `check(code)` returns the device it proves, or
    raises a refusal shown beside the field; then the session is verified and goes on."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = check(form.cleaned_data["code"])
        except DomainError as error:
            show_refusal(request, error, form)
        else:
            otp_login(request, device)
            return redirect(_next(request) or "workbench")
    return render(
        request,
        template,
        {"form": form, "next": _next(request), **context},
        status=400 if form.errors else 200,
    )


@never_cache
@staff_login_required
def verify(request):
    if not has_authenticator(request.user):
        return redirect("signin-enrol")
    return _code_page(
        request,
        "signin/verify.html",
        lambda code: second_factor_check(request=request, user=request.user, code=code),
    )


@never_cache
@staff_login_required
def enrol(request):
    # A login that has an authenticator proves it; setting up another is not a way around it.
    if has_authenticator(request.user):
        return redirect("signin-verify")
    device = enrolment_device(request.user)
    return _code_page(
        request,
        "signin/enrol.html",
        lambda code: enrolment_confirm(request=request, device=device, code=code),
        secret=secret_base32(device),
    )


@never_cache
@staff_login_required
def enrol_qr(request):
    """The otpauth URL of the device being set up, as an SVG QR code (never of a confirmed one)."""
    if has_authenticator(request.user):
        raise Http404
    buffer = io.BytesIO()
    segno.make(enrolment_device(request.user).config_url, error="m").save(
        buffer, kind="svg", scale=5, border=2
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
