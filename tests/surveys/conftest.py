from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from applications.models import Application, State
from tests.factories import new_application

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts) -> datetime:
    """A local (Beijing) time."""
    return datetime(*parts, tzinfo=SHANGHAI)


def accepted(applicant, **extra) -> Application:
    """A new connection of `applicant`, accepted: a survey can be booked (in 历下区, Jinan)."""
    application = new_application(applicant, **extra)
    Application.objects.filter(pk=application.pk).update(state=State.ACCEPTED)
    application.refresh_from_db()
    return application


@pytest.fixture
def ready(applicant, engineer):
    return accepted(applicant)


@pytest.fixture
def eve_of_national_day(time_machine):
    """2026-09-30 10:00: National Day runs 1–7 October 2026, Saturday 10 October is worked."""
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
