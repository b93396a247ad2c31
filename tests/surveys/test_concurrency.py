"""On PostgreSQL: twenty applicants take the last free seat of a slot at the same moment, each
in its own thread and connection — exactly one gets it, the others are refused by the slot field
and nothing is half-written.

Left alone, the threads reach the seat a few milliseconds apart and the later ones already see
it taken. To test what decides when they do not, every thread is held just before it writes its
booking until all twenty have read the seat as free: then only the database's unique open seat
tells them apart."""

import threading
from functools import partial

import pytest
from django.utils import translation

from applications.models import State
from applications.services import application_transition
from portal.errors import InvalidInput
from surveys.models import SurveyBooking
from tests.factories import UserFactory
from tests.surveys.booking import accepted, at
from tests.workflow import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only", "a_connection_for_each_applicant"),
]

LAST_SEAT = at(2026, 10, 8, 9)


def book_in_english(**kwargs):
    with translation.override("en"):  # each thread has its own active language
        return application_transition(**kwargs)


def hold_writers_until_all_have_read(monkeypatch, parties: int) -> list[str]:
    """Each thread's first booking write waits until `parties` threads are about to write;
    returns a list that records each write's outcome."""
    barrier = threading.Barrier(parties)
    seen = threading.local()
    outcomes: list[str] = []
    create = SurveyBooking.objects.create

    def held_create(**fields):
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait(timeout=20)
        try:
            row = create(**fields)
        except Exception:
            outcomes.append("refused by the database")
            raise
        outcomes.append("written")
        return row

    monkeypatch.setattr(SurveyBooking.objects, "create", held_create)
    return outcomes


def test_twenty_applicants_for_the_last_seat_one_gets_it(engineer, time_machine, monkeypatch):
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    first = accepted(UserFactory(username="t_early"))
    application_transition(
        application_id=first.pk, name="schedule_survey", actor=engineer, payload={"slot": LAST_SEAT}
    )  # one of the slot's two seats is taken: one is left
    people = [UserFactory(username=f"t_racer{i}") for i in range(20)]
    applications = [accepted(person) for person in people]
    writes = hold_writers_until_all_have_read(monkeypatch, len(people))
    results = race(
        *[
            partial(
                book_in_english,
                application_id=application.pk,
                name="schedule_survey",
                actor=person,
                payload={"slot": LAST_SEAT.isoformat()},
            )
            for person, application in zip(people, applications, strict=True)
        ]
    )
    winners = [value for kind, value in results if kind == "ok"]
    losers = [value for kind, value in results if kind == "error"]
    assert len(winners) == 1, results
    assert len(losers) == 19
    for error in losers:
        assert isinstance(error, InvalidInput), error
        assert list(error.errors) == ["slot"]
        assert "fully booked" in str(error.errors["slot"][0])
    # All twenty tried to write the one free seat; the database let one through.
    assert sorted(writes) == ["refused by the database"] * 19 + ["written"]
    booked = SurveyBooking.objects.filter(start=LAST_SEAT, state=SurveyBooking.State.BOOKED)
    assert sorted(booked.values_list("seat", flat=True)) == [1, 2]
    assert set(booked.values_list("application_id", flat=True)) == {first.pk, winners[0].pk}
    for application in applications:
        application.refresh_from_db()
        won = application.pk == winners[0].pk
        assert application.state == (State.SURVEY_SCHEDULED if won else State.ACCEPTED)
        assert (application.survey_slot is not None) == won
        assert application.timeline.exists() == won
