"""The survey booking through the API: the free slots, booking, moving and cancelling with a
reason, and the refusals (past, not offered, full; wrong user, role or state)."""

import pytest

from applications.models import Application, State
from surveys.models import SurveyBooking, SurveyHours
from tests.factories import UserFactory
from tests.surveys.booking import accepted, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eve_of_national_day")]

FIRST = "2026-10-08T09:00:00+08:00"  # the first working day after National Day
SATURDAY = "2026-10-10T14:00:00+08:00"  # a make-up working Saturday


def slots_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/survey-slots/"


def take(client, application, name, **payload):
    return client.post(
        f"/api/v1/applications/{application.pk}/transitions/{name}/", payload, format="json"
    )


def free_of(client, application, start) -> int | None:
    body = client.get(slots_url(application), {"days": 5}).json()
    for day in body["days"]:
        for slot in day["slots"]:
            if slot["start"] == start:
                return slot["free"]
    return None


def test_the_free_slots_by_working_day(api, applicant, ready):
    response = api(applicant).get(slots_url(ready), {"days": 5})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["booked"] is None
    assert [d["day"] for d in body["days"]] == [
        "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13",
    ]  # fmt: skip
    assert body["days"][0]["slots"][0] == {
        "start": FIRST,
        "end": "2026-10-08T10:30:00+08:00",
        "free": 2,
    }
    assert len(api(applicant).get(slots_url(ready)).json()["days"]) == 10  # the default


@pytest.mark.parametrize("days", ["0", "31", "many"])
def test_days_out_of_range_is_a_field_error(api, applicant, ready, days):
    response = api(applicant).get(slots_url(ready), {"days": days})
    assert response.status_code == 400
    assert "days" in response.json()


def test_book_a_make_up_saturday_and_the_seat_is_taken(api, applicant, ready):
    client = api(applicant)
    response = take(client, ready, "schedule_survey", slot=SATURDAY)
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == State.SURVEY_SCHEDULED
    assert response.json()["survey_slot"] == SATURDAY
    booking = SurveyBooking.objects.get(application=ready)
    assert (booking.start, booking.end, booking.seat, booking.state) == (
        at(2026, 10, 10, 14), at(2026, 10, 10, 15, 30), 1, SurveyBooking.State.BOOKED,
    )  # fmt: skip
    assert booking.booked_by == applicant
    assert free_of(client, ready, SATURDAY) == 1
    assert client.get(slots_url(ready)).json()["booked"]["start"] == SATURDAY


@pytest.mark.parametrize(
    ("slot", "words"),
    [
        ("2026-10-03T09:00:00+08:00", "No survey is offered"),  # National Day
        ("2026-10-11T09:00:00+08:00", "No survey is offered"),  # a Sunday
        ("2026-10-08T09:10:00+08:00", "No survey is offered"),  # not a slot's start
        ("2026-10-08T18:00:00+08:00", "No survey is offered"),  # after hours
        ("2026-09-30T14:00:00+08:00", "No survey is offered"),  # later today
        ("2026-09-29T09:00:00+08:00", "has passed"),
        ("2020-01-01T09:00:00+08:00", "has passed"),
    ],
)
def test_a_time_not_offered_is_refused_by_the_slot_field(api, applicant, ready, slot, words):
    response = take(api(applicant), ready, "schedule_survey", slot=slot)
    assert response.status_code == 400, response.json()
    assert words in response.json()["slot"][0]
    ready.refresh_from_db()
    assert ready.state == State.ACCEPTED and ready.survey_slot is None
    assert not SurveyBooking.objects.exists()


def test_a_full_slot_is_refused(api, applicant, engineer, ready):
    SurveyHours.objects.update(capacity=1)
    other = accepted(UserFactory(username="t_neighbour"))
    assert take(api(engineer), other, "schedule_survey", slot=FIRST).status_code == 200
    response = take(api(applicant), ready, "schedule_survey", slot=FIRST)
    assert response.status_code == 400
    assert "fully booked" in response.json()["slot"][0]
    assert free_of(api(applicant), ready, FIRST) is None  # no longer listed


