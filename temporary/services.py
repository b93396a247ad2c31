"""The end of a temporary supply, watched on the working-day calendar: the applicant is
reminded once, a few working days ahead of the end date; the engineers of the area are told,
and the application is flagged, once the end date has passed and a working day has begun
without the supply being extended or removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import SiteSupply, State
from applications.services.temporary import area_engineers
from notifications.services import notify
from portal.calendar import WorkingDays, working_days_left

# The reminder goes out this many working days before the end date (or at once, when the
# period is shorter than that).
REMIND_WORKING_DAYS = 5
# Further than this many calendar days ahead, no end date is within reach of the reminder.
LOOK_AHEAD = timedelta(days=40)


@dataclass(frozen=True)
class EndsWatched:
    reminded: int
    flagged: int


def _first_working_day_after(day: date, calendar: WorkingDays) -> date:
    day += timedelta(days=1)
    while not calendar.is_workday(day)[0]:
        day += timedelta(days=1)
    return day


def temporary_supplies_watch(*, today: date | None = None) -> EndsWatched:
    """Periodic, idempotent: each supply still on is reminded once for its end date, and
    flagged once when it is overdue. An extension sets a new end date (a new reminder) and
    clears the flag; a removal takes the supply out of the watch."""
    today = today or timezone.localdate()
    reminded = flagged = 0
    with transaction.atomic():
        sites = list(
            SiteSupply.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application")
            .filter(application__state=State.ENERGIZED, ends_on__lte=today + LOOK_AHEAD)
        )
        if not sites:
            return EndsWatched(0, 0)
        earliest = min(site.ends_on for site in sites)
        calendar = WorkingDays(min(earliest, today), max(today, earliest) + LOOK_AHEAD)
        for site in sites:
            application = site.application
            params = {"number": application.number, "ends_on": site.ends_on.isoformat()}
            if site.ends_on >= today and site.reminded_for != site.ends_on:
                if working_days_left(today, site.ends_on, calendar) <= REMIND_WORKING_DAYS:
                    site.reminded_for = site.ends_on
                    site.save(update_fields=["reminded_for"])
                    notify(
                        recipients=[application.applicant_id],
                        kind="temporary_ends_soon",
                        params=params,
                        link=reverse("applications:page", args=[application.pk]),
                    )
                    reminded += 1
            elif (
                site.ends_on < today
                and site.overdue_since is None
                and _first_working_day_after(site.ends_on, calendar) <= today
            ):
                site.overdue_since = today
                site.save(update_fields=["overdue_since"])
                notify(
                    recipients=area_engineers(application.supply_county_id),
                    kind="temporary_overdue",
                    params=params,
                    link=reverse("applications:engineer-application", args=[application.pk]),
                )
                flagged += 1
    return EndsWatched(reminded, flagged)
