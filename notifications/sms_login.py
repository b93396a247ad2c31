"""Sign up and sign in with a mainland mobile number and an SMS code (applicants). Codes are
one-time and throttled per number (`notifications.codes`); sending is also limited per client
address — the real one, through the trusted proxy (`portal.client`) — and per number
(django-ratelimit): nobody can flood a number with texts, and one person asking too often
blocks only themselves, never everyone behind the load balancer."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited

from portal.accounts import applicant_account_for_phone
from portal.models import CustomerType
from portal.pages import safe_next
from portal.validators import validate_mobile

from .codes import CodeError, sms_code_check, sms_code_send

PURPOSE = "login"
SEND_RATE = "10/h"  # per client address
SEND_RATE_PER_PHONE = "5/h"


class SmsLoginForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=gettext_lazy("SMS code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    customer_type = forms.ChoiceField(
        label=gettext_lazy("I apply as (first sign-in only)"),
        choices=CustomerType.choices,
        initial=CustomerType.RESIDENTIAL,
        widget=forms.RadioSelect,
    )

    def clean_phone(self) -> str:
        try:
            return validate_mobile(self.cleaned_data["phone"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error


def _send_limited(request: HttpRequest, phone: str) -> bool:
    """Both limits counted on every ask, so neither can be drained through the other."""
    by_address = is_ratelimited(
        request, group="sms-login", key="ip", rate=SEND_RATE, method="POST", increment=True
    )
    by_phone = is_ratelimited(
        request,
        group="sms-login-phone",
        key=lambda group, request: phone,
        rate=SEND_RATE_PER_PHONE,
        method="POST",
        increment=True,
    )
    return by_address or by_phone


def sms_login(request: HttpRequest) -> HttpResponse:
    form = SmsLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if "send_code" in request.POST:
            if _send_limited(request, phone):
                form.add_error("phone", _("Too many codes asked. Try again later."))
            else:
                try:
                    sms_code_send(
                        phone=phone,
                        purpose=PURPOSE,
                        text=_("Your sign-in code is %(code)s (10 minutes). Never share it."),
                    )
                    messages.success(request, _("A code was sent. Enter it below."))
                except CodeError as error:
                    form.add_error("phone", str(error))
        elif not form.cleaned_data["code"]:
            form.add_error("code", _("Enter the code from the SMS."))
        else:
            try:
                sms_code_check(phone=phone, purpose=PURPOSE, code=form.cleaned_data["code"])
            except CodeError as error:
                form.add_error("code", str(error))
            else:
                user = applicant_account_for_phone(
                    phone=phone, customer_type=form.cleaned_data["customer_type"]
                )
                if user is None:
                    form.add_error(
                        "phone", _("This number belongs to a staff login: use the password.")
                    )
                else:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    return redirect(
                        safe_next(request, request.GET.get("next") or "") or "workbench"
                    )
    return render(
        request,
        "registration/sms_login.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
