"""The tour's step 5 (DESIGN section 9): once the resident's application is completed, the
supervisor sees it counted in the KPIs — procedures and days, approvals within the limit —
opens it from the drill-down, read-only and masked, and sees the seeded province per city."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application
from applications.services.applicant import application_rate
from approvals.models import ApprovalTask
from approvals.services import approval_task_decide
from portal.models import Role
from tests.browser.helpers import PASSWORD, screenshot
from tests.factories import make_user
from tests.workflow import FACE, application_body, first_free_slot, sign, step

pytestmark = pytest.mark.django_db(transaction=True)


def completed_with_permits(api, applicant, engineer, jinan, callbacks) -> Application:
    """Steps 1–4 of the tour through the services: filed, surveyed with 400 m across an urban
    road, each department approves, built, inspected, signed, energized, rated."""
    me, eng = api(applicant), api(engineer)
    pk = me.post("/api/v1/applications/", application_body(), format="json").json()["id"]
    with callbacks(execute=True):
        step(me, pk, "submit", **FACE)
    step(eng, pk, "accept")
    step(me, pk, "schedule_survey", slot=first_free_slot(pk).isoformat())
    step(eng, pk, "complete_survey", line_length_m=400, crosses_urban_road=True)
    with callbacks(execute=True):
        step(me, pk, "confirm_scheme")
    for task in ApprovalTask.objects.filter(application_id=pk).select_related("department"):
        code = task.department.code
        approver = make_user(f"b_approver_{code}", Role.APPROVER, department=code, division=jinan)
        approval_task_decide(
            task_id=task.pk, actor=approver, decision="approve", permit_number=f"XK-{code}"
        )
    step(eng, pk, "complete_construction")
    step(eng, pk, "pass_inspection")
    sign(me, pk, callbacks)
    step(eng, pk, "energize")
    application = Application.objects.get(pk=pk)
    application_rate(application=application, actor=applicant, rating=5)
    assert application.state == "completed"
    return application


# "Within the published limit" is measured against the commitments table, which a transactional
# test before this one may have flushed with its data migration.
@pytest.mark.usefixtures("commitment_defaults")
def test_the_supervisor_sees_the_completed_application_and_the_province(
    api, applicant, engineer, jinan, gov_platform, context_for, django_capture_on_commit_callbacks
):
    call_command("loaddata", "departments", verbosity=0)
    call_command("seed_history", count=400, seed=5, until=date(2026, 6, 1), verbosity=0)
    application = completed_with_permits(
        api, applicant, engineer, jinan, django_capture_on_commit_callbacks
    )
    supervisor = make_user("b_supervisor", Role.SUPERVISOR)
    supervisor.set_password(PASSWORD)
    supervisor.save()

    page = context_for("b_supervisor", PASSWORD, viewport="375")
    assert page.url.endswith("/supervision/")
    # The province's seeded figures per city.
    assert page.locator("#cities tbody tr[data-city]").count() == 16
    assert page.locator("#kpi-cities").inner_text() == "16"
    screenshot(page, "supervisor-dashboard")

    # This month in Jinan: the resident's application and nothing else.
    month = f"{timezone.localdate():%Y-%m}"
    page.goto(f"/supervision/?date_from={month}&date_to={month}&city=370100")
    assert page.locator("#kpi-completed").inner_text() == "1"
    assert page.locator("#kpi-within-limit").inner_text() == "100.0%"
    procedures = page.locator("#wb-procedures td").first.inner_text()
    assert procedures == str(application.timeline.filter(role__in=("applicant", "clerk")).count())
    assert page.locator("#wb-days td").first.inner_text() == "0"
    decided = ApprovalTask.objects.filter(application=application).count()
    assert page.locator("#kpi-approvals-within").inner_text() == "100.0%"
    assert f"({decided} / {decided})" in page.locator("#headline").inner_text()

    page.locator("#kpi-completed").click()
    page.wait_for_load_state()
    row = page.locator(f'#drill tr[data-application="{application.pk}"]')
    assert row.count() == 1
    row.locator("a").click()
    page.wait_for_load_state()
    summary = page.locator("#summary").inner_text()
    assert application.number in summary and "张伟" not in summary
    assert page.locator("#state").inner_text() == "已办结"
    assert page.locator("main form").count() == 0  # read-only: nothing to act on
    screenshot(page, "supervisor-application")

    public = context_for("nobody", "nothing")  # signed out: the public page needs nobody
    public.goto("/transparency/")
    assert public.locator("#transparency tbody tr[data-city]").count() == 16
    screenshot(public, "transparency")
