"""An application taken from filing to power-on through the API, for the supervision tests."""

from applications.models import Application
from applications.services import application_transition
from applications.services.applicant import application_rate
from tests.workflow import FACE, application_body, first_free_slot, sign, step


def completed_application(api, applicant, engineer, callbacks, rating: int | None = 5) -> int:
    """A resident's new connection with a 400 m line, through permits to power-on; rated."""
    me, eng = api(applicant), api(engineer)
    response = me.post("/api/v1/applications/", application_body(), format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    with callbacks(execute=True):
        step(me, pk, "submit", **FACE)
    step(eng, pk, "accept")
    step(me, pk, "schedule_survey", slot=first_free_slot(pk).isoformat())
    step(eng, pk, "complete_survey", line_length_m=400, crosses_urban_road=True)
    with callbacks(execute=True):
        step(me, pk, "confirm_scheme")
    application_transition(application_id=pk, name="permits_approved")
    step(eng, pk, "complete_construction")
    step(eng, pk, "pass_inspection")
    sign(me, pk, callbacks)
    assert step(eng, pk, "energize")["state"] == "completed"
    if rating is not None:
        application_rate(application=Application.objects.get(pk=pk), actor=applicant, rating=rating)
    return pk
