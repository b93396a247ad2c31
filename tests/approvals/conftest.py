import pytest
from django.core.management import call_command

from tests.workflow import to_permitting


@pytest.fixture
def departments(reference_data):
    call_command("loaddata", "departments", verbosity=0)


@pytest.fixture
def route() -> dict:
    """The survey facts of the application behind `task` (a module may override it)."""
    return {"crosses_urban_road": False}


@pytest.fixture
def task(departments, gov_platform, applicant, engineer, django_capture_on_commit_callbacks, route):
    """The planning department's task of an application waiting for its permits (400 m)."""
    from approvals.models import ApprovalTask

    application = to_permitting(applicant, engineer, django_capture_on_commit_callbacks, **route)
    return ApprovalTask.objects.get(application=application, department__code="planning")
