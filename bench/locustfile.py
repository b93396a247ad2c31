"""The load mix for bench/load.py: people on the pages and clients on the API, as the demo
logins (password demo-pass-2026; the portal started by bench/load.py has the demo data).

Request names group what is measured: `page ...` for pages, `api ...` for API reads,
`api write ...` for filings."""

from __future__ import annotations

import random
import re

import gevent
from locust import HttpUser, between, events, task

PASSWORD = "demo-pass-2026"  # noqa: S105 - the demo logins' published password
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPLICATION_LINK = re.compile(r'href="/applications/(\d+)/"')
# Every user signs in first (50 password checks at once keep both cores busy for ~20 s): the
# figures are counted from this long after the last user started, the steady state.
WARM_UP_SECONDS = 25


@events.spawning_complete.add_listener
def _count_from_the_steady_state(user_count: int, **kwargs) -> None:
    runner = kwargs.get("environment", ENVIRONMENT[0]).runner
    gevent.spawn_later(WARM_UP_SECONDS, runner.stats.reset_all)


ENVIRONMENT: list = []


@events.init.add_listener
def _keep_environment(environment, **kwargs) -> None:
    ENVIRONMENT.append(environment)


class Person(HttpUser):
    """Signs in on the login page and keeps the session; also holds an API token."""

    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="page sign-in")
        token = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="page sign-in (post)",
        )
        answer = self.client.post(
            "/api/v1/auth/token/",
            json={"username": self.username, "password": PASSWORD},
            name="api token",
        )
        self.api = {"Authorization": f"Token {answer.json()['token']}"}

    def page(self, path: str, name: str):
        return self.client.get(path, name=f"page {name}")

    def read(self, path: str, name: str):
        return self.client.get(path, headers=self.api, name=f"api {name}")


class Resident(Person):
    weight = 5
    username = "resident"

    @task(3)
    def follows_the_applications(self) -> None:
        mine = self.page("/applications/", "my applications")
        links = APPLICATION_LINK.findall(mine.text)
        if links:
            self.page(f"/applications/{random.choice(links)}/", "application")  # noqa: S311

    @task(2)
    def reads_them_through_an_app(self) -> None:
        listed = self.read("/api/v1/applications/", "applications list").json()
        rows = listed.get("results", listed) if isinstance(listed, dict) else listed
        if rows:
            pk = random.choice(rows)["id"]  # noqa: S311
            self.read(f"/api/v1/applications/{pk}/", "application detail")

    @task(1)
    def files_a_draft(self) -> None:
        self.client.post(
            "/api/v1/applications/",
            json={
                "kind": "new_connection",
                "phone": "13905310001",
                "voltage": "low",
                "capacity_kva": "10",
                "supply_county": "370102",
                "supply_address": "历下区泉城路1号",
                "data_sharing_consent": True,
            },
            headers=self.api,
            name="api write file a draft",
        )

    @task(1)
    def the_public_pages(self) -> None:
        self.page("/", "home")
        self.page("/transparency/", "transparency")


class Clerk(Person):
    username = "clerk"

    @task
    def the_counter(self) -> None:
        self.page("/counter/", "counter")
        self.page("/workbench/", "workbench")


class Engineer(Person):
    username = "engineer"

    @task
    def the_queue(self) -> None:
        self.page("/engineer/", "engineer queue")
        self.read("/api/v1/applications/?state=pending_acceptance", "applications list")


class Approver(Person):
    username = "approver_planning"

    @task
    def the_tasks(self) -> None:
        self.page("/approvals/", "approval queue")
        self.read("/api/v1/approvals/tasks/", "approval tasks")


class Supervisor(Person):
    username = "supervisor"

    @task(2)
    def the_dashboard(self) -> None:
        self.page("/supervision/", "dashboard")

    @task(1)
    def the_figures(self) -> None:
        self.read("/api/v1/stats/kpis/", "kpis")
