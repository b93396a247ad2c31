"""One-time SMS codes: send (at most one a minute per number and purpose), check (five tries,
ten minutes, once)."""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.crypto import phone_digest
from portal.masking import mask_phone

from .backends import sms_send
from .models import SmsCode

logger = logging.getLogger(__name__)
RESEND_AFTER = timedelta(seconds=60)
VALID_FOR = timedelta(minutes=10)
MAX_ATTEMPTS = 5


class CodeError(Exception):
    """A code could not be sent or was not accepted; the message is for the user."""


class TooSoon(CodeError):
    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            _("A code was just sent. You can ask for a new one in %(n)s seconds.")
            % {"n": wait_seconds}
        )
        self.wait_seconds = wait_seconds


def _digest(phone: str, purpose: str, code: str) -> str:
    return salted_hmac("sms-code", f"{phone}:{purpose}:{code}").hexdigest()


def sms_code_send(*, phone: str, purpose: str, text: str) -> None:
    """`text` has a `%(code)s` placeholder. The SMS goes out after commit."""
    now = timezone.now()
    last = SmsCode.objects.filter(phone_hash=phone_digest(phone), purpose=purpose).first()
    if last is not None and now - last.created_at < RESEND_AFTER:
        raise TooSoon(int((RESEND_AFTER - (now - last.created_at)).total_seconds()) + 1)
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_digest(phone, purpose, code),
        expires_at=now + VALID_FOR,
    )
    message = text % {"code": code}

    def send() -> None:
        try:
            sms_send(phone, message)
        except OSError:  # the gateway is down: the user asks again after a minute
            logger.exception("sms code to %s not sent", mask_phone(phone))

    transaction.on_commit(send)


def sms_code_check(*, phone: str, purpose: str, code: str) -> None:
    """Accept the latest unexpired, unused code once; raise CodeError otherwise. A wrong try is
    counted even though the caller's step fails (savepoint kept, error raised after it)."""
    with transaction.atomic():
        latest = (
            SmsCode.objects.select_for_update()
            .filter(
                phone_hash=phone_digest(phone),
                purpose=purpose,
                used_at=None,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if latest is None:
            error = _("No valid code: ask for a new one.")
        elif latest.attempts >= MAX_ATTEMPTS:
            error = _("Too many wrong codes: ask for a new one.")
        elif not hmac.compare_digest(latest.code_hash, _digest(phone, purpose, code.strip())):
            latest.attempts += 1
            latest.save(update_fields=["attempts"])
            error = _("The code is not right.")
        else:
            latest.used_at = timezone.now()
            latest.save(update_fields=["used_at"])
            return
    raise CodeError(error)
