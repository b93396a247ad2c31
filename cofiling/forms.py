from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import StrictBooleanField

from .models import Agency


class MatterForm(forms.Form):
    agency = forms.ChoiceField(label=_("File together with"), choices=Agency.choices)


class ConfirmForm(forms.Form):
    consent = StrictBooleanField(
        label=_("I agree that my records are checked with the agencies for this transfer."),
        required=False,
    )
