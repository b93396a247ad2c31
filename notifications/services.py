"""Notify people: inbox rows in the caller's transaction, SMS after commit through the outbox
(one message per recipient, so a department's approvers are told in parallel)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.crypto import personal_data_fernet
from portal.outbox import RetryLater, outbox_enqueue, outbox_enqueue_many

from .backends import sms_send
from .messages import KINDS, render
from .models import Notification


def notify(*, recipients: Iterable, kind: str, params: dict, link: str = "") -> list[Notification]:
    """`recipients`: users or user ids. Unknown kinds fail in the caller, not in a worker."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = sorted({getattr(r, "pk", r) for r in recipients})
    if not ids:
        return []
    params = {k: str(v) for k, v in params.items()}
    rows = Notification.objects.bulk_create(
        [Notification(recipient_id=i, kind=kind, params=params, link=link) for i in ids]
    )
    outbox_enqueue_many(
        handler="notifications.services.notification_send",
        payloads=[{"notification_id": n.pk} for n in rows],
    )
    return rows


def notification_send(*, notification_id: int) -> None:
    """Outbox handler: the SMS, and an e-mail where the person gave an address (in the default
    language). Sent once: the row is marked."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, sms_sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        recipient = notification.recipient
        with translation.override(settings.LANGUAGE_CODE):
            text = notification.text
        try:
            if recipient.phone:
                sms_send(recipient.phone, text)
            if recipient.email:
                send_mail(_("Getting Electricity"), text, None, [recipient.email])
        except OSError as error:  # the gateway or mail server is unreachable: try again later
            raise RetryLater(str(error)) from error
        notification.sms_sent_at = timezone.now()
        notification.save(update_fields=["sms_sent_at"])


def sms_notify(*, phone: str, kind: str, params: dict) -> None:
    """Tell someone without an account by SMS (the person an application was filed for): one
    outbox message, sent after commit."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    sealed = personal_data_fernet().encrypt(phone.encode()).decode()  # no phone in clear at rest
    outbox_enqueue(
        handler="notifications.services.sms_deliver",
        payload={"phone": sealed, "kind": kind, "params": {k: str(v) for k, v in params.items()}},
    )


def sms_deliver(*, phone: str, kind: str, params: dict) -> None:
    """Outbox handler of `sms_notify` (in the default language); `phone` comes sealed."""
    phone = personal_data_fernet().decrypt(phone.encode()).decode()
    with translation.override(settings.LANGUAGE_CODE):
        text = render(kind, params)
    try:
        sms_send(phone, text)
    except OSError as error:
        raise RetryLater(str(error)) from error


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
