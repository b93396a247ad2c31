"""SMS backends. `SMS_BACKEND` names the one in use; each has `send(phone, text)`."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from portal.masking import mask_phone

from .models import SmsMessage

logger = logging.getLogger(__name__)


class DevelopmentBackend:
    """Keeps the message (database row + log line) instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        SmsMessage.objects.create(phone=phone, text=text)
        logger.info("sms to %s: %s", mask_phone(phone), text)


def get_backend():
    return import_string(settings.SMS_BACKEND)()
