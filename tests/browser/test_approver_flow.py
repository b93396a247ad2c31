"""An approver signs in, finds the task at the top of the queue and approves it with a permit
number; the applicant's page then shows the department approved."""

import pytest

from approvals.models import ApprovalTask
from tests.browser.helpers import PASSWORD, screenshot
from tests.workflow import to_permitting

pytestmark = pytest.mark.django_db(transaction=True)


def test_approver_approves_and_the_applicant_sees_it(
    people, gov_platform, context_for, django_capture_on_commit_callbacks
):
    applicant, engineer, approver = people
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, crosses_urban_road=False
    )
    task = ApprovalTask.objects.get(application=application)

    for width in ("375", "1280"):
        page = context_for("b_approver", PASSWORD, width)
        assert page.url.endswith("/approvals/")
        first_row = page.locator("#queue tbody tr").first
        assert first_row.get_attribute("data-task") == str(task.pk)
        screenshot(page, "approver-queue")
        first_row.get_by_role("link", name=application.number).click()
        screenshot(page, "approver-task")

    page.get_by_label("批准", exact=True).check()
    page.get_by_label("许可证号").fill("建字第370100202612001号")
    page.get_by_label("意见", exact=True).fill("同意按方案施工")
    page.get_by_role("button", name="记录决定").click()
    page.wait_for_url("**/approvals/")
    assert "已记录" in page.locator(".messages").inner_text()
    task.refresh_from_db()
    assert task.state == "approved" and task.permit_number == "建字第370100202612001号"

    mine = context_for("b_applicant", PASSWORD)
    mine.goto(f"/applications/{application.pk}/")
    planning = mine.locator('#permits li[data-department="planning"]')
    assert "已批准" in planning.inner_text()
    assert "建字第370100202612001号" in planning.inner_text()
    assert mine.locator("#stage").inner_text() == "工程施工"
    screenshot(mine, "applicant-application")
