"""Compensation accrues per working day late of the utility's clock only, is shown as it
accrues, listed for supervisors, and credited once at completion."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from promises.compensation import compensation_accrued, compensation_credit
from promises.models import ApplicationPromise, Commitment, CommitmentSet, LedgerEntry, Phase
from tests.factories import new_application
from tests.promises.moments import SURVEY_DONE, at, delayed
from tests.workflow import FACE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_contract_code")]


# A low-voltage resident's connection without external works (limit: 5 working days of the
# utility's time, 20 CNY per working day late). November 2026 has no holiday.
def test_accrues_only_for_the_utilitys_days_late(applicant, engineer, gov_platform, script):
    application = delayed(applicant, engineer, script, until=SURVEY_DONE)
    assert application.state == "connecting"
    owed = compensation_accrued(application, now=SURVEY_DONE)
    # 3 + 4 = 7 working days of the utility's: 2 past the limit; the applicant's 10 do not count.
    assert (owed.limit_days, owed.days_late, owed.rate_fen, owed.amount_fen) == (5, 2, 2000, 4000)
    assert Decimal(owed.amount_yuan) == Decimal("40.00")
    assert not LedgerEntry.objects.exists()  # nothing credited before completion


def test_completion_credits_the_account_once(applicant, engineer, gov_platform, script):
    application = delayed(applicant, engineer, script)
    assert application.state == "completed" and application.account_id
    entry = LedgerEntry.objects.get(application=application)
    assert (entry.account_id, entry.days_late, entry.amount_fen) == (
        application.account_id,
        3,
        6000,
    )
    assert entry.amount_yuan == "60.00"
    # Retried: the same entry, no second one.
    assert compensation_credit(application_id=application.pk) == entry
    assert compensation_credit(application_id=application.pk) == entry
    assert LedgerEntry.objects.filter(application=application).count() == 1


def test_on_time_means_nothing_owed(applicant, engineer, gov_platform, script):
    application = new_application(applicant)
    script(
        application,
        [
            (at(2026, 11, 2, 9), "submit", applicant, FACE),
            (at(2026, 11, 2, 10), "accept", engineer, {}),
            (at(2026, 11, 2, 11), "schedule_survey", applicant, {"slot": at(2026, 11, 3, 9)}),
            (at(2026, 11, 3, 9), "complete_survey", engineer, {"line_length_m": 0}),
            (at(2026, 11, 30, 9), "confirm_scheme", applicant, {}),  # the applicant took weeks
            (at(2026, 11, 30, 9), "sign_contract", applicant, {"sms_code": "0"}),
            (at(2026, 12, 1, 9), "energize", engineer, {}),
        ],
    )
    assert application.state == "completed"
    assert compensation_accrued(application).amount_fen == 0
    assert compensation_credit(application_id=application.pk) is None
    assert not LedgerEntry.objects.exists()


def test_the_application_keeps_the_version_it_was_filed_under(
    applicant, engineer, gov_platform, script
):
    application = delayed(applicant, engineer, script, until=at(2026, 11, 2, 9))
    kept = ApplicationPromise.objects.get(application=application).commitment_set
    # A stricter table comes into force later: this application is still judged by its own.
    stricter = CommitmentSet.objects.create(
        version="2026-12", effective_from=at(2026, 11, 3).date()
    )
    Commitment.objects.create(
        commitment_set=stricter,
        phase=Phase.WHOLE,
        voltage="low",
        customer_type="residential",
        limit_days=1,
        compensation_fen_per_day=99999,
    )
    script(
        application,
        [(at(2026, 11, 5, 9), "accept", engineer, {})],
    )
    assert ApplicationPromise.objects.get(application=application).commitment_set == kept
    owed = compensation_accrued(application, now=at(2026, 11, 12, 9))
    assert owed.limit_days == 5 and owed.rate_fen == 2000
    later = new_application(applicant)
    script(later, [(at(2026, 11, 4, 9), "submit", applicant, FACE)])
    assert ApplicationPromise.objects.get(application=later).commitment_set == stricter


def test_shown_to_the_applicant_and_listed_for_supervisors(
    client, applicant, engineer, supervisor, gov_platform, script, time_machine
):
    application = delayed(applicant, engineer, script, until=SURVEY_DONE)
    time_machine.move_to(SURVEY_DONE, tick=False)
    client.force_login(applicant)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'id="compensation"' in page and "40.00" in page
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as one:
        listing = client.get("/promises/compensation/")
    body = listing.content.decode()
    assert listing.status_code == 200 and application.number in body and "40.00" in body
    assert application.applicant_name not in body  # no personal data on the list
    other = delayed(applicant, engineer, script)  # completed and credited
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as two:
        body = client.get("/promises/compensation/").content.decode()
    assert other.number in body and "60.00" in body
    assert len(two) == len(one)  # the same queries however many applications


def test_compensation_list_is_for_supervisors_only(client, applicant, engineer, clerk):
    assert client.get("/promises/compensation/").status_code == 302  # to sign in
    for user in (applicant, engineer, clerk):
        client.force_login(user)
        assert client.get("/promises/compensation/").status_code == 403


def test_api_detail_shows_the_promise(api, applicant, engineer, outsider, gov_platform, script):
    application = delayed(applicant, engineer, script, until=SURVEY_DONE)
    body = api(applicant).get(f"/api/v1/applications/{application.pk}/").json()
    promise = body["promise"]
    assert promise["turn"] == "utility" and promise["limit_days"] == 5
    assert promise["compensation"]["amount_fen"] > 0
    assert set(promise["clocks"]) >= {"utility", "agencies", "applicant", "elapsed"}
    assert api(outsider).get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert Application.objects.get(pk=application.pk).state == "connecting"
