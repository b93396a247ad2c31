"""Known moments for the promises tests, in the portal's time zone (Asia/Shanghai)."""

from datetime import datetime

from django.utils import timezone


def at(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))
