"""Temporary supply for a construction site (施工临时用电): what the kind adds to filing (the
period and the site contact), the construction permit's validity kept from its record check,
power-on, extension, removal, and the link with the permanent connection later filed for the
same project. The kind, its steps and its record rules are declared in `workflows.py` and
`govdata/rules.py`; the reminder before the end date and the overdue flag run in the
`temporary` app."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from govdata.models import RecordCheck
from govdata.records import construction_permit
from notifications.services import notify
from portal.errors import InvalidInput
from portal.fields import StrictCharField
from portal.jurisdiction import covers, same_city_q
from portal.models import CustomerType, Role, User
from portal.validators import validate_mobile

from ..models import Application, ElectricityAccount, Kind, SiteSupply, State, TimelineEntry

# The longest period one application asks for (the supply rules' three years); longer works
# are extended within the permit's validity.
MAX_PERIOD = timedelta(days=3 * 365)
NEW_END = "new_end_date"
ENDED = {State.REJECTED, State.WITHDRAWN, State.REMOVED}


class SiteFilingInput(forms.Form):
    starts_on = forms.DateField(required=False)
    ends_on = forms.DateField(required=False)
    site_contact_name = StrictCharField(max_length=100, required=False)
    site_contact_phone = StrictCharField(max_length=20, required=False)


def site_filing_clean(*, data, attrs: dict, customer_type: str, errors: dict) -> dict:
    """The kind's own inputs, judged with the rest of the filing: every problem into `errors`
    by field. Filed by an enterprise (the contractor or the developer), for a project code."""
    names = list(SiteFilingInput.base_fields)
    parsed = SiteFilingInput(data={n: data.get(n) for n in names if data.get(n) not in (None, "")})
    parsed.is_valid()
    for name, messages in parsed.errors.items():
        errors[name] = list(messages)
    got = parsed.cleaned_data
    for name in names:
        if name not in errors and not got.get(name):
            errors[name] = [_("This field is required.")]
    if customer_type != CustomerType.ENTERPRISE:
        errors["customer_type"] = [
            _(
                "A temporary supply for a construction site is filed by an enterprise (the "
                "contractor or the developer)."
            )
        ]
    if not attrs.get("project_code"):
        errors["project_code"] = [_("Give the construction project's code.")]
    starts, ends = got.get("starts_on"), got.get("ends_on")
    if starts and starts < timezone.localdate():
        errors["starts_on"] = [_("The supply cannot start in the past.")]
    if starts and ends:
        if ends <= starts:
            errors["ends_on"] = [_("The end date must be after the start date.")]
        elif ends - starts > MAX_PERIOD:
            errors["ends_on"] = [
                _("At most three years at a time; extend it later within the permit's validity.")
            ]
    phone = got.get("site_contact_phone") or ""
    if phone:
        try:
            phone = validate_mobile(phone)
        except forms.ValidationError as exc:
            errors["site_contact_phone"] = exc.messages
    return {
        "starts_on": starts,
        "ends_on": ends,
        "contact_name": (got.get("site_contact_name") or "").strip(),
        "contact_phone": phone,
    }


def site_details_create(*, application: Application, judged: dict) -> SiteSupply:
    return SiteSupply.objects.create(application=application, **judged)


def site_of(application: Application) -> SiteSupply | None:
    return SiteSupply.objects.filter(application_id=application.pk).first()


def site_contract_lines(application: Application) -> list[str]:
    """The temporary-supply contract's own clause: its period and what happens at its end."""
    site = site_of(application)
    if site is None:
        return []
    return [
        f"临时用电期限：{site.starts_on:%Y年%m月%d日}至{site.ends_on:%Y年%m月%d日}"
        f"（项目代码 {application.project_code}）。",
        "临时用电期满前，用电人可在施工许可证有效期内申请延期；期满未延期的，供电人拆除"
        "临时用电计量装置及线路，抄录最终读数并销户。",
    ]


def site_record_permit(*, application: Application) -> None:
    """When the records are verified: keep the construction permit's validity the platform
    gave, the limit of any extension (none is kept when a document stood in for it)."""
    check = RecordCheck.objects.filter(
        application_id=application.pk,
        service=construction_permit.CODE,
        state=RecordCheck.State.PASSED,
    ).first()
    valid_until = parse_date(str(check.result.get("valid_until") or "")) if check else None
    SiteSupply.objects.filter(application_id=application.pk).update(permit_valid_until=valid_until)


