"""The dashboard's filters, parsed once for the pages, the exports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from applications.models import Channel, Kind, Voltage
from portal.models import Division

MONTH = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Enter a month as YYYY-MM."))
DIVISION = RegexValidator(r"^\d{6}$", _("Enter a six-digit division code."))


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None  # first day of the first month
    date_to: date | None = None  # first day of the last month
    city: str = ""
    county: str = ""
    kind: str = ""
    voltage: str = ""
    channel: str = ""

    def as_query(self) -> dict[str, str]:
        query = {
            "date_from": f"{self.date_from:%Y-%m}" if self.date_from else "",
            "date_to": f"{self.date_to:%Y-%m}" if self.date_to else "",
            "city": self.city,
            "county": self.county,
            "kind": self.kind,
            "voltage": self.voltage,
            "channel": self.channel,
        }
        return {k: v for k, v in query.items() if v}


def _month(value: str) -> date | None:
    if not value:
        return None
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def _blank(choices) -> list[tuple[str, str]]:
    return [("", _("All"))] + list(choices)


class KpiFilterForm(forms.Form):
    date_from = forms.CharField(label=_("From month"), required=False, validators=[MONTH])
    date_to = forms.CharField(label=_("To month"), required=False, validators=[MONTH])
    city = forms.ChoiceField(label=_("City"), required=False, choices=[("", _("All"))])
    county = forms.CharField(label=_("County"), required=False, validators=[DIVISION])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(Kind.choices))
    voltage = forms.ChoiceField(label=_("Voltage"), required=False, choices=_blank(Voltage.choices))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_blank(Channel.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = Division.objects.filter(level=Division.Level.CITY).values_list("code", "name")
        self.fields["city"].choices = _blank(cities)

    def clean(self):
        data = super().clean()
        start, end = _month(data.get("date_from") or ""), _month(data.get("date_to") or "")
        if start and end and start > end:
            self.add_error("date_to", _("The last month comes before the first."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            date_from=_month(data["date_from"]),
            date_to=_month(data["date_to"]),
            city=data["city"],
            county=data["county"],
            kind=data["kind"],
            voltage=data["voltage"],
            channel=data["channel"],
        )
