"""The applicant sees when the power will be on, whose turn the waiting is and the compensation
accruing on a delayed application; the public progress page shows the predicted date and
nothing personal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import TimelineEntry
from applications.services import application_transition
from applications.workflows import SIGN_CONTRACT
from promises.compensation import compensation_accrued
from promises.summary import promise_summary
from promises.worktime import DAY, WorkingTime
from tests.browser.helpers import PASSWORD, screenshot
from tests.factories import new_application
from tests.workflow import FACE, first_free_slot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("commitment_defaults"),
]


def delayed_application(applicant, engineer, monkeypatch):
    """A resident's connection now waiting for the meter, its steps moved back in time so that
    the utility has used about nine working days of a five-day commitment."""
    monkeypatch.setattr(SIGN_CONTRACT, "before", None)
    application = new_application(applicant)
    now = timezone.now()
    people = {"applicant": applicant, "engineer": engineer}
    for name, who, payload in [
        ("submit", "applicant", FACE),
        ("accept", "engineer", {}),
        ("schedule_survey", "applicant", {"slot": first_free_slot(application)}),
        ("complete_survey", "engineer", {"line_length_m": 0}),
        ("confirm_scheme", "applicant", {}),
        ("sign_contract", "applicant", {"sms_code": "0"}),
    ]:
        application_transition(
            application_id=application.pk, name=name, actor=people[who], payload=payload
        )
    start = now - timedelta(days=25)
    calendar = WorkingTime(timezone.localdate(start), timezone.localdate(now) + timedelta(days=5))
    offsets = {  # working days after the start at which each state was entered
        "verifying": 0, "pending_acceptance": 0.05, "accepted": 4, "survey_scheduled": 5,
        "scheme_offered": 8, "contract_pending": 8.05, "connecting": 8.1,
    }  # fmt: skip
    for entry in TimelineEntry.objects.filter(application=application):
        moved = calendar.add(start, DAY * offsets[entry.to_state])
        TimelineEntry.objects.filter(pk=entry.pk).update(created_at=moved)
    application.refresh_from_db()
    return application


def test_applicant_sees_prediction_turn_and_compensation_public_page_no_personal_data(
    browser, people, context_for, gov_platform, monkeypatch
):
    applicant, engineer, _ = people
    application = delayed_application(applicant, engineer, monkeypatch)
    owed = compensation_accrued(application)
    assert owed.days_late > 0  # the script really is late
    predicted = promise_summary(application)["predicted_completion"]
    assert predicted is not None

    page = context_for("b_applicant", PASSWORD)
    page.goto(f"/applications/{application.pk}/")
    promise = page.locator("#promise")
    assert promise.locator("#predicted time").get_attribute("datetime") == f"{predicted:%Y-%m-%d}"
    assert promise.locator("#turn").get_attribute("data-turn") == "utility"
    assert promise.locator("#turn").inner_text() == "供电企业"
    compensation = promise.locator("#compensation").inner_text()
    assert owed.amount_yuan in compensation and str(owed.days_late) in compensation
    assert promise.locator('#clocks tr[data-clock="applicant"]').count() == 1
    screenshot(page, "promise-panel")

    public = browser.new_context(locale="zh-CN", base_url=page.url.split("/applications")[0])
    visitor = public.new_page()
    visitor.goto(f"/progress/?number={application.number}&check_code={application.check_code}")
    shown = visitor.locator("#promise")
    assert shown.locator("#predicted time").get_attribute("datetime") == f"{predicted:%Y-%m-%d}"
    text = visitor.content()
    for personal in (application.applicant_name, application.phone, application.supply_address):
        assert personal not in text
    assert visitor.locator("#compensation").count() == 0
    screenshot(visitor, "promise-public")
    public.close()