def site_energize(*, application: Application, account: ElectricityAccount) -> None:
    SiteSupply.objects.filter(application_id=application.pk).update(energized_at=timezone.now())


def site_extend(*, application: Application, new_end: date) -> SiteSupply:
    """In the extension step's transaction: a later end date, before the current one has
    passed and within the construction permit's validity; a refusal names the field."""
    site = SiteSupply.objects.select_for_update().get(application_id=application.pk)
    today = timezone.localdate()
    if site.ends_on < today:
        raise InvalidInput(
            {
                NEW_END: _(
                    "The supply ended on %(end)s: it can no longer be extended, the engineer "
                    "removes it."
                )
                % {"end": site.ends_on}
            }
        )
    if new_end <= site.ends_on:
        raise InvalidInput(
            {NEW_END: _("Give a date after the current end date, %(end)s.") % {"end": site.ends_on}}
        )
    if site.permit_valid_until is None:
        raise InvalidInput(
            {
                NEW_END: _(
                    "The construction permit's validity is not on record with the government "
                    "platform; the supply cannot be extended online."
                )
            }
        )
    if new_end > site.permit_valid_until:
        raise InvalidInput(
            {
                NEW_END: _(
                    "The construction permit is valid until %(until)s: the supply cannot be "
                    "extended beyond it."
                )
                % {"until": site.permit_valid_until}
            }
        )
    previous = site.ends_on
    site.ends_on, site.extensions, site.overdue_since = new_end, site.extensions + 1, None
    site.save(update_fields=["ends_on", "extensions", "overdue_since"])
    # The step's timeline row (written just before, in this transaction) says what changed,
    # in any language.
    entry = TimelineEntry.objects.filter(application_id=application.pk).order_by("-id").first()
    change = f"{previous.isoformat()} → {new_end.isoformat()}"
    entry.comment = f"{change} · {entry.comment}" if entry.comment else change
    entry.save(update_fields=["comment"])
    return site


def site_remove(*, application: Application, final_reading) -> None:
    """In the removal step's transaction: the meter and line are taken away, the final reading
    is kept and the account is closed."""
    now = timezone.now()
    SiteSupply.objects.filter(application_id=application.pk).update(
        final_reading_kwh=final_reading, removed_at=now
    )
    if application.account_id:
        ElectricityAccount.objects.filter(pk=application.account_id).update(closed_at=now)


def _open_site_supplies(project_code: str) -> QuerySet[SiteSupply]:
    return SiteSupply.objects.filter(
        application__kind=Kind.TEMPORARY_SUPPLY, application__project_code=project_code
    ).exclude(application__state__in=ENDED)


def site_link_permanent(*, application: Application) -> int:
    """A permanent connection submitted for a project code links to the temporary supplies of
    the same project still open (and not linked to another one)."""
    if not application.project_code:
        return 0
    return (
        _open_site_supplies(application.project_code)
        .filter(permanent__isnull=True)
        .update(permanent=application)
    )


def area_engineers(county_code: str) -> list[User]:
    """The engineers whose area covers a county (the jurisdiction rule of every engineer step)."""
    candidates = User.objects.filter(
        same_city_q(county_code, "division__code"), role=Role.ENGINEER, is_active=True
    ).select_related("division")
    return [user for user in candidates if covers(user.division, county_code)]


def site_schedule_removal(*, application: Application) -> int:
    """The permanent connection's power is on: each temporary supply linked to it and still on
    is due for removal today (the same visit), its engineers and applicant are told."""
    today = timezone.localdate()
    sites = list(
        SiteSupply.objects.select_for_update()
        .select_related("application")
        .filter(permanent=application, application__state=State.ENERGIZED)
    )
    for site in sites:
        site.removal_with_permanent = True
        site.ends_on = min(site.ends_on, today)
        site.reminded_for = site.ends_on  # no "ends soon" reminder: the removal is booked
        site.save(update_fields=["removal_with_permanent", "ends_on", "reminded_for"])
        temporary = site.application
        params = {"number": temporary.number, "permanent": application.number}
        notify(
            recipients=area_engineers(temporary.supply_county_id),
            kind="temporary_removal_scheduled",
            params=params,
            link=reverse("applications:engineer-application", args=[temporary.pk]),
        )
        notify(
            recipients=[temporary.applicant_id],
            kind="temporary_removal_scheduled",
            params=params,
            link=reverse("applications:page", args=[temporary.pk]),
        )
    return len(sites)
