"""Every SMS names this portal, so the reader knows where to answer — never "in another app"."""

import pytest
from django.utils import translation

from notifications.messages import KINDS, SMS_SIGNATURE, render
from notifications.models import SmsMessage
from notifications.services import notify, sms_notify

pytestmark = pytest.mark.django_db

PARAMS = {
    "number": "GE1", "due_date": "2026-12-07", "department": "planning", "line_length_m": "90",
    "question": "?", "permit_number": "P1", "reason": "r", "state_label": "Accepted",
    "account": "3701",
}  # fmt: skip


def test_every_sms_names_the_getting_electricity_portal(
    planner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for kind in KINDS:
            notify(recipients=[planner], kind=kind, params=PARAMS)
        sms_notify(phone="13900000077", kind="filed_in_your_name", params=PARAMS)
    texts = [message.text for message in SmsMessage.objects.all()]
    assert len(texts) == len(KINDS) + 1
    with translation.override("zh-hans"):
        signature = str(SMS_SIGNATURE)
    assert "获得电力" in signature
    assert all(text.startswith(signature) for text in texts), texts


def test_the_consent_sms_sends_the_holder_to_this_portal(db):
    with translation.override("en"):
        text = render("consent_requested", PARAMS)
    assert "Getting Electricity portal" in text and "another app" not in text
