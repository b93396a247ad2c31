"""The counters move in the step's transaction, and a recount from the source agrees."""

import pytest

from applications.models import Application, TimelineEntry
from supervision.models import ApplicationFact, KpiCell, KpiSpread
from supervision.reconcile import kpis_reconcile
from tests.factories import new_application
from tests.supervision.flows import completed_application

pytestmark = pytest.mark.django_db


def test_a_completed_application_is_counted_once_with_its_days_and_procedures(
    api, applicant, engineer, django_capture_on_commit_callbacks
):
    pk = completed_application(api, applicant, engineer, django_capture_on_commit_callbacks)
    fact = ApplicationFact.objects.get(pk=pk)
    procedures = TimelineEntry.objects.filter(application_id=pk, role="applicant").count()
    assert (fact.state, fact.certificates, fact.procedures) == ("completed", 0, procedures)
    assert fact.days == 0 and fact.workdays == 0 and fact.within_limit is True
    assert fact.rating == 5
    cell = KpiCell.objects.get()
    assert (cell.submitted, cell.completed, cell.within_limit, cell.zero_cert) == (1, 1, 1, 1)
    assert (cell.procedures, cell.rated, cell.rating) == (procedures, 1, 5)
    assert cell.city_code == "370100"
    assert ApplicationFact.objects.get(pk=pk).county_code == "370102"
    spreads = dict(KpiSpread.objects.values_list("measure", "count"))
    assert spreads == {"days": 1, "workdays": 1, "procedures": 1}
    assert kpis_reconcile() == []


def test_a_draft_counts_for_nothing_until_it_is_submitted(applicant):
    new_application(applicant)
    assert not KpiCell.objects.exists() and not ApplicationFact.objects.exists()
    assert kpis_reconcile() == []


def test_a_counter_changed_behind_the_services_back_is_reported_and_fixed(
    api, applicant, engineer, django_capture_on_commit_callbacks
):
    pk = completed_application(api, applicant, engineer, django_capture_on_commit_callbacks)
    KpiCell.objects.update(completed=7)
    Application.objects.filter(pk=pk).update(rating=2)  # not through application_rate
    differences = kpis_reconcile()
    assert len(differences) == 3
    assert any("completed: counted 7, is 1" in line for line in differences)
    assert any("rating: counted 5, is 2" in line for line in differences)
    assert any(f"application {pk}: counted" in line for line in differences)
    assert kpis_reconcile(fix=True)
    assert kpis_reconcile() == []
    assert KpiCell.objects.get().rating == 2
