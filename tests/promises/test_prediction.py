"""Predicted completion and queue position: from the history of applications like it, floored by
the queues; from the commitments when there is no history; shown to the applicant and on the
public progress page without personal data."""

from datetime import date

import pytest

from promises.prediction import history_load, predict, queue_position
from tests.factories import new_application
from tests.promises.moments import at
from tests.workflow import FACE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_contract_code")]


def finished(applicant, engineer, script, start_day: int) -> None:
    """A connection done in five working days from 2 November 2026 + `start_day` (a Monday):
    one day to accept, one to book, two to survey, one to energize."""
    d = start_day
    application = new_application(applicant)
    script(
        application,
        [
            (at(2026, 11, 2 + d, 9), "submit", applicant, FACE),
            (at(2026, 11, 3 + d, 9), "accept", engineer, {}),
            (
                at(2026, 11, 4 + d, 9),
                "schedule_survey",
                applicant,
                {"slot": at(2026, 11, 5 + d, 9)},
            ),
            (at(2026, 11, 6 + d, 9), "complete_survey", engineer, {"line_length_m": 0}),
            (at(2026, 11, 6 + d, 9), "confirm_scheme", applicant, {}),
            (at(2026, 11, 6 + d, 9), "sign_contract", applicant, {"sms_code": "0"}),
            (at(2026, 11, 9 + d, 9), "energize", engineer, {}),
        ],
    )
    assert application.state == "completed"


def test_without_history_the_commitment_predicts(applicant, gov_platform, script):
    application = new_application(applicant)
    script(application, [(at(2026, 11, 2, 9), "submit", applicant, FACE)])
    prediction = predict(application, as_of=at(2026, 11, 2, 9))
    # Five working days of the utility's time from Monday 2 November.
    assert prediction.basis == "commitments" and prediction.date == date(2026, 11, 9)


def test_with_history_the_recent_past_predicts(applicant, engineer, gov_platform, script):
    finished(applicant, engineer, script, 0)
    finished(applicant, engineer, script, 7)
    history = history_load(kind="new_connection", voltage="low", customer_type="residential")
    assert len(history.of("pending_acceptance")) == 2
    application = new_application(applicant)
    script(application, [(at(2026, 11, 23, 9), "submit", applicant, FACE)])
    prediction = predict(application, as_of=at(2026, 11, 23, 9))
    assert prediction.basis == "history" and prediction.samples == 2
    assert prediction.date == date(2026, 11, 30)  # five working days, as before
    # A history from after the moment predicted is not used (a replay sees only the past).
    early = predict(application, as_of=at(2026, 11, 9, 8), history=history)
    assert early is None or early.basis == "commitments"


def test_a_booked_survey_slot_holds_the_prediction_back(applicant, engineer, gov_platform, script):
    finished(applicant, engineer, script, 0)
    application = new_application(applicant)
    script(
        application,
        [
            (at(2026, 11, 23, 9), "submit", applicant, FACE),
            (at(2026, 11, 23, 10), "accept", engineer, {}),
            (at(2026, 11, 23, 11), "schedule_survey", applicant, {"slot": at(2026, 12, 7, 9)}),
        ],
    )
    prediction = predict(application, as_of=at(2026, 11, 23, 12))
    # Not before the survey on Monday 7 December, plus what followed the survey before (1 day).
    assert prediction.date >= date(2026, 12, 8)


def test_queue_position_counts_who_came_first(applicant, engineer, gov_platform, script):
    first, second = new_application(applicant), new_application(applicant)
    script(first, [(at(2026, 11, 2, 9), "submit", applicant, FACE)])
    script(second, [(at(2026, 11, 2, 10), "submit", applicant, FACE)])
    assert (queue_position(first), queue_position(second)) == (1, 2)
    script(first, [(at(2026, 11, 3, 9), "accept", engineer, {})])
    second.refresh_from_db()
    assert queue_position(second) == 1


def test_shown_to_the_applicant_and_on_the_public_page(
    client, applicant, engineer, gov_platform, script, time_machine
):
    application = new_application(applicant)
    script(application, [(at(2026, 11, 2, 9), "submit", applicant, FACE)])
    time_machine.move_to(at(2026, 11, 2, 12), tick=False)
    client.force_login(applicant)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'id="predicted"' in page and "2026-11-09" in page
    assert 'data-turn="utility"' in page
    client.logout()
    public = client.get(
        "/progress/", {"number": application.number, "check_code": application.check_code}
    ).content.decode()
    assert "2026-11-09" in public and 'data-turn="utility"' in public
    for personal in (application.applicant_name, application.phone, application.supply_address):
        assert personal not in public
    assert 'id="compensation"' not in public and 'id="contacts"' not in public
    wrong = client.get("/progress/", {"number": application.number, "check_code": "000000"})
    assert "2026-11-09" not in wrong.content.decode()
