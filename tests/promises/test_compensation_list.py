"""The supervisors' list is kept as steps happen: when compensation starts to accrue is stored
at each step, the list is one paginated query, and the amounts are worked out for the page
shown only. Amounts are exact (fen, shown as yuan with two places)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises.models import ApplicationPromise, CommitmentSet, yuan
from promises.selectors import compensation_late
from promises.views import PAGE_SIZE
from tests.factories import new_application
from tests.promises.moments import SURVEY_DONE, at, delayed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_contract_code")]


def kept(application) -> ApplicationPromise:
    return ApplicationPromise.objects.get(application=application)


def test_each_step_keeps_when_compensation_starts_to_accrue(
    applicant, engineer, gov_platform, script
):
    application = delayed(applicant, engineer, script, until=at(2026, 11, 5, 9))
    # Accepted after 3 working days of the utility's: now the applicant's turn, nothing accrues.
    assert kept(application).owed_from is None
    assert kept(application).utility_at_step == timedelta(days=3)
    script(
        application,
        [(at(2026, 11, 19, 9), "schedule_survey", applicant, {"slot": at(2026, 11, 20, 9)})],
    )
    # The utility's again from Thursday 19th with 3 of 5 used: the sixth working day of its time
    # is complete on Tuesday 24 November at 09:00 (Thu, Fri, Mon).
    assert kept(application).owed_from == at(2026, 11, 24, 9)
    assert list(compensation_late(now=at(2026, 11, 24, 8))) == []
    assert list(compensation_late(now=at(2026, 11, 24, 10))) == [application]


def test_the_list_is_paginated_with_the_same_queries_for_a_full_page(
    client, applicant, supervisor, reference_data, commitment_defaults
):
    version = CommitmentSet.objects.get(version="2024-verified")
    late = [new_application(applicant) for _ in range(PAGE_SIZE + 1)]
    for n, application in enumerate(late):
        ApplicationPromise.objects.create(
            application=application,
            commitment_set=version,
            filed_at=application.created_at,
            owed_from=at(2026, 11, 2, 9) + timedelta(minutes=n),
        )
    on_time = new_application(applicant)
    ApplicationPromise.objects.create(
        application=on_time, commitment_set=version, filed_at=on_time.created_at
    )
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as full:
        first = client.get("/promises/compensation/").content.decode()
    with CaptureQueriesContext(connection) as short:
        second = client.get("/promises/compensation/", {"page": 2}).content.decode()
    assert first.count("data-application=") == PAGE_SIZE
    assert second.count("data-application=") == 1
    assert f'data-application="{late[-1].pk}"' in second  # the latest to accrue comes last
    assert f'data-application="{on_time.pk}"' not in first + second
    assert len(full) == len(short)


def test_refresh_keeps_the_state_of_applications_written_without_steps(
    applicant, engineer, gov_platform, script, time_machine
):
    application = delayed(applicant, engineer, script, until=SURVEY_DONE)
    expected = kept(application).owed_from
    ApplicationPromise.objects.filter(application=application).delete()  # as if written in bulk
    time_machine.move_to(at(2026, 11, 25, 12), tick=False)
    call_command("promises_refresh", verbosity=0)
    assert kept(application).owed_from == expected == at(2026, 11, 24, 9)
    assert kept(application).commitment_set.version == "2024-verified"


def test_amounts_are_exact_yuan():
    assert [yuan(n) for n in (0, 5, 4000, 123456789, -250)] == [
        "0.00",
        "0.05",
        "40.00",
        "1234567.89",
        "-2.50",
    ]
