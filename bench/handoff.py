"""Approval hand-offs: how fast a confirmed scheme reaches every department, and how fast the
last department's decision becomes the applicant's new state.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python bench/handoff.py [--apps 60]

Starts the mock platform and a Celery worker itself (the database is migrated and emptied of
applications first: point it at a scratch database). Each application is verified by the worker,
accepted, surveyed (400 m, crossing an urban road: planning, housing and traffic police) and
its scheme confirmed; the worker opens the three tasks and tells the approvers. Then, for many
applications at once (8 threads), the three approvers decide through the API; after the first
two, the third decision is timed from the moment it is sent until the applicant's own API read
shows `construction`. Prints `name: value` lines; target: p95 of the last figure under 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the in-process client's host name

from common import (
    file_drafts,
    out,
    percentile,
    require_services,
    running,
    submit,
    wait_settled,
)
from django.core.management import call_command
from django.db import connection
from django.test import Client

from applications.models import Application, TimelineEntry
from applications.services import application_transition
from approvals.models import ApprovalTask
from notifications.models import Notification
from portal.models import CustomerType, Department, Division, Role, User
from surveys.services import survey_slots_free

DEPARTMENTS = ("housing", "planning", "traffic_police")


def prepare() -> tuple[User, User, dict[str, User]]:
    call_command("migrate", verbosity=0)
    call_command("loaddata", "divisions", "service_halls", "departments", verbosity=0)
    TimelineEntry.objects.all().delete()
    Application.objects.all().delete()
    Notification.objects.all().delete()
    jinan = Division.objects.get(code="370100")

    def user(username: str, role: str, **scope) -> User:
        person, _ = User.objects.update_or_create(
            username=username, defaults={"role": role, **scope}
        )
        return person

    applicant = user(
        "bench_applicant", Role.APPLICANT, customer_type=CustomerType.RESIDENTIAL, phone=""
    )
    engineer = user("bench_engineer", Role.ENGINEER, division=jinan)
    approvers = {
        code: user(f"bench_approver_{code}", Role.APPROVER, department=code, division=jinan)
        for code in DEPARTMENTS
    }
    assert set(DEPARTMENTS) <= set(Department.values)
    return applicant, engineer, approvers


def first_free_slot(pk: int):
    county = Application.objects.select_related("supply_county").get(pk=pk).supply_county
    return survey_slots_free(county, days=30)[0].start


def to_confirmed(applicant: User, engineer: User, count: int) -> tuple[list[int], list[float]]:
    """Verified by the worker, then accepted, surveyed and confirmed; returns the ids and, for
    each, seconds from the confirmation's commit until its three tasks exist."""
    ids = file_drafts(applicant, count)
    submit(applicant, ids)
    wait_settled(ids, 300)
    confirmed_at = {}
    for pk in ids:
        for name, actor, payload in [
            ("accept", engineer, {}),
            ("schedule_survey", applicant, {"slot": first_free_slot(pk)}),
            (
                "complete_survey",
                engineer,
                {"line_length_m": 400, "crosses_urban_road": True},
            ),
            ("confirm_scheme", applicant, {}),
        ]:
            application_transition(application_id=pk, name=name, actor=actor, payload=payload)
        confirmed_at[pk] = time.monotonic()
    opened = {}
    deadline = time.monotonic() + 120
    while len(opened) < len(ids) and time.monotonic() < deadline:
        for pk in [p for p in ids if p not in opened]:
            if ApprovalTask.objects.filter(application_id=pk).count() == len(DEPARTMENTS):
                opened[pk] = time.monotonic() - confirmed_at[pk]
        time.sleep(0.02)
    return ids, list(opened.values())


def last_decision_to_visible(pk: int, approvers: dict[str, User], applicant: User) -> float:
    clients = {}
    for code, person in approvers.items():
        clients[code] = Client()
        clients[code].force_login(person)
    mine = Client()
    mine.force_login(applicant)
    tasks = dict(
        ApprovalTask.objects.filter(application_id=pk).values_list("department__code", "pk")
    )
    *first, last = DEPARTMENTS
    for code in first:
        decide(clients[code], tasks[code], code)
    started = time.monotonic()
    decide(clients[last], tasks[last], last)
    while mine.get(f"/api/v1/applications/{pk}/").json()["state"] != "construction":
        time.sleep(0.005)
    elapsed = time.monotonic() - started
    connection.close()
    return elapsed


def decide(client: Client, task_id: int, code: str) -> None:
    response = client.post(
        f"/api/v1/approvals/tasks/{task_id}/decide/",
        {"decision": "approve", "permit_number": f"{code}-{task_id}"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=60)
    args = parser.parse_args()
    require_services()
    applicant, engineer, approvers = prepare()
    with running("handoff"):
        ids, dispatch = to_confirmed(applicant, engineer, args.apps)
        out("apps", len(ids))
        out("confirm_to_tasks_open_p50_s", round(statistics.median(dispatch), 3))
        out("confirm_to_tasks_open_p95_s", round(percentile(dispatch, 0.95), 3))
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            visible = list(
                pool.map(lambda pk: last_decision_to_visible(pk, approvers, applicant), ids)
            )
        out("decisions_wall_s", round(time.monotonic() - started, 2))
        out("last_decision_to_visible_p50_s", round(statistics.median(visible), 3))
        out("last_decision_to_visible_p95_s", round(percentile(visible, 0.95), 3))
        out("last_decision_to_visible_max_s", round(max(visible), 3))
        moved = Application.objects.filter(pk__in=ids, state="construction").count()
        out("applications_in_construction", moved)
        rollups = TimelineEntry.objects.filter(
            application_id__in=ids, transition="permits_approved"
        ).count()
        out("rollup_timeline_rows", rollups)
        time.sleep(3)  # let the worker send the last notifications
        out("approver_notifications", Notification.objects.filter(kind="task_assigned").count())
        out("applicant_notifications", Notification.objects.filter(kind="task_approved").count())


if __name__ == "__main__":
    main()
