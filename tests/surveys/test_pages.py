"""The booking page: the free slots grouped by day (Chinese by default, English on request),
booking and moving from it, its refusals beside the field, and who may open it."""

import pytest

from applications.models import Application, State
from surveys.models import SurveyBooking
from tests.factories import UserFactory
from tests.surveys.booking import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eve_of_national_day")]


def url(application) -> str:
    return f"/applications/{application.pk}/survey/"


def test_the_free_slots_grouped_by_working_day_in_english(client, applicant, ready):
    client.force_login(applicant)
    page = client.get(url(ready), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Book the site survey" in page
    days = [
        "<legend>2026-10-08 Thursday</legend>",
        "<legend>2026-10-09 Friday</legend>",
        "<legend>2026-10-10 Saturday</legend>",  # the make-up working day
    ]
    positions = [page.index(day) for day in days]
    assert positions == sorted(positions)
    assert "2026-10-03" not in page and "2026-10-11" not in page
    assert 'value="2026-10-08T09:00"' in page
    assert "09:00–10:30" in page and "2 places left" in page


def test_the_booking_page_in_chinese(client, applicant, ready):
    client.force_login(applicant)
    page = client.get(url(ready)).content.decode()
    assert "<legend>2026-10-10 星期六</legend>" in page
    assert "预约现场勘查" in page
    assert "剩余 2 个名额" in page


def test_book_from_the_page_and_see_it_on_both_pages(client, applicant, engineer, ready):
    client.force_login(applicant)
    response = client.post(url(ready), {"slot": "2026-10-10T14:00"})
    assert response.status_code == 302
    assert response.url == f"/applications/{ready.pk}/"
    ready.refresh_from_db()
    assert ready.state == State.SURVEY_SCHEDULED
    assert ready.survey_slot == at(2026, 10, 10, 14)
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026-10-10 Saturday 14:00–15:30" in page
    assert "Move the site survey" in page and "Cancel the site survey" in page
    client.force_login(engineer)
    page = client.get(
        f"/engineer/applications/{ready.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "2026-10-10 Saturday 14:00–15:30" in page
    assert "Move the site survey" in page and "Cancel the site survey" in page


def test_a_refused_time_is_shown_beside_the_slots(client, applicant, ready):
    client.force_login(applicant)
    response = client.post(url(ready), {"slot": "2026-10-03T09:00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="slot-error"' in page and "No survey is offered at that time" in page
    assert 'value="2026-10-08T09:00"' in page  # the free slots are offered again
    response = client.post(url(ready), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This step needs this field." in response.content.decode()


def test_the_engineer_moves_it_with_a_reason(client, applicant, engineer, ready):
    client.force_login(applicant)
    client.post(url(ready), {"slot": "2026-10-08T09:00"})
    client.force_login(engineer)
    page = client.get(url(ready), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Move the site survey" in page and "Booked now" in page and 'name="reason"' in page
    response = client.post(url(ready), {"slot": "2026-10-09T10:30"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400  # no reason
    response = client.post(url(ready), {"slot": "2026-10-09T10:30", "reason": "车辆检修"})
    assert response.status_code == 302
    assert response.url == f"/engineer/applications/{ready.pk}/"
    assert SurveyBooking.objects.get(state="booked").start == at(2026, 10, 9, 10, 30)


def test_who_may_open_it(client, ready, supervisor, outsider):
    client.force_login(supervisor)
    assert client.get(url(ready)).status_code == 403
    for user in (UserFactory(username="t_stranger"), outsider):
        client.force_login(user)
        assert client.get(url(ready)).status_code == 404
        assert client.post(url(ready), {"slot": "2026-10-08T09:00"}).status_code == 404
    assert not SurveyBooking.objects.exists()


def test_nothing_to_book_in_the_wrong_state(client, applicant, ready):
    Application.objects.filter(pk=ready.pk).update(state=State.CONSTRUCTION)
    client.force_login(applicant)
    response = client.get(url(ready), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert 'id="survey-refusal"' in response.content.decode()
    response = client.post(url(ready), {"slot": "2026-10-08T09:00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not SurveyBooking.objects.exists()


def test_once_booked_the_engineer_holds_the_next_step(client, applicant, ready):
    client.force_login(applicant)
    client.post(url(ready), {"slot": "2026-10-08T09:00"})
    page = client.get(f"/applications/{ready.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span id="next-holder">the utility&#x27;s engineer</span>' in page


def test_the_engineers_queue_shows_when_the_survey_is(client, applicant, engineer, ready):
    client.force_login(applicant)
    client.post(url(ready), {"slot": "2026-10-08T09:00"})
    client.force_login(engineer)
    page = client.get("/engineer/").content.decode()
    assert '<span class="survey-at">2026-10-08 09:00</span>' in page
