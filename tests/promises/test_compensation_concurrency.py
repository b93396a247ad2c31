"""On PostgreSQL: the completion retried concurrently (the step twice, the credit twice) leaves
exactly one ledger entry."""

from functools import partial

import pytest

from applications.services import application_transition
from promises.compensation import compensation_credit
from promises.models import LedgerEntry
from tests.factories import new_application
from tests.promises.moments import at
from tests.workflow import FACE, race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only", "no_contract_code"),
]


def survey_seat(n: int):
    """The n-th free survey seat from 11 November 2026: four visits a day, two crews each."""
    hour, minute = [(9, 0), (10, 30), (14, 0), (15, 30)][(n // 2) % 4]
    return at(2026, 11, 11 + n // 8, hour, minute)


def test_completion_retried_concurrently_credits_once(applicant, engineer, gov_platform, script):
    for round_ in range(10):
        application = new_application(applicant)
        script(
            application,
            [
                (at(2026, 11, 2, 9), "submit", applicant, FACE),
                (at(2026, 11, 10, 9), "accept", engineer, {}),  # 6 working days: 1 late
                (at(2026, 11, 10, 9), "schedule_survey", applicant, {"slot": survey_seat(round_)}),
                (at(2026, 11, 10, 9), "complete_survey", engineer, {"line_length_m": 0}),
                (at(2026, 11, 10, 9), "confirm_scheme", applicant, {}),
                (at(2026, 11, 10, 9), "sign_contract", applicant, {"sms_code": "0"}),
            ],
        )
        assert application.state == "connecting"
        energize = partial(
            application_transition, application_id=application.pk, name="energize", actor=engineer
        )
        credit = partial(compensation_credit, application_id=application.pk)
        results = race(energize, energize, credit, credit)
        assert sorted(kind for kind, _ in results[:2]) == ["error", "ok"], (round_, results)
        application.refresh_from_db()
        assert application.state == "completed"
        entries = LedgerEntry.objects.filter(application=application)
        assert entries.count() == 1, (round_, results)
        assert entries.get().amount_fen == 2000
        # And once more afterwards, as a retrying worker would.
        assert compensation_credit(application_id=application.pk) == entries.get()
