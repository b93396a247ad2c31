"""SMS backends. `SMS_BACKEND` names the one in use; each has `send(phone, text)` and raises
`OSError` when the gateway cannot take the message (the caller retries later). No backend ever
logs a one-time code: texts are logged through `mask_codes`."""

from __future__ import annotations

import logging

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from portal.masking import mask_codes, mask_phone

from .messages import SMS_SIGNATURE
from .models import SmsMessage

logger = logging.getLogger(__name__)


class DevelopmentBackend:
    """Keeps the message (database row for the development outbox, a masked log line) instead of
    sending it. Production refuses to start with it (`portal/settings.py`)."""

    def send(self, phone: str, text: str) -> None:
        SmsMessage.objects.create(phone=phone, text=text)
        logger.info("sms to %s: %s", mask_phone(phone), mask_codes(text))


class HttpGatewayBackend:
    """An SMS gateway reached over HTTPS: `POST SMS_GATEWAY_URL` with `{"phone", "text"}` and the
    key as a bearer token."""

    timeout = httpx.Timeout(5.0, connect=2.0)

    def send(self, phone: str, text: str) -> None:
        try:
            response = httpx.post(
                settings.SMS_GATEWAY_URL,
                json={"phone": phone, "text": text},
                headers={"Authorization": f"Bearer {settings.SMS_GATEWAY_KEY}"},
                timeout=self.timeout,
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise OSError(f"SMS gateway: {type(error).__name__}") from error
        logger.info("sms to %s sent through the gateway", mask_phone(phone))


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def sms_send(phone: str, text: str) -> None:
    """Every SMS goes out through here, signed with the portal's name, so the reader knows where
    to answer (never "in another app")."""
    get_backend().send(phone, f"{SMS_SIGNATURE}{text}")
