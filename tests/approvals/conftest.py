import pytest
from django.core.management import call_command

from applications.workflows import SIGN_CONTRACT
from portal.models import Department as Dept
from portal.models import Role
from tests.factories import make_user, new_application
from tests.workflow import SLOT, TO_ACCEPTED, drive, to_permitting


@pytest.fixture
def departments(reference_data):
    call_command("loaddata", "departments", verbosity=0)


@pytest.fixture
def departments_and_platform(reference_data, gov_platform):
    """The departments loaded and the platform answering in process (a module takes it with
    `pytestmark = pytest.mark.usefixtures("departments_and_platform")`)."""
    call_command("loaddata", "departments", verbosity=0)


@pytest.fixture
def road_crossing_route() -> dict:
    """A route across an urban road: housing and traffic police decide too. A module whose
    `task` should take it names it in `pytest.mark.usefixtures`."""
    return {"crosses_urban_road": True}


@pytest.fixture
def route(request) -> dict:
    """The survey facts of the application behind `task`: `road_crossing_route` when the test
    uses it, else a route that crosses nothing."""
    if "road_crossing_route" in request.fixturenames:
        return request.getfixturevalue("road_crossing_route")
    return {"crosses_urban_road": False}


@pytest.fixture
def task(departments, gov_platform, applicant, engineer, django_capture_on_commit_callbacks, route):
    """The planning department's task of an application waiting for its permits (400 m)."""
    from approvals.models import ApprovalTask

    application = to_permitting(applicant, engineer, django_capture_on_commit_callbacks, **route)
    return ApprovalTask.objects.get(application=application, department__code="planning")


@pytest.fixture
def filing_ready(
    departments, gov_platform, applicant, engineer, django_capture_on_commit_callbacks
):
    application = new_application(applicant)
    people = {"applicant": applicant, "engineer": engineer}
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, TO_ACCEPTED[:1], people)
    facts = {"line_length_m": 120, "crosses_urban_road": True, "crosses_green_space": True}
    drive(
        application,
        TO_ACCEPTED[1:]
        + [
            ("schedule_survey", "applicant", {"slot": SLOT}),
            ("complete_survey", "engineer", facts),
            ("confirm_scheme", "applicant", {}),
        ],
        people,
    )
    assert application.state == "works_filing"
    return application


@pytest.fixture
def approvers(jinan):
    return {
        code: make_user(f"t_approver_{code}", Role.APPROVER, department=code, division=jinan)
        for code in Dept.values
    }


@pytest.fixture
def every_role(applicant, holder, engineer, clerk, monkeypatch):
    """The people of the state machine, by role name. The contract's SMS code is waved through
    (its own tests prove it), so that the machine can sign."""
    monkeypatch.setattr(SIGN_CONTRACT, "before", None)
    return {"applicant": applicant, "holder": holder, "engineer": engineer, "clerk": clerk}
