from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class ProgressLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Application number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    check_code = forms.CharField(
        label=_("Check code"),
        max_length=6,
        validators=[
            RegexValidator(r"^\d{6}$", _("The check code is the 6 digits on your receipt."))
        ],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()
