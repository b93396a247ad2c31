import pytest


@pytest.fixture
def divisions_and_platform(reference_data, gov_platform):
    """Divisions for the addresses; the platform answering in process."""


@pytest.fixture
def platform_on_the_instance(request, gov_platform, django_capture_on_commit_callbacks):
    """For a test class: the platform as `self.platform`, on-commit capture as `self.callbacks`."""
    request.instance.platform = gov_platform
    request.instance.callbacks = django_capture_on_commit_callbacks
