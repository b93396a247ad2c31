import pytest
from django.core.management import call_command

from approvals.models import ApprovalTask
from tests.factories import new_application
from tests.portal import handlers
from tests.workflow import to_permitting


@pytest.fixture
def clear_handler_calls():
    handlers.CALLS.clear()


@pytest.fixture
def planning_task(
    reference_data, gov_platform, applicant, engineer, django_capture_on_commit_callbacks
):
    """Jinan's planning task for an application in Lixia (a county of Jinan)."""
    call_command("loaddata", "departments", verbosity=0)
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, crosses_urban_road=False
    )
    return ApprovalTask.objects.get(application=application, department__code="planning")


@pytest.fixture
def application(reference_data, applicant):
    """A draft new connection of the resident applicant."""
    return new_application(applicant)
