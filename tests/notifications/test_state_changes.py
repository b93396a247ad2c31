"""Every state change reaches the people it concerns, not the person who made it."""

import pytest
from django.utils import translation

from notifications.models import Notification
from tests.factories import new_application
from tests.workflow import SLOT, TO_ACCEPTED, drive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("divisions_and_platform")]


def moved(user) -> list[str]:
    rows = Notification.objects.filter(recipient=user, kind="application_moved").order_by("id")
    return [row.params["state_label"] for row in rows]


def test_the_applicant_hears_of_others_steps_not_their_own(
    applicant, engineer, django_capture_on_commit_callbacks
):
    application = new_application(applicant)
    people = {"applicant": applicant, "engineer": engineer}
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, TO_ACCEPTED[:1], people)  # own submit: no message; verified: one
    drive(application, TO_ACCEPTED[1:], people)  # the engineer accepts: one
    drive(application, [("schedule_survey", "applicant", {"slot": SLOT})], people)  # own: none
    assert moved(applicant) == ["Awaiting acceptance", "Accepted"]
    latest = Notification.objects.filter(recipient=applicant).first()
    assert latest.link == f"/applications/{application.pk}/"
    with translation.override("en"):
        assert latest.text == f"Your application {application.number} is now at: Accepted."
    with translation.override("zh-hans"):
        assert "已受理" in latest.text and application.number in latest.text
    assert not Notification.objects.filter(recipient=engineer).exists()
