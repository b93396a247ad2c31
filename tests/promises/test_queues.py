"""The current queues: the survey slots of the area, the county engineers' open work, each
department's open tasks and its recent decision times. Known dates; the place is the place in
the queue the application waits in, and the prediction waits for the queue."""

from datetime import date, timedelta

import pytest

from approvals.models import ApprovalTask
from promises.prediction import History, Sample, predict, queue_position
from promises.queues import ENGINEER, SURVEY, QueueBook, ahead_now, per_place, queue_of
from promises.worktime import DAY
from tests.factories import new_application
from tests.promises.moments import at
from tests.workflow import FACE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_contract_code")]


def test_each_state_waits_in_the_queue_of_whose_turn_it_is():
    assert queue_of("accepted") == queue_of("survey_scheduled") == SURVEY
    assert queue_of("pending_acceptance") == queue_of("inspection") == ENGINEER
    assert queue_of("works_permitting") == "departments"
    assert queue_of("scheme_offered") == "scheme_offered"  # the applicant's own turn


def test_the_book_counts_who_was_ahead_at_a_past_moment():
    mon = at(2026, 11, 2, 9)
    book = QueueBook(
        [
            ("370102", "pending_acceptance", mon, mon + timedelta(days=2)),
            ("370102", "inspection", mon + timedelta(hours=1), None),  # same engineers' queue
            ("370103", "pending_acceptance", mon, None),  # another county
            ("370102", "scheme_offered", mon, None),  # the applicant's turn: not this queue
        ]
    )
    later = mon + timedelta(hours=2)
    assert book.ahead("370102", "construction", later, later) == 2
    # On Wednesday at noon the first has left; the second is still there.
    wed = at(2026, 11, 4, 12)
    assert book.ahead("370102", "construction", later, wed) == 1
    assert book.ahead("370102", "construction", mon, later) == 0  # nobody came before


def test_per_place_cost_is_learned_only_when_clearly_there():
    def sample(ahead, days):
        return Sample(at(2026, 11, 2, 9), DAY, DAY * days, ahead)

    # Each place ahead cost half a working day: learned.
    steep = [sample(q, 1 + 0.5 * q + (0.1 if i % 2 else -0.1)) for i, q in enumerate(range(40))]
    assert abs(per_place(steep) / DAY - 0.5) < 0.01
    # No relation (the remaining time alternates whatever the queue): nothing learned.
    flat = [sample(q % 5, 2 + (1 if q % 2 else -1)) for q in range(60)]
    assert per_place(flat) == timedelta(0)
    # Too few to learn from, or a shorter queue never makes it faster than the history says.
    assert per_place(steep[:10]) == timedelta(0)
    falling = [sample(q, 30 - 0.5 * q) for q in range(40)]
    assert per_place(falling) == timedelta(0)


def test_the_book_and_the_database_count_the_same_queue(applicant, engineer, gov_platform, script):
    first, second, third = (new_application(applicant) for _ in range(3))
    for n, application in enumerate((first, second, third)):
        script(
            application,
            [
                (at(2026, 11, 2, 9 + n), "submit", applicant, FACE),
            ],
        )
    script(first, [(at(2026, 11, 3, 9), "accept", engineer, {})])
    # The second and third wait for the engineers (pending acceptance), the first books a survey.
    third.refresh_from_db()
    book = QueueBook.load()
    entered = third.timeline.order_by("-created_at").first().created_at
    now = at(2026, 11, 3, 12)
    assert ahead_now(third, entered) == book.ahead(
        third.supply_county_id, third.state, entered, now
    )
    assert queue_position(third) == 2
    assert queue_position(first) == 1  # first in the survey queue: no seat booked ahead


