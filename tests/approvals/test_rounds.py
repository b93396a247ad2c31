"""Rounds of approval (issue #11): a refusal, a revision or a re-survey, a new round of tasks
that the roll-up reads alone, earlier rounds kept as history; and withdrawal before the power is
on, cancelling what is still open."""

import pytest
from django.dispatch import receiver

from applications.models import Application, State
from applications.services import application_transition
from applications.signals import application_withdrawn
from applications.workflows import (
    CONFIRM_SCHEME,
    RESURVEY,
    REVISE_SCHEME,
    WITHDRAW,
    WITHDRAWABLE,
    WITHDRAWABLE_WORKS,
)
from approvals.models import ApprovalTask
from approvals.services import approval_task_decide, permit_round
from portal.models import OutboxMessage
from portal.outbox import outbox_enqueue
from tests.factories import new_application
from tests.workflow import sign, step, to_permitting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("departments_and_platform")]

HIGHWAY_300 = {"line_length_m": 300, "crosses_highway": True, "crosses_urban_road": False}


def decide(client, task_id, **body):
    response = client.post(f"/api/v1/approvals/tasks/{task_id}/decide/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def current_tasks(application_id):
    tasks = ApprovalTask.objects.filter(
        application_id=application_id, round=permit_round(application_id)
    ).select_related("department")
    return {t.department.code: t for t in tasks}


def refused(api, approvers, application_id):
    """Planning refuses, transport approves: the first round ends in permits_rejected."""
    tasks = current_tasks(application_id)
    assert sorted(tasks) == ["planning", "transport"]
    decide(api(approvers["planning"]), tasks["planning"].pk, decision="reject", reason="与控规冲突")
    decide(
        api(approvers["transport"]), tasks["transport"].pk, decision="approve", permit_number="T-1"
    )
    assert Application.objects.get(pk=application_id).state == State.PERMITS_REJECTED


def in_second_round(api, applicant, engineer, approvers, callbacks):
    """Refused in the first round, revised on the same route, confirmed again."""
    application = to_permitting(applicant, engineer, callbacks, **HIGHWAY_300)
    refused(api, approvers, application.pk)
    application_transition(application_id=application.pk, name=REVISE_SCHEME.name, actor=engineer)
    with callbacks(execute=True):
        application_transition(
            application_id=application.pk, name=CONFIRM_SCHEME.name, actor=applicant
        )
    return application


@pytest.mark.parametrize("revision", ["resurvey", "revise_scheme"])
def test_stranded_after_a_refusal_a_second_round_ends_in_completed(
    api, applicant, engineer, approvers, django_capture_on_commit_callbacks, revision
):
    """The scenario of the issue, through the API: the second confirmation opens a second round
    (the old, decided tasks are not reused) and the application reaches `completed`."""
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, **HIGHWAY_300
    )
    pk = application.pk
    me, eng = api(applicant), api(engineer)
    refused(api, approvers, pk)
    if revision == RESURVEY.name:
        body = step(eng, pk, RESURVEY.name, line_length_m=280, crosses_highway=True)
        assert body["line_length_m"] == 280
    else:
        body = step(eng, pk, REVISE_SCHEME.name, comment="避开规划绿线")
    assert body["state"] == "scheme_offered"
    with django_capture_on_commit_callbacks(execute=True):
        assert step(me, pk, CONFIRM_SCHEME.name)["state"] == "works_permitting"
    second = current_tasks(pk)
    assert {t.round for t in second.values()} == {2}
    assert all(t.state == "pending" for t in second.values())
    detail = me.get(f"/api/v1/applications/{pk}/").json()
    rows = detail["approvals"]
    assert [
        (r["round"], r["current"], r["state"]) for r in rows if r["department"] == "planning"
    ] == [
        (1, False, "rejected"),
        (2, True, "pending"),
    ]
    for code, task in second.items():
        decide(api(approvers[code]), task.pk, decision="approve", permit_number=f"{code}-2")
    assert me.get(f"/api/v1/applications/{pk}/").json()["state"] == "construction"
    step(eng, pk, "complete_construction")
    step(eng, pk, "pass_inspection")
    sign(me, pk, django_capture_on_commit_callbacks)
    assert step(eng, pk, "energize")["state"] == "completed"


def test_the_roll_up_looks_only_at_the_current_round(
    api, applicant, engineer, approvers, django_capture_on_commit_callbacks
):
    """The first round's refusal stays in the table but does not refuse the second round."""
    application = in_second_round(
        api, applicant, engineer, approvers, django_capture_on_commit_callbacks
    )
    for code, task in current_tasks(application.pk).items():
        approval_task_decide(
            task_id=task.pk, actor=approvers[code], decision="approve", permit_number="P"
        )
    application.refresh_from_db()
    assert application.state == State.CONSTRUCTION
    assert ApprovalTask.objects.filter(application=application, state="rejected").count() == 1


