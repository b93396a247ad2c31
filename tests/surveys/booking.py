"""Helpers of the survey booking tests: local times, and an application ready to book."""

from datetime import datetime
from zoneinfo import ZoneInfo

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