def test_booking_a_survey_waits_for_the_next_free_slot_and_behind_the_booked_seats(
    applicant, engineer, gov_platform, script, time_machine
):
    booked = new_application(applicant)
    script(
        booked,
        [
            (at(2026, 11, 2, 9), "submit", applicant, FACE),
            (at(2026, 11, 2, 10), "accept", engineer, {}),
            (at(2026, 11, 2, 11), "schedule_survey", applicant, {"slot": at(2026, 11, 4, 9)}),
        ],
    )
    waiting = new_application(applicant)
    script(
        waiting,
        [
            (at(2026, 11, 2, 9), "submit", applicant, FACE),
            (at(2026, 11, 2, 10), "accept", engineer, {}),
        ],
    )
    time_machine.move_to(at(2026, 11, 2, 12), tick=False)
    prediction = predict(waiting, as_of=at(2026, 11, 2, 12))
    assert prediction.place.queue == SURVEY
    assert prediction.place.position == 2  # behind the one booked seat
    # Slots are offered from the next day: Tuesday 3 November at 09:00 is the first free one.
    assert prediction.place.floor == at(2026, 11, 3, 9)
    assert prediction.date >= date(2026, 11, 3)
    # The booked one: its own seat, and not before its slot.
    mine = predict(booked, as_of=at(2026, 11, 2, 12))
    assert mine.place.position == 1 and mine.place.floor == at(2026, 11, 4, 9)
    assert mine.date >= date(2026, 11, 4)


@pytest.mark.usefixtures("departments")
def test_permits_wait_for_the_slowest_department_at_its_recent_pace(
    applicant, engineer, gov_platform, script, time_machine
):
    def to_permits(day):
        application = new_application(applicant)
        moment = at(2026, 11, day, 9)
        script(
            application,
            [
                (moment, "submit", applicant, FACE),
                (moment, "accept", engineer, {}),
                (moment, "schedule_survey", applicant, {"slot": at(2026, 11, day + 1, 9)}),
                (
                    moment,
                    "complete_survey",
                    engineer,
                    {"line_length_m": 400, "crosses_urban_road": True},
                ),
                (moment, "confirm_scheme", applicant, {}),
            ],
        )
        assert application.state == "works_permitting"
        return application

    earlier = to_permits(2)  # Monday 2 November
    mine = to_permits(3)  # Tuesday 3 November
    planning = ApprovalTask.objects.get(application=mine, department__code="planning")
    # The planning department's recent decision took 12 working days (12 to 28 October).
    ApprovalTask.objects.filter(application=earlier).exclude(department=planning.department).update(
        state="approved", decided_at=at(2026, 11, 3, 10)
    )
    old = new_application(applicant)
    ApprovalTask.objects.create(
        application=old,
        department=planning.department,
        dispatched_at=at(2026, 10, 12, 9),
        due_date=date(2026, 10, 19),
        state="approved",
        decided_at=at(2026, 10, 28, 9),
    )
    time_machine.move_to(at(2026, 11, 3, 12), tick=False)
    prediction = predict(mine, as_of=at(2026, 11, 3, 12))
    assert prediction.place.queue == "departments"
    assert prediction.place.position == 2  # the earlier application's planning task is ahead
    # Dispatched Tuesday 3 November 09:00 + 12 working days: Thursday 19 November 09:00, well
    # after what the commitments alone would say (five working days).
    assert prediction.place.floor == at(2026, 11, 19, 9)
    assert prediction.basis == "commitments" and prediction.date == date(2026, 11, 19)
    # Wrong state: an application not in the departments' queue has no department place.
    assert predict(old, as_of=at(2026, 11, 3, 12)) is None


def test_a_longer_queue_than_the_history_had_moves_the_prediction(applicant, gov_platform, script):
    """The history says each place ahead cost one working day (remaining = 1 + ahead); the
    third of three applications filed on Monday 2 November has two ahead: three working days,
    where the plain median would have said five and a half."""
    apps = [new_application(applicant) for _ in range(3)]
    for n, application in enumerate(apps):
        script(application, [(at(2026, 11, 2, 9, 10 * n), "submit", applicant, FACE)])
    third = apps[2]
    state = third.state
    samples = [
        Sample(at(2026, 10, 1, 9) + timedelta(hours=n), DAY, DAY * (1 + n % 10), n % 10)
        for n in range(40)
    ]
    history = History({state: samples})
    prediction = predict(third, as_of=at(2026, 11, 2, 9, 20), history=history)
    assert prediction.place.position == 3
    assert prediction.date == date(2026, 11, 5)  # Mon 09:20 + 3 working days: Thursday
    # The first one, nobody ahead: one working day.
    first = predict(apps[0], as_of=at(2026, 11, 2, 9, 20), history=history)
    assert first.place.position == 1 and first.date == date(2026, 11, 3)
