"""An application whose contract is about to be signed."""

import pytest

from tests.workflow import SLOT, TO_ACCEPTED, drive


@pytest.fixture
def contract_ready(applicant, engineer, gov_platform, django_capture_on_commit_callbacks):
    """A new connection without external works, waiting for the contract."""
    from tests.factories import new_application

    application = new_application(applicant)
    people = {"applicant": applicant, "engineer": engineer}
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, TO_ACCEPTED[:1], people)
    drive(
        application,
        TO_ACCEPTED[1:]
        + [
            ("schedule_survey", "applicant", {"slot": SLOT}),
            ("complete_survey", "engineer", {"line_length_m": 0}),
            ("confirm_scheme", "applicant", {}),
        ],
        people,
    )
    assert application.state == "contract_pending"
    return application
