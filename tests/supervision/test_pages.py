"""The dashboard, the drill-down, the masked view, the exports, the API and the public page:
who may see them, what they show, and that their cost does not grow with the applications."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from approvals.models import ApprovalTask, OverdueItem
from govdata.models import GovCall
from supervision.counting import GOV_FAILURES
from supervision.models import ApplicationFact, KpiCell, TaskFact
from supervision.selectors import percentile

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/supervision/",
    "/supervision/applications/",
    "/supervision/export/applications.csv",
    "/supervision/export/kpis.csv",
]
NOT_SUPERVISORS = ["applicant", "clerk", "engineer", "approver", "outsider"]


def seed(count: int, seed: int = 3) -> None:
    call_command("seed_history", count=count, seed=seed, until=date(2026, 6, 1), verbosity=0)


@pytest.mark.parametrize("role", NOT_SUPERVISORS)
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_other_roles_get_a_friendly_refusal_not_the_figures(client, request, role, path):
    client.force_login(request.getfixturevalue(role))
    response = client.get(path)
    assert response.status_code == 403
    assert b'id="forbidden"' in response.content


@pytest.mark.parametrize("role", NOT_SUPERVISORS)
def test_other_roles_are_refused_by_the_api(api, request, role):
    response = api(request.getfixturevalue(role)).get("/api/v1/stats/kpis/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", [*STAFF_PAGES, "/supervision/applications/1/"])
def test_signed_out_people_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_api_answers_401_to_no_one(api):
    assert api().get("/api/v1/stats/kpis/").status_code in (401, 403)


def test_the_supervisor_lands_on_the_dashboard(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/workbench/")["Location"] == "/supervision/"


def test_the_dashboard_shows_the_seeded_provinces_figures(client, supervisor):
    seed(300)
    client.force_login(supervisor)
    response = client.get("/supervision/")
    assert response.status_code == 200
    page = response.content.decode()
    submitted = Application.objects.filter(submitted_at__isnull=False).count()
    assert f'id="kpi-submitted">{submitted}<' in page
    assert '<svg viewBox="0 0 640 240"' in page and "<caption>" in page
    assert page.count('data-city="') >= 16


def test_a_bad_filter_is_shown_beside_its_field(client, supervisor):
    client.force_login(supervisor)
    response = client.get("/supervision/", {"date_from": "2025-13"})
    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()


def test_the_api_takes_the_same_filters_and_refuses_bad_ones(api, supervisor):
    seed(200)
    me = api(supervisor)
    everything = me.get("/api/v1/stats/kpis/").json()
    jinan = me.get("/api/v1/stats/kpis/", {"city": "370100"}).json()
    assert everything["totals"]["submitted"] == ApplicationFact.objects.count()
    in_jinan = ApplicationFact.objects.filter(city_code="370100").count()
    assert jinan["totals"]["submitted"] == in_jinan
    assert [c["code"] for c in jinan["cities"]] in ([], ["370100"])
    refused = me.get("/api/v1/stats/kpis/", {"kind": "spaceship"})
    assert refused.status_code == 400 and "kind" in refused.json()


def test_the_api_is_in_the_schema_with_its_filters(api):
    schema = api().get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/stats/kpis/"]["get"]["parameters"]}
    assert {"date_from", "date_to", "city", "county", "kind", "voltage", "channel"} <= parameters


def test_every_figure_drills_down_to_its_applications_and_a_masked_view(client, supervisor):
    seed(200)
    client.force_login(supervisor)
    page = client.get("/supervision/", {"city": "370100"}).content.decode()
    assert "/supervision/applications/?city=370100&amp;figure=within_limit" in page
    listed = client.get("/supervision/applications/", {"city": "370100", "figure": "completed"})
    expected = ApplicationFact.objects.filter(city_code="370100", state="completed").count()
    assert listed.context["page"].paginator.count == expected
    first = listed.context["page"].object_list[0]
    shown = client.get(f"/supervision/applications/{first['application_id']}/")
    application = Application.objects.get(pk=first["application_id"])
    assert shown.status_code == 200
    body = shown.content.decode()
    assert application.number in body and application.phone not in body
    assert application.applicant_name not in body
    assert client.get("/supervision/applications/", {"figure": "nonsense"}).status_code == 404
    assert client.get("/supervision/applications/999999/").status_code == 404


def test_the_exports_stream_every_row(client, supervisor):
    seed(150)
    client.force_login(supervisor)
    response = client.get("/supervision/export/applications.csv")
    assert response.streaming and response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["application_id", "number"]
    assert len(rows) - 1 == ApplicationFact.objects.count()
    kpis = client.get("/supervision/export/kpis.csv")
    table = list(csv.reader(io.StringIO(b"".join(kpis.streaming_content).decode("utf-8-sig"))))
    assert ["totals", "", "submitted", str(ApplicationFact.objects.count())] in table


def test_the_transparency_page_is_public_per_city_and_without_people(client):
    seed(300)
    cache.clear()
    response = client.get("/transparency/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<tr data-city="') == 16
    for application in Application.objects.all()[:50]:
        assert application.number not in page
        assert application.applicant_name not in page


def _queries(client, path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/supervision/",
        "/transparency/",
        "/api/v1/stats/kpis/",
        "/api/v1/stats/kpis/?channel=wechat",
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_applications(client, supervisor, path):
    client.force_login(supervisor)
    seed(1, seed=4)
    one = _queries(client, path)
    seed(999, seed=5)
    assert ApplicationFact.objects.count() > 900
    assert _queries(client, path) == one


def test_a_countys_figures_summed_from_the_facts_agree_with_the_cells(api, supervisor):
    """The county filter sums the facts in SQL (selectors.FACT_SUMS); the cells are counted in
    Python (counting.contribution). Over a whole city the two must give the same figures."""
    seed(400, seed=6)
    me = api(supervisor)
    city = me.get("/api/v1/stats/kpis/", {"city": "370100"}).json()
    counties = ApplicationFact.objects.filter(city_code="370100").values_list(
        "county_code", flat=True
    )
    summed: dict = {}
    for county in set(counties):
        totals = me.get("/api/v1/stats/kpis/", {"county": county}).json()["totals"]
        for name in ("submitted", "completed", "rejected", "withdrawn", "verified", "zero_cert",
                     "one_cert", "procedures", "days", "workdays", "within_limit", "cost_fen",
                     "rated", "rating", "online"):  # fmt: skip
            summed[name] = summed.get(name, 0) + totals[name]
    assert summed == {name: city["totals"][name] for name in summed}
    assert summed["submitted"] == len(counties) > 0


def test_task_call_and_overdue_figures_drill_down_to_the_applications_behind_them(
    client, supervisor
):
    seed(200)
    client.force_login(supervisor)
    page = client.get("/supervision/").content.decode()
    assert "figure=tasks_within&amp;department=planning" in page
    assert "figure=calls_failed&amp;service=" in page

    def listed(**query) -> set[int]:
        response = client.get("/supervision/applications/", {**query, "page": 1})
        assert response.status_code == 200
        ids = {row["application_id"] for row in response.context["page"].object_list}
        assert response.context["page"].paginator.count == len(ids) or len(ids) == 50
        exported = client.get("/supervision/export/applications.csv", query)
        body = b"".join(exported.streaming_content).decode("utf-8-sig")
        assert len(body.strip().splitlines()) - 1 == response.context["page"].paginator.count
        return ids

    late = set(
        TaskFact.objects.filter(department="planning", decided=True, within_limit=False)
        .values_list("task__application_id", flat=True)
        .distinct()
    )
    assert late, "the seeded history has late planning decisions"
    shown = listed(figure="tasks_beyond", department="planning")
    assert shown <= late and len(shown) == min(len(late), 50)
    failed = set(
        GovCall.objects.filter(outcome__in=GOV_FAILURES, service="id_card")
        .exclude(application_id=None)
        .values_list("application_id", flat=True)
    )
    assert listed(figure="calls_failed", service="id_card") <= failed | {None}
    overdue = set(OverdueItem.objects.values_list("task__application_id", flat=True))
    assert listed(figure="overdue") <= overdue
    assert ApprovalTask.objects.exists()
    # A subject that does not exist, or one given to a figure without subjects: 404 / ignored.
    refused = client.get("/supervision/applications/", {"figure": "calls", "service": "nonsense"})
    assert refused.status_code == 404
    refused = client.get("/supervision/applications/", {"figure": "overdue", "department": "x"})
    assert refused.status_code == 404


def test_a_channels_medians_come_from_its_spread_and_agree_with_the_facts(api, supervisor):
    """A channel filter reads the distributions kept per channel (ChannelSpread), not the
    facts: its medians equal those computed from the facts directly."""
    seed(400, seed=7)
    me = api(supervisor)
    channels = set(ApplicationFact.objects.values_list("channel", flat=True))
    assert len(channels) > 1
    for channel in channels:
        with CaptureQueriesContext(connection) as queries:
            answer = me.get("/api/v1/stats/kpis/", {"channel": channel})
        spreads = [q["sql"] for q in queries if "supervision_channelspread" in q["sql"]]
        assert spreads and not any("supervision_applicationfact" in q["sql"] for q in queries)
        world_bank = answer.json()["world_bank"]
        for measure in ("days", "workdays", "procedures"):
            values = ApplicationFact.objects.filter(
                channel=channel, state="completed", days__isnull=False
            ).values_list(measure, flat=True)
            pairs = [(v, 1) for v in values]
            assert world_bank[measure]["median"] == percentile(pairs, 0.5), (channel, measure)


def test_money_in_the_figures_is_exact_yuan_never_a_float(api, supervisor):
    """Three fees of 0.10, 0.20 and 0.40 yuan (floats make 0.7000000000000001) add to 0.70; the
    API gives money as strings with two places."""
    seed(5, seed=8)
    cells = list(KpiCell.objects.all()[:1])
    KpiCell.objects.all().update(cost_fen=0, completed=0)
    KpiCell.objects.filter(pk=cells[0].pk).update(cost_fen=10 + 20 + 40, completed=3)
    totals = api(supervisor).get("/api/v1/stats/kpis/").json()["world_bank"]
    assert totals["cost_yuan_total"] == "0.70"
    assert totals["cost_yuan_mean"] == "0.23"  # 70 fen / 3, to the fen
    assert Decimal(totals["cost_yuan_total"]) == Decimal("0.1") + Decimal("0.2") + Decimal("0.4")
