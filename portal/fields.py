"""Form fields strict enough for API bodies: a JSON value of the wrong type is an error naming
the field, never read as something else ("no" is not consent, a list is not a name)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

_TRUE = {"true", "on", "1", "yes"}
_FALSE = {"false", "off", "0", "no", ""}


class StrictBooleanField(forms.BooleanField):
    """true/false, and the words a checkbox or a form sends for them; anything else is refused."""

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise forms.ValidationError(_("Answer true or false."), code="invalid")


class StrictCharField(forms.CharField):
    """Text (a number is taken as its digits); a list or an object is refused."""

    def to_python(self, value):
        if value is not None and not isinstance(value, str | int | Decimal):
            raise forms.ValidationError(_("Enter text."), code="invalid")
        return super().to_python(value)
