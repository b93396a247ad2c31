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


class AccessLogSearchForm(forms.Form):
    """The supervisors' search of the personal-data access log."""

    application = forms.CharField(label=_("Application number"), max_length=30, required=False)
    staff = forms.CharField(label=_("Staff user name"), max_length=150, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, rows):
        data = self.cleaned_data
        if data["application"]:
            rows = rows.filter(application_number=data["application"].strip().upper())
        if data["staff"]:
            rows = rows.filter(actor__username=data["staff"].strip())
        if data["date_from"]:
            rows = rows.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            rows = rows.filter(created_at__date__lte=data["date_to"])
        return rows
