import pytest
from django.db import connection

from portal.models import Role
from tests.factories import make_user
from tests.surveys.booking import accepted, at


@pytest.fixture
def ready(applicant, engineer):
    """The applicant's accepted new connection (the engineer fixture loads Jinan)."""
    return accepted(applicant)


@pytest.fixture
def eve_of_national_day(time_machine):
    """2026-09-30 10:00: National Day runs 1–7 October 2026, Saturday 10 October is worked."""
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)


@pytest.fixture
def operator(db):
    return make_user("t_operator", Role.OPERATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def a_connection_for_each_applicant():
    """Twenty transactions open at once need twenty connections: the pool (10 by default, per
    process) is made larger for this test, as twenty requests would meet twenty web processes."""
    options = connection.settings_dict["OPTIONS"]["pool"]
    before = dict(options)

    def renew(**changes):
        connection.close()
        connection.close_pool()
        options.clear()
        options.update({**before, **changes})

    renew(max_size=25)
    yield
    renew()
