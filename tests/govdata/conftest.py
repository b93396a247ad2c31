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
