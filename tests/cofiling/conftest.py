"""The government platform in process (a registry of this test's own), with its linked-matter
and property-sale services."""

from unittest import mock

import pytest

from govdata.mock import registry as reg
from govdata.mock.registry import Property, Sale, build_registry
from tests.factories import make_account

BUYER_PHONE = "13905310077"


@pytest.fixture
def platform(gov_platform, reference_data):
    gov_platform.registry = build_registry()  # this test's sales and titles stay its own
    with mock.patch("govdata.linked.get_client", return_value=gov_platform):
        yield gov_platform


@pytest.fixture
def sold_account(holder, platform):
    """An account at an address the registry now says belongs to 王芳, who bought it."""
    account = make_account(holder, "37010200000077", "孙立", "历下区泉城路77号")
    platform.registry.properties.append(
        Property(
            "鲁(2026)济南市不动产权第9000077号", reg.NO_TITLE, "370102", "历下区泉城路77号", 88.0
        )
    )
    # The registry reports the sale, completed yesterday.
    platform.registry.sales.append(
        Sale("济不动产交易2026-009001", reg.TRANSFER_SELLER, reg.NO_TITLE, "王芳", BUYER_PHONE,
             "370102", account.address, "2026-11-27T15:00:00+08:00")
    )  # fmt: skip
    return account
