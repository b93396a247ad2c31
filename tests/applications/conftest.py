from decimal import Decimal
from unittest import mock

import pytest

from tests.factories import UserFactory, make_account


@pytest.fixture(autouse=True)
def _divisions(reference_data):
    """Applications need the province's divisions for their supply address."""


@pytest.fixture(autouse=True)
def _in_process_platform(gov_platform):
    """Unit tests of applications never reach for HTTP: the platform answers in process."""


@pytest.fixture
def ownership_shown():
    with mock.patch("applications.handoffs.ownership_provable", return_value=True) as double:
        yield double


@pytest.fixture
def holder(db):
    return UserFactory(username="t_holder")


@pytest.fixture
def held_account(holder, jinan):
    """An account held by someone else: what a transfer applicant takes over."""
    return make_account(
        holder, "37010200000002", "赵敏", "历下区泉城路2号", arrears=Decimal("120.50")
    )