def test_move_needs_a_reason_and_frees_the_old_seat(api, applicant, ready):
    client = api(applicant)
    assert take(client, ready, "schedule_survey", slot=FIRST).status_code == 200
    response = take(client, ready, "reschedule_survey", slot=SATURDAY)
    assert response.status_code == 400
    assert "reason" in response.json()
    response = take(client, ready, "reschedule_survey", slot=SATURDAY, reason="出差")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == State.SURVEY_SCHEDULED and body["survey_slot"] == SATURDAY
    rows = list(SurveyBooking.objects.order_by("id").values_list("start", "state", "reason"))
    assert rows == [
        (at(2026, 10, 8, 9), SurveyBooking.State.RESCHEDULED, "出差"),
        (at(2026, 10, 10, 14), SurveyBooking.State.BOOKED, ""),
    ]
    assert free_of(client, ready, FIRST) == 2
    assert body["timeline"][-1]["comment"] == "出差"


def test_move_to_a_time_not_offered_keeps_the_booking(api, applicant, ready):
    client = api(applicant)
    take(client, ready, "schedule_survey", slot=FIRST)
    response = take(
        client, ready, "reschedule_survey", slot="2026-10-05T09:00:00+08:00", reason="x"
    )
    assert response.status_code == 400 and "slot" in response.json()
    booking = SurveyBooking.objects.get(state=SurveyBooking.State.BOOKED)
    assert booking.start == at(2026, 10, 8, 9)


def test_the_engineer_moves_it_and_the_applicant_hears_of_it(api, applicant, engineer, ready):
    take(api(applicant), ready, "schedule_survey", slot=FIRST)
    response = take(api(engineer), ready, "reschedule_survey", slot=SATURDAY, reason="车辆检修")
    assert response.status_code == 200, response.json()
    assert SurveyBooking.objects.get(state="rescheduled").ended_by == engineer
    assert ready.applicant.notifications.filter(kind="application_moved").exists()


def test_cancel_with_a_reason_returns_to_booking(api, applicant, engineer, ready):
    client = api(applicant)
    take(client, ready, "schedule_survey", slot=FIRST)
    assert take(client, ready, "cancel_survey").status_code == 400
    response = take(api(engineer), ready, "cancel_survey", reason="施工人员不足")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == State.ACCEPTED and body["survey_slot"] is None
    assert (
        "schedule_survey"
        in client.get(f"/api/v1/applications/{ready.pk}/").json()["available_transitions"]
    )
    cancelled = SurveyBooking.objects.get()
    assert (cancelled.state, cancelled.reason, cancelled.ended_by) == (
        "cancelled", "施工人员不足", engineer,
    )  # fmt: skip
    assert take(client, ready, "schedule_survey", slot=FIRST).status_code == 200


def test_withdrawal_and_the_survey_free_the_seat(api, applicant, engineer, ready):
    client = api(applicant)
    take(client, ready, "schedule_survey", slot=FIRST)
    assert take(client, ready, "withdraw").status_code == 200
    assert SurveyBooking.objects.get().state == SurveyBooking.State.CANCELLED
    second = accepted(applicant)
    take(client, second, "schedule_survey", slot=FIRST)
    assert take(api(engineer), second, "complete_survey", line_length_m=0).status_code == 200
    assert SurveyBooking.objects.get(application=second).state == SurveyBooking.State.DONE
    assert free_of(client, accepted(applicant), FIRST) == 2


# --- Who may, and when -------------------------------------------------------------------------


def test_wrong_role_gets_403(api, ready, supervisor, clerk, approver):
    for user in (supervisor,):  # sees every application, books none
        assert api(user).get(slots_url(ready)).status_code == 403
        assert take(api(user), ready, "schedule_survey", slot=FIRST).status_code == 403
    for user in (clerk, approver):  # not theirs to see at all
        assert api(user).get(slots_url(ready)).status_code == 404


def test_someone_elses_application_is_404(api, ready, outsider):
    stranger = UserFactory(username="t_stranger")
    for user in (stranger, outsider):  # another applicant; an engineer of another city
        assert api(user).get(slots_url(ready)).status_code == 404
        assert take(api(user), ready, "schedule_survey", slot=FIRST).status_code == 404


def test_wrong_state_is_409(api, applicant, ready):
    Application.objects.filter(pk=ready.pk).update(state=State.PENDING_ACCEPTANCE)
    response = api(applicant).get(slots_url(ready))
    assert response.status_code == 409
    assert response.json()["state"] == State.PENDING_ACCEPTANCE
    for name, extra in [("reschedule_survey", {"reason": "x"}), ("cancel_survey", {"reason": "x"})]:
        Application.objects.filter(pk=ready.pk).update(state=State.ACCEPTED)
        response = take(api(applicant), ready, name, slot=FIRST, **extra)
        assert response.status_code == 409, (name, response.json())


def test_anonymous_is_401(api, ready):
    assert api().get(slots_url(ready)).status_code in {401, 403}
