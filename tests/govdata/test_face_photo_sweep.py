"""No face photo is kept past FACE_PHOTO_MAX_AGE_MINUTES: the periodic sweep."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from applications.models import Application
from applications.services import application_transition
from govdata.models import RecordCheck
from govdata.services import face_photos_sweep
from govdata.tasks import sweep_face_photos_task
from tests.factories import new_application
from tests.workflow import FACE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("divisions_and_platform")]


def submit_while_the_face_service_hangs(applicant, gov_platform, callbacks):
    gov_platform.unavailable = {"face"}
    application = new_application(applicant)
    with callbacks(execute=True):
        application_transition(
            application_id=application.pk, name="submit", actor=applicant, payload=FACE
        )
    return RecordCheck.objects.get(application_id=application.pk, service="face")


def test_the_sweep_deletes_a_photo_older_than_the_limit_and_asks_for_the_id_card(
    applicant, gov_platform, django_capture_on_commit_callbacks
):
    face = submit_while_the_face_service_hangs(
        applicant, gov_platform, django_capture_on_commit_callbacks
    )
    assert face.state == "pending" and "photo" in face.request
    assert face_photos_sweep() == 0  # young: left alone
    RecordCheck.objects.filter(pk=face.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.FACE_PHOTO_MAX_AGE_MINUTES + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert face_photos_sweep() == 1
    face.refresh_from_db()
    assert "photo" not in face.request and face.state == "unavailable"
    application = Application.objects.get(pk=face.application_id)
    assert "id_card" in application.documents_requested
    assert face_photos_sweep() == 0  # nothing left to sweep


def test_the_sweep_is_in_the_beat_schedule():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "govdata.sweep_face_photos"
    )
    assert entry["schedule"] <= timedelta(minutes=settings.FACE_PHOTO_MAX_AGE_MINUTES)
    assert sweep_face_photos_task.name == entry["task"]
