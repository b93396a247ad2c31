"""The government platform in process (a registry of this test's own), with its linked-matter
and property-sale services."""

from unittest import mock

import pytest

from govdata.mock.registry import build_registry


@pytest.fixture
def platform(gov_platform, reference_data):
    gov_platform.registry = build_registry()  # this test's sales and titles stay its own
    with mock.patch("govdata.linked.get_client", return_value=gov_platform):
        yield gov_platform
