"""The end of a temporary supply on the working-day calendar: the applicant's reminder, once,
five working days ahead; the engineers' overdue flag on the first working day after the end
date. Known dates around the 2026 Mid-Autumn and National Day holidays: 25 Sep (Fri) and
1–7 Oct are holidays, 10 Oct (Sat) is a make-up working day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from applications.models import Application, SiteSupply, State
from notifications.models import Notification
from portal.celery import app as portal_app
from portal.models import OutboxMessage
from temporary.services import REMIND_WORKING_DAYS, EndsWatched, temporary_supplies_watch

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def reminders(user):
    return Notification.objects.filter(recipient=user, kind="temporary_ends_soon")


def flags(user):
    return Notification.objects.filter(recipient=user, kind="temporary_overdue")


def test_the_reminder_goes_five_working_days_ahead_once(site, enterprise_applicant):
    assert REMIND_WORKING_DAYS == 5
    # Wed 23 Sep: six working days left (24, 28, 29, 30 Sep, 8, 9 Oct) — not yet, although a
    # plain count of days would say 16.
    assert temporary_supplies_watch(today=date(2026, 9, 23)).reminded == 0
    # Thu 24 Sep: five working days left (the holiday and the weekend do not count).
    assert temporary_supplies_watch(today=date(2026, 9, 24)).reminded == 1
    sent = reminders(enterprise_applicant).get()
    assert sent.params == {"number": site.application.number, "ends_on": "2026-10-09"}
    assert OutboxMessage.objects.filter(
        handler="notifications.services.notification_send", payload={"notification_id": sent.pk}
    ).exists()  # the SMS goes through the outbox
    # Once: the following days send nothing more.
    for day in (date(2026, 9, 25), date(2026, 9, 28), date(2026, 10, 9)):
        assert temporary_supplies_watch(today=day).reminded == 0
    assert reminders(enterprise_applicant).count() == 1


def test_an_extension_gets_its_own_reminder(site, enterprise_applicant):
    temporary_supplies_watch(today=date(2026, 9, 24))
    SiteSupply.objects.filter(pk=site.pk).update(ends_on=date(2026, 10, 30))  # extended
    assert temporary_supplies_watch(today=date(2026, 10, 22)).reminded == 0  # 6 working days
    assert temporary_supplies_watch(today=date(2026, 10, 23)).reminded == 1
    sent = reminders(enterprise_applicant).order_by("pk")
    assert list(sent.values_list("params__ends_on", flat=True)) == [
        "2026-10-09",
        "2026-10-30",
    ]


def test_the_overdue_flag_comes_on_the_first_working_day_after_the_end(
    site, engineer, outsider, enterprise_applicant
):
    SiteSupply.objects.filter(pk=site.pk).update(
        ends_on=date(2026, 9, 30), reminded_for=date(2026, 9, 30)
    )
    # The National Day holiday: not overdue yet for the engineer, whose next working day is 8 Oct.
    for day in range(1, 8):
        assert temporary_supplies_watch(today=date(2026, 10, day)).flagged == 0
    assert temporary_supplies_watch(today=date(2026, 10, 8)).flagged == 1
    site.refresh_from_db()
    assert site.overdue_since == date(2026, 10, 8)
    flag = flags(engineer).get()
    assert flag.params["ends_on"] == "2026-09-30" and str(site.application.pk) in flag.link
    assert not flags(outsider).exists()  # another city's engineer
    assert not flags(enterprise_applicant).exists()
    # Once.
    assert temporary_supplies_watch(today=date(2026, 10, 9)).flagged == 0
    assert flags(engineer).count() == 1


def test_a_make_up_saturday_is_a_working_day_for_the_flag(site, engineer):
    # Ends Fri 9 Oct; Sat 10 Oct is a make-up working day: overdue then, not on Monday.
    site.reminded_for = site.ends_on
    site.save()
    assert temporary_supplies_watch(today=date(2026, 10, 9)).flagged == 0
    assert temporary_supplies_watch(today=date(2026, 10, 10)).flagged == 1
    assert flags(engineer).count() == 1


def test_a_removed_or_extended_supply_is_not_flagged(site, engineer):
    Application.objects.filter(pk=site.application_id).update(state=State.REMOVED)
    assert temporary_supplies_watch(today=date(2026, 10, 12)) == EndsWatched(0, 0)
    Application.objects.filter(pk=site.application_id).update(state=State.ENERGIZED)
    SiteSupply.objects.filter(pk=site.pk).update(ends_on=date(2026, 12, 31))  # extended
    assert temporary_supplies_watch(today=date(2026, 10, 12)) == EndsWatched(0, 0)
    assert not flags(engineer).exists()


def test_the_job_is_in_the_beat_schedule_and_runs_on_todays_date(site, engineer, time_machine):
    entry = settings.CELERY_BEAT_SCHEDULE["temporary-watch-end-dates"]
    portal_app.loader.import_default_modules()  # as beat and the embedded scheduler do
    assert entry["task"] in portal_app.tasks
    time_machine.move_to(datetime(2026, 10, 10, 9, 0, tzinfo=SHANGHAI), tick=False)
    result = portal_app.tasks[entry["task"]].apply().result
    assert result == {"reminded": 0, "flagged": 1}
    assert SiteSupply.objects.get(pk=site.pk).overdue_since == date(2026, 10, 10)


def test_the_engineer_queue_shows_the_overdue_supply(site, engineer, client):
    temporary_supplies_watch(today=date(2026, 10, 10))
    client.force_login(engineer)
    page = client.get("/engineer/").content.decode()
    assert site.application.number in page
    assert 'data-overdue="2026-10-10"' in page


def test_the_reminder_reads_in_both_languages_in_the_inbox(site, enterprise_applicant, client):
    temporary_supplies_watch(today=date(2026, 9, 24))
    client.force_login(enterprise_applicant)
    number = site.application.number
    english = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"The temporary supply of application {number} ends on 2026-10-09" in english
    chinese = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"申请{number}的临时用电将于2026-10-09到期" in chinese


def test_the_public_progress_page_shows_the_temporary_supply_without_personal_data(site, client):
    application = site.application
    page = client.get(
        "/progress/",
        {"number": application.number, "check_code": application.check_code},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Temporary supply on" in page and "王建国" not in page