def test_the_resurvey_is_the_engineers_from_a_refusal_only(
    api, applicant, engineer, approvers, outsider, django_capture_on_commit_callbacks
):
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, **HIGHWAY_300
    )
    pk = application.pk
    # Wrong state: while the permits are being decided.
    step(api(engineer), pk, RESURVEY.name, expect=409, line_length_m=100)
    refused(api, approvers, pk)
    # Wrong role, wrong user, missing facts.
    step(api(applicant), pk, RESURVEY.name, expect=403, line_length_m=100)
    response = api(outsider).post(
        f"/api/v1/applications/{pk}/transitions/{RESURVEY.name}/", {"line_length_m": 100}
    )
    assert response.status_code in (403, 404)
    assert "line_length_m" in step(api(engineer), pk, RESURVEY.name, expect=400)
    # A shorter route needs only a commitment.
    step(api(engineer), pk, RESURVEY.name, line_length_m=120)
    assert step(api(applicant), pk, CONFIRM_SCHEME.name)["state"] == "works_filing"


def test_earlier_rounds_are_shown_on_the_applicants_engineers_and_approvers_pages(
    client, api, applicant, engineer, approvers, django_capture_on_commit_callbacks
):
    application = in_second_round(
        api, applicant, engineer, approvers, django_capture_on_commit_callbacks
    )
    planning = current_tasks(application.pk)["planning"]
    pages = [
        (applicant, f"/applications/{application.pk}/"),
        (engineer, f"/engineer/applications/{application.pk}/"),
        (approvers["planning"], f"/approvals/tasks/{planning.pk}/"),
    ]
    for user, url in pages:
        client.force_login(user)
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'id="earlier-rounds"' in html and 'data-round="1"' in html, user
        assert "与控规冲突" in html, user


@pytest.mark.parametrize("state", [*WITHDRAWABLE, *WITHDRAWABLE_WORKS])
def test_withdrawal_is_possible_from_every_state_before_energizing(applicant, state):
    application = new_application(applicant)
    Application.objects.filter(pk=application.pk).update(state=state)
    moved = application_transition(
        application_id=application.pk, name=WITHDRAW.name, actor=applicant
    )
    assert moved.state == State.WITHDRAWN


@pytest.mark.parametrize("state", [State.COMPLETED, State.REJECTED, State.WITHDRAWN])
def test_an_ended_application_cannot_be_withdrawn(api, applicant, state):
    application = new_application(applicant)
    Application.objects.filter(pk=application.pk).update(state=state)
    step(api(applicant), application.pk, WITHDRAW.name, expect=409)


def test_only_the_applicant_withdraws(api, applicant, engineer, clerk, outsider):
    application = new_application(applicant)
    Application.objects.filter(pk=application.pk).update(state=State.SCHEME_OFFERED)
    step(api(engineer), application.pk, WITHDRAW.name, expect=403)
    for user in (clerk, outsider):  # not in their scope at all
        step(api(user), application.pk, WITHDRAW.name, expect=404)
    assert Application.objects.get(pk=application.pk).state == State.SCHEME_OFFERED


def test_withdrawal_cancels_open_tasks_and_pending_work_and_tells_others(
    api, applicant, engineer, approvers, django_capture_on_commit_callbacks
):
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, **HIGHWAY_300
    )
    tasks = current_tasks(application.pk)
    approval_task_decide(
        task_id=tasks["transport"].pk,
        actor=approvers["transport"],
        decision="approve",
        permit_number="T-1",
    )
    waiting = outbox_enqueue(
        handler="applications.handoffs.request_permits",
        payload={"application_id": application.pk},
    )
    told = []

    @receiver(application_withdrawn, weak=False)
    def record(sender, application_id, **kwargs):  # a colleague's hook, e.g. survey bookings
        told.append(application_id)

    try:
        step(api(applicant), application.pk, WITHDRAW.name)
    finally:
        application_withdrawn.disconnect(record)
    assert told == [application.pk]
    states = {t.department.code: t.state for t in current_tasks(application.pk).values()}
    assert states == {"planning": "cancelled", "transport": "approved"}
    waiting.refresh_from_db()
    assert waiting.state == OutboxMessage.State.DONE and waiting.last_error == "withdrawn"
    # The approver can no longer decide the cancelled task.
    response = api(approvers["planning"]).post(
        f"/api/v1/approvals/tasks/{tasks['planning'].pk}/decide/",
        {"decision": "approve", "permit_number": "x"},
        format="json",
    )
    assert response.status_code in (404, 409)


def test_a_refused_application_waits_in_the_engineers_queue(
    client, api, applicant, engineer, approvers, django_capture_on_commit_callbacks
):
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, **HIGHWAY_300
    )
    refused(api, approvers, application.pk)
    client.force_login(engineer)
    html = client.get("/engineer/").content.decode()
    assert f"/engineer/applications/{application.pk}/" in html
