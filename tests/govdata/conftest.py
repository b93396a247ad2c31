import pytest

from govdata.client import GovDataClient
from tests.helpers import MockPlatform


@pytest.fixture(scope="session")
def mock_platform():
    platform = MockPlatform()
    yield platform
    platform.stop()


@pytest.fixture
def govclient(mock_platform, settings):
    settings.GOVDATA_BASE_URL = mock_platform.url
    mock_platform.set_faults({})
    client = GovDataClient(
        mock_platform.url, settings.GOVDATA_CONSUMER, settings.GOVDATA_KEY, read_timeout=2
    )
    yield client
    client.close()
    mock_platform.set_faults({})


@pytest.fixture
def divisions_and_platform(reference_data, gov_platform):
    """Divisions for the addresses; the platform answering in process."""


@pytest.fixture
def platform_on_the_instance(request, gov_platform, django_capture_on_commit_callbacks):
    """For a test class: the platform as `self.platform`, on-commit capture as `self.callbacks`."""
    request.instance.platform = gov_platform
    request.instance.callbacks = django_capture_on_commit_callbacks
