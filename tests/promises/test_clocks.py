"""The three clocks, on known dates: across the 2026 Spring Festival (15–23 February off,
Saturdays 14 and 28 February worked) and National Day (1–7 October off, Saturday 10 October
worked). Working time is time on working days; the clocks add up to the elapsed working time
exactly."""

from datetime import date, timedelta
from types import SimpleNamespace

import chinese_calendar
import pytest

from approvals.models import ApprovalTask
from approvals.services import approval_task_answer, approval_task_decide
from promises.clocks import Party, application_clocks
from promises.worktime import WorkingTime
from tests.factories import new_application
from tests.promises.moments import at
from tests.workflow import FACE

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


def entry(moment, to_state):
    return SimpleNamespace(created_at=moment, to_state=to_state)


def working_hours_between(first: date, last: date) -> int:
    """Whole working days from `first` to `last` inclusive, in hours (the library's count)."""
    return 24 * len(chinese_calendar.get_workdays(first, last))


# A new connection with a long permit, its construction finishing just before National Day.
TIMELINE = [
    entry(at(2026, 2, 13, 10), "verifying"),  # Friday before the Spring Festival
    entry(at(2026, 2, 13, 11), "pending_acceptance"),
    entry(at(2026, 2, 14, 9), "accepted"),  # the make-up Saturday
    entry(at(2026, 2, 24, 9), "survey_scheduled"),  # first working day after the holiday
    entry(at(2026, 3, 2, 9), "scheme_offered"),  # over the make-up Saturday 28 February
    entry(at(2026, 3, 2, 12), "works_permitting"),
    entry(at(2026, 3, 6, 12), "construction"),
    entry(at(2026, 9, 30, 12), "inspection"),  # the eve of National Day
    entry(at(2026, 10, 9, 12), "contract_pending"),
    entry(at(2026, 10, 10, 10), "connecting"),  # the make-up Saturday
    entry(at(2026, 10, 12, 10), "completed"),
]
# The planning department asked a question on Tuesday 3 March; answered Thursday 5 March.
RETURNED = [
    SimpleNamespace(returned_at=at(2026, 3, 3, 12), answered_at=at(2026, 3, 5, 12)),
]


def scripted_clocks():
    application = SimpleNamespace(pk=None)
    return application_clocks(application, now=at(2026, 12, 1), entries=TIMELINE, tasks=RETURNED)


def test_each_clock_counts_only_working_days_across_both_holidays():
    clocks = scripted_clocks()
    construction = 12 + working_hours_between(date(2026, 3, 7), date(2026, 9, 29)) + 12
    utility = (
        (13 + 9)  # acceptance: Friday 11:00 to the make-up Saturday 09:00
        + (15 + 24 * 4 + 9)  # survey: Tue 24 Feb to Mon 2 Mar, Saturday 28 worked, Sunday not
        + construction
        + (12 + 24 + 12)  # inspection: 30 Sep 12:00 to 9 Oct 12:00, 1–7 October off
        + (14 + 10)  # connection: make-up Saturday 10:00 to Monday 10:00, Sunday off
    )
    agencies = 1 + 24 + 24  # the platform's hour; permitting less the days it waited
    applicant = (
        (15 + 9)  # booking the survey: Saturday 14 Feb, the whole holiday off, Tuesday 24
        + 3  # confirming the scheme
        + 48  # answering the planning department: Tue 12:00 to Thu 12:00
        + (12 + 10)  # signing: Friday 9 Oct 12:00 to the make-up Saturday 10:00
    )
    assert clocks.utility.working == utility * H
    assert clocks.agencies.working == agencies * H
    assert clocks.applicant.working == applicant * H
    assert clocks.turn is None  # completed: nobody's turn


def test_the_three_clocks_sum_exactly_to_the_elapsed_working_time():
    clocks = scripted_clocks()
    calendar = WorkingTime(date(2026, 2, 1), date(2026, 12, 31))
    elapsed = calendar.span(TIMELINE[0].created_at, TIMELINE[-1].created_at)
    total = clocks.utility.working + clocks.agencies.working + clocks.applicant.working
    assert total == elapsed == clocks.elapsed.working
    calendar_total = TIMELINE[-1].created_at - TIMELINE[0].created_at
    parts = clocks.utility.calendar + clocks.agencies.calendar + clocks.applicant.calendar
    assert parts == calendar_total
    # The holidays are in the calendar days and not in the working days.
    assert clocks.elapsed.calendar_days > clocks.elapsed.working_days + 9 + 7


def test_an_open_application_runs_until_now_and_it_is_someones_turn():
    clocks = application_clocks(
        SimpleNamespace(pk=None), now=at(2026, 2, 24, 12), entries=TIMELINE, tasks=RETURNED
    )
    assert clocks.turn == Party.UTILITY  # the survey is the utility's
    assert clocks.utility.working == (13 + 9 + 3) * H
    assert clocks.applicant.working == (15 + 9) * H


@pytest.mark.usefixtures("departments")
def test_a_task_returned_for_information_stops_the_agencies_clock_and_starts_the_applicants(
    applicant, engineer, approver, gov_platform, script, time_machine
):
    """Through the services: dispatched Monday 2 November 2026, returned Wednesday 4th,
    answered Monday 9th."""
    application = new_application(applicant)
    monday = at(2026, 11, 2, 9)
    script(
        application,
        [
            (monday, "submit", applicant, FACE),
            (monday, "accept", engineer, {}),
            (monday, "schedule_survey", applicant, {"slot": at(2026, 11, 3, 9)}),
            (
                monday,
                "complete_survey",
                engineer,
                {"line_length_m": 400, "crosses_urban_road": True},
            ),
            (monday, "confirm_scheme", applicant, {}),
        ],
    )
    assert application.state == "works_permitting"
    task = ApprovalTask.objects.get(application=application, department__code="planning")

    def clocks_at(moment):
        return application_clocks(application, now=moment)

    before = clocks_at(at(2026, 11, 4, 9))
    assert before.turn == Party.AGENCIES and before.agencies.working == 48 * H

    time_machine.move_to(at(2026, 11, 4, 9), tick=False)
    approval_task_decide(task_id=task.pk, actor=approver, decision="return", reason="路径图？")
    waiting = clocks_at(at(2026, 11, 9, 9))
    assert waiting.turn == Party.APPLICANT
    assert waiting.agencies.working == 48 * H  # stopped
    assert waiting.applicant.working == (15 + 24 + 24 + 9) * H  # Wed to Mon, weekend off

    time_machine.move_to(at(2026, 11, 9, 9), tick=False)
    approval_task_answer(task_id=task.pk, actor=applicant, answer="沿人行道敷设")
    after = clocks_at(at(2026, 11, 10, 9))
    assert after.turn == Party.AGENCIES
    assert after.agencies.working == (48 + 24) * H  # running again
    assert after.applicant.working == 72 * H
    total = after.utility.working + after.agencies.working + after.applicant.working
    assert (
        total
        == after.elapsed.working
        == WorkingTime(date(2026, 11, 1), date(2026, 11, 30)).span(monday, at(2026, 11, 10, 9))
    )
