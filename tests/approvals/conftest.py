import pytest
from django.core.management import call_command


@pytest.fixture
def departments(reference_data):
    call_command("loaddata", "departments", verbosity=0)


def web(client, user):
    """A browser session signed in as `user` (Django's test client)."""
    client.force_login(user)
    return client
