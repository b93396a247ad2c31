"""Inbox rows in the caller's transaction; the SMS after commit, once, in the default language;
the text in the reader's language."""

import pytest
from django.db import transaction
from django.utils import translation

from notifications.models import Notification, SmsMessage
from notifications.services import notification_send, notify

pytestmark = pytest.mark.django_db


def test_inbox_row_now_sms_after_commit_once(planner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = notify(
            recipients=[planner],
            kind="task_assigned",
            params={"number": "XZ2026001", "due_date": "2026-12-07", "department": "planning"},
            link="/approvals/tasks/1/",
        )
        assert SmsMessage.objects.count() == 0  # not before commit
    sms = SmsMessage.objects.get()
    assert sms.phone == "13800000001" and "XZ2026001" in sms.text and "规划" in sms.text
    notification_send(notification_id=row.pk)  # a second delivery sends nothing
    assert SmsMessage.objects.count() == 1
    row.refresh_from_db()
    assert row.sms_sent_at is not None
    with translation.override("en"):
        assert row.text.startswith("New permit task for application XZ2026001")
        assert "planning bureau" in row.text


def test_rolled_back_work_notifies_no_one(planner):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[planner], kind="task_overdue", params={"number": "1"})
        raise RuntimeError
    assert not Notification.objects.exists() and not SmsMessage.objects.exists()


def test_unknown_kind_fails_in_the_caller(planner):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(recipients=[planner], kind="nope", params={})


def test_no_phone_no_sms_and_email_where_known(
    applicant, mailoutbox, django_capture_on_commit_callbacks
):
    applicant.phone, applicant.email = "", "zhang.wei@example.com"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[applicant], kind="overdue_assigned", params={"number": "XZ9"})
    assert Notification.objects.count() == 1 and SmsMessage.objects.count() == 0
    [mail] = mailoutbox
    assert mail.to == ["zhang.wei@example.com"] and "XZ9" in mail.body


def test_inbox_page_shows_own_messages_and_marks_them_read(client, planner, applicant):
    notify(recipients=[planner], kind="overdue_assigned", params={"number": "XZ-PLAN"})
    notify(recipients=[applicant], kind="overdue_assigned", params={"number": "XZ-OTHER"})
    assert client.get("/inbox/").status_code == 302  # sign in first
    client.force_login(planner)
    page = client.get("/inbox/").content.decode()
    assert "XZ-PLAN" in page and "XZ-OTHER" not in page and 'class="badge"' in page
    assert client.post("/inbox/").status_code == 302
    assert not Notification.objects.filter(recipient=planner, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=applicant, read_at__isnull=True).exists()
    assert 'class="badge"' not in client.get("/inbox/").content.decode()
