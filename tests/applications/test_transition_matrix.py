"""Every step name, three ways to be refused: wrong state (409 with what is allowed), wrong role
(403), someone else's application (404)."""

import pytest

from applications.workflows import ACTORS, SURVEY_BOOKING_STEPS, SYSTEM_STEPS
from portal.models import CustomerType, Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TRANSFER_ONLY = {"give_consent", "refuse_consent", "confirm_settlement", "route_ownership"}
# Who may take each step (by fixture), for the wrong-state case.
RIGHT_ROLE = {
    name: "holder" if name in {"give_consent", "refuse_consent"} else (
        "applicant" if ACTORS[name].__name__ in {"is_applicant", "is_applicant_or_is_hall_clerk",
                                                  "is_applicant_or_is_area_engineer"}
        else "engineer"
    )
    for name in ACTORS
}  # fmt: skip
PERSON_STEPS = sorted(set(ACTORS) - SYSTEM_STEPS)


def post(client, application, name, **payload):
    return client.post(
        f"/api/v1/applications/{application.pk}/transitions/{name}/", payload, format="json"
    )


# The holder sees a transfer only while it waits for their consent: in any other state their
# steps answer 404 (tests/security/test_privacy.py), never 409.
HOLDER_STEPS = {"give_consent", "refuse_consent"}


@pytest.mark.parametrize("name", sorted(set(PERSON_STEPS) - {"withdraw"} - HOLDER_STEPS))
def test_wrong_state_is_409_with_the_allowed_steps(api, people, cases, name):
    application = cases["transfer" if name in TRANSFER_ONLY else "draft"]
    if name in {"submit", "supply_documents"}:
        application = cases["accepted"]
    payload = {"reason": "x", "slot": "2030-01-01T09:00:00+08:00", "line_length_m": 10}
    response = post(api(people[RIGHT_ROLE[name]]), application, name, **payload)
    assert response.status_code == 409, (name, response.json())
    body = response.json()
    assert body["state"] == application.state
    assert isinstance(body["allowed_transitions"], list)
    assert name not in body["allowed_transitions"]


def test_withdraw_from_a_closed_application_is_409(api, people, cases):
    application = cases["draft"]
    assert post(api(people["applicant"]), application, "withdraw").status_code == 200
    response = post(api(people["applicant"]), application, "withdraw")
    assert response.status_code == 409
    assert response.json()["allowed_transitions"] == []


@pytest.mark.parametrize("name", sorted(ACTORS))
def test_a_role_that_may_not_take_the_step_gets_403(api, people, cases, name):
    application = cases["transfer" if name in TRANSFER_ONLY else "draft"]
    # The supervisor sees every application but takes no step; system steps are nobody's.
    response = post(api(people["supervisor"]), application, name, reason="x")
    assert response.status_code == 403, (name, response.json())
    wrong = "engineer" if RIGHT_ROLE[name] in {"applicant", "holder"} else "applicant"
    if name in SURVEY_BOOKING_STEPS:  # the applicant and the engineer both may
        wrong = "holder"
    response = post(api(people[wrong]), application, name, reason="x")
    assert response.status_code in {403, 404}, (name, wrong)
    if wrong != "holder" or name in TRANSFER_ONLY:
        assert response.status_code == 403, (name, wrong, response.json())


@pytest.mark.parametrize("name", sorted(ACTORS))
def test_someone_elses_application_is_404(api, cases, outsider, name):
    stranger = make_user("t_stranger", Role.APPLICANT, customer_type=CustomerType.RESIDENTIAL)
    for user in (stranger, outsider):  # another applicant; an engineer of another city
        response = post(api(user), cases["draft"], name, reason="x")
        assert response.status_code == 404, (name, user.username)


def test_an_unknown_step_is_404(api, people, cases):
    assert post(api(people["applicant"]), cases["draft"], "teleport").status_code == 404
