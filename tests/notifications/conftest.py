import pytest

from portal.models import Role
from tests.factories import make_user


@pytest.fixture
def divisions_and_platform(reference_data, gov_platform):
    """Divisions for the addresses; the platform answering in process."""


@pytest.fixture
def planner(jinan):
    return make_user(
        "t_planner", Role.APPROVER, department="planning", division=jinan, phone="13800000001"
    )
