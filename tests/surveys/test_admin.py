"""Operators set the survey hours in the admin; bookings are only looked at there."""

import pytest

from surveys.models import SurveyHours

pytestmark = pytest.mark.django_db


def test_operators_change_an_areas_hours_and_see_the_bookings(client, operator, jinan):
    client.force_login(operator)
    assert client.get("/admin/surveys/surveyhours/").status_code == 200
    response = client.post(
        "/admin/surveys/surveyhours/add/",
        {"division": jinan.pk, "start": "08:30", "end": "11:30", "slot_minutes": 60, "capacity": 4},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = SurveyHours.objects.get(division=jinan)
    assert (row.start.hour, row.start.minute, row.capacity) == (8, 30, 4)
    response = client.post(
        "/admin/surveys/surveyhours/add/",
        {"division": jinan.pk, "start": "12:00", "end": "11:00", "slot_minutes": 60, "capacity": 0},
    )
    assert response.status_code == 200  # refused: until before from, no crew
    assert SurveyHours.objects.filter(division=jinan).count() == 1
    assert client.get("/admin/surveys/surveybooking/").status_code == 200
    assert client.get("/admin/surveys/surveybooking/add/").status_code == 403
