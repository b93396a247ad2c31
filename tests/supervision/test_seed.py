"""seed_history: deterministic, counted by the live rule, and the reform scenario's figures."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from applications.models import Application
from supervision.models import KpiCell
from supervision.reconcile import kpis_reconcile
from supervision.seeding import REFORM

pytestmark = pytest.mark.django_db
SCALE = 0.01


def test_the_reform_scenario_shows_the_headline_figures_on_the_dashboard(client, supervisor):
    call_command("seed_history", scenario="reform", scale=SCALE, count=300, verbosity=0)
    client.force_login(supervisor)
    response = client.get("/supervision/", {"date_from": "2025-01", "date_to": "2025-12"})
    k = response.context["k"]
    assert k["totals"]["cities"] == 16
    assert k["totals"]["submitted"] == round(REFORM["applications"] * SCALE)
    assert k["totals"]["online"] == round(REFORM["online"] * SCALE) == 4497
    assert k["gov_calls"]["total"] == round(REFORM["gov_calls"] * SCALE) == 1795
    assert k["totals"]["zero_or_one"] == round(REFORM["zero_or_one_certificate"] * SCALE) == 78
    assert k["totals"]["paid_online_yuan"] == 824_400.00
    assert k["approvals"]["decided"] > 0 and k["approvals"]["share"] == 100.0
    page = response.content.decode()
    for figure_id, shown in (
        ("kpi-cities", "16"),
        ("kpi-online", "4497"),
        ("kpi-gov-calls", "1795"),
        ("kpi-zero-or-one", "78"),
        ("kpi-paid-online", "824400.00"),  # Chinese numbers are not grouped
        ("kpi-approvals-within", "100.0%"),
    ):
        assert f'id="{figure_id}">{shown}<' in page
    # The history before the reform year is there too, outside the period.
    everything = client.get("/supervision/").context["k"]
    assert everything["totals"]["submitted"] == k["totals"]["submitted"] + 300
    assert kpis_reconcile() == []


def cells() -> list:
    ordered = KpiCell.objects.order_by(*KpiCell.KEY)
    return list(ordered.values_list(*KpiCell.KEY, *KpiCell.MEASURES))


def test_the_same_seed_gives_the_same_history():
    call_command("seed_history", count=200, seed=11, until=date(2026, 6, 1), verbosity=0)
    first = cells()
    numbers = list(Application.objects.order_by("number").values_list("number", "check_code"))
    Application.objects.all().delete()
    KpiCell.objects.all().delete()
    call_command("seed_history", count=200, seed=11, until=date(2026, 6, 1), verbosity=0)
    assert first == cells()
    assert numbers == list(
        Application.objects.order_by("number").values_list("number", "check_code")
    )


def test_seeding_the_same_seed_twice_is_refused():
    call_command("seed_history", count=10, seed=12, verbosity=0)
    with pytest.raises(CommandError, match="already there"):
        call_command("seed_history", count=10, seed=12, verbosity=0)


def test_the_demo_data_holds_the_provinces_history_once():
    call_command("seed_demo", verbosity=0)
    seeded = Application.objects.count()
    assert seeded >= 2000  # the history, and the drafts other apps seed for the demo logins
    call_command("seed_demo", verbosity=0)
    assert Application.objects.count() == seeded
    assert kpis_reconcile() == []
