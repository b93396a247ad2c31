"""The day before the survey the applicant is reminded once, through the outbox; the job is a
periodic one like the others (beat in production, `run_periodic` under `make run`)."""

import pytest
from django.conf import settings

from applications.services import application_transition
from notifications.models import Notification
from portal.celery import app
from portal.models import OutboxMessage
from surveys.models import SurveyBooking
from surveys.services import survey_reminders_send
from surveys.tasks import send_reminders_task
from tests.surveys.booking import accepted, at

pytestmark = pytest.mark.django_db


def book(application, actor, start):
    application_transition(
        application_id=application.pk, name="schedule_survey", actor=actor, payload={"slot": start}
    )


def test_tomorrows_bookings_are_reminded_exactly_once(applicant, engineer, time_machine):
    time_machine.move_to(at(2026, 10, 7, 10), tick=False)  # the last day of National Day
    tomorrow, later = accepted(applicant), accepted(applicant)
    book(tomorrow, applicant, at(2026, 10, 8, 14))
    book(later, applicant, at(2026, 10, 9, 9))
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()

    time_machine.move_to(at(2026, 10, 7, 18), tick=False)
    assert survey_reminders_send() == 1
    reminder = Notification.objects.get(kind="survey_reminder")
    assert reminder.recipient == applicant
    assert reminder.params == {"number": tomorrow.number, "time": "2026-10-08 14:00–15:30"}
    assert reminder.link == f"/applications/{tomorrow.pk}/"
    sms = OutboxMessage.objects.filter(handler="notifications.services.notification_send")
    assert [m.payload for m in sms] == [{"notification_id": reminder.pk}]
    assert "2026-10-08 14:00" in reminder.text

    time_machine.move_to(at(2026, 10, 7, 19), tick=False)
    assert survey_reminders_send() == 0  # the next hourly run: already reminded
    assert send_reminders_task.apply().result == 0
    assert Notification.objects.filter(kind="survey_reminder").count() == 1
    assert SurveyBooking.objects.get(application=tomorrow).reminded_at == at(2026, 10, 7, 18)

    time_machine.move_to(at(2026, 10, 8, 18), tick=False)  # the next evening: the other one
    assert survey_reminders_send() == 1
    assert Notification.objects.filter(kind="survey_reminder").count() == 2


def test_a_cancelled_or_surveyed_booking_is_not_reminded(applicant, engineer, time_machine):
    time_machine.move_to(at(2026, 10, 7, 10), tick=False)
    cancelled, surveyed = accepted(applicant), accepted(applicant)
    book(cancelled, applicant, at(2026, 10, 8, 9))
    book(surveyed, applicant, at(2026, 10, 8, 9))
    application_transition(
        application_id=cancelled.pk, name="cancel_survey", actor=applicant, payload={"reason": "x"}
    )
    application_transition(
        application_id=surveyed.pk,
        name="complete_survey",
        actor=engineer,
        payload={"line_length_m": 0},
    )
    assert survey_reminders_send() == 0


def test_the_reminder_job_is_in_the_periodic_table():
    entries = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "surveys.send_reminders" in entries
    assert "surveys.send_reminders" in app.tasks
