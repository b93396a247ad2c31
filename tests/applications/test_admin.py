import pytest

from applications.models import TimelineEntry
from tests.factories import new_application
from tests.workflow import TO_ACCEPTED, drive

pytestmark = pytest.mark.django_db


def test_admin_shows_the_timeline_and_runs_steps_through_the_services(
    client, operator, applicant, engineer, django_capture_on_commit_callbacks
):
    application = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, TO_ACCEPTED[:1], {"applicant": applicant})
    client.force_login(operator)
    page = client.get(f"/admin/applications/application/{application.pk}/change/")
    assert page.status_code == 200 and "verification_passed" in page.content.decode()
    response = client.post(
        "/admin/applications/application/",
        {"action": "transition_accept", "_selected_action": [application.pk]},
        follow=True,
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == "accepted"
    entry = TimelineEntry.objects.filter(application=application).last()
    assert (entry.transition, entry.actor, entry.role) == ("accept", operator, "operator")
    # A step the operator may not take (the applicant's) is refused, not forced.
    client.post(
        "/admin/applications/application/",
        {"action": "transition_confirm_scheme", "_selected_action": [application.pk]},
    )
    application.refresh_from_db()
    assert application.state == "accepted"


def test_the_state_cannot_be_edited_in_the_admin(client, operator, applicant):
    application = new_application(applicant)
    client.force_login(operator)
    page = client.get(f"/admin/applications/application/{application.pk}/change/").content.decode()
    assert 'name="state"' not in page


def test_operators_edit_the_fee_schedule_and_only_read_settlements(client, operator):
    client.force_login(operator)
    page = client.get("/admin/applications/feerate/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and "hv-capacity" in html and "lv-residential" in html
    assert client.get("/admin/applications/arrearssettlement/").status_code == 200
    assert client.get("/admin/applications/arrearssettlement/add/").status_code == 403
