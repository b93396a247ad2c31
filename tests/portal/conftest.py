import io

import pytest
from django.core.management import call_command

from approvals.models import ApprovalTask
from portal.celery import app as celery_app
from portal.models import User
from tests.factories import new_application
from tests.portal import handlers
from tests.workflow import to_permitting


@pytest.fixture
def clear_handler_calls():
    handlers.CALLS.clear()
    yield
    handlers.CALLS.clear()


@pytest.fixture
def worker_mode():
    """Tasks as a real worker runs them (not eagerly): heartbeats and backoff messages on."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = before


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


@pytest.fixture
def demo_people(db):
    """The demo data of `make run` (seed_demo, run twice as a newcomer might), by username."""
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    return {user.username: user for user in User.objects.all()}
