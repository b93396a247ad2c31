import pytest
from django.core.management import call_command

from applications.services import application_transition
from applications.workflows import SIGN_CONTRACT
from portal.models import Role
from tests.factories import make_user


@pytest.fixture
def departments(reference_data):
    call_command("loaddata", "departments", verbosity=0)


@pytest.fixture
def no_contract_code(monkeypatch):
    """The contract's SMS code is waved through (its own tests prove it)."""
    monkeypatch.setattr(SIGN_CONTRACT, "before", None)


@pytest.fixture
def script(time_machine, django_capture_on_commit_callbacks, reference_data, commitment_defaults):
    """Take steps at given moments: script(application, [(moment, step, actor, payload), ...])."""

    def run(application, steps):
        for moment, name, actor, payload in steps:
            time_machine.move_to(moment, tick=False)
            with django_capture_on_commit_callbacks(execute=True):
                application_transition(
                    application_id=application.pk, name=name, actor=actor, payload=payload
                )
        application.refresh_from_db()
        return application

    return run


@pytest.fixture
def operator(db):
    return make_user("t_operator", Role.OPERATOR, is_staff=True, is_superuser=True)
