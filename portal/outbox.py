"""The one way to start background work (DESIGN section 7, transactional outbox).

`outbox_enqueue` writes an `OutboxMessage` row in the caller's transaction and sends it to Celery
once that transaction commits. A lost message (broker down or restarted, a crash between commit
and send, a killed worker) delays the work but never loses it: `outbox_relay`, run periodically,
sends again every row that is still not done a while after it was last sent.

Handlers are plain functions named by dotted path. They may run more than once and must be
idempotent. Raise `RetryLater` for what a retry can fix; any other exception fails the row for an
operator to look at (and retry from the admin).

A worker owns a running row for a short lease that a heartbeat renews while the handler runs
(`OUTBOX_LEASE`, or the handler's own `outbox_lease` set by `@lease(seconds)`), so a worker that
dies is noticed when its heartbeat stops, not after a lease sized for the slowest task. Work that
an outage interrupted is given back at once and sent again after a short backoff; when a worker
(re)connects to the broker, work that was sent before it came back is sent again at once
(`outbox_recover`), since a restarted broker keeps nothing.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from celery import current_app, shared_task
from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

QUEUES = ("default", "govdata")


class RetryLater(Exception):  # noqa: N818 - it reads as an instruction at the raise site
    """Raised by a handler when the failure is transient (timeout, 5xx, lock held)."""

    def __init__(self, message: str = "", *, delay: float | None = None) -> None:
        super().__init__(message)
        self.delay = delay


def lease(seconds: float):
    """Declare how long a handler may go without a heartbeat before its worker is taken for dead
    (a handler that holds the interpreter in one long C call needs more than the default)."""

    def declare(handler):
        handler.outbox_lease = timedelta(seconds=seconds)
        return handler

    return declare


def lease_for(handler) -> timedelta:
    return getattr(handler, "outbox_lease", settings.OUTBOX_LEASE)


def retry_delay(attempt: int, *, base: float = 2.0, cap: float | None = None) -> float:
    """Exponential backoff with full jitter: uniform in [base, min(cap, base * 2**attempt)]."""
    cap = settings.OUTBOX_MAX_RETRY_DELAY if cap is None else cap
    return random.uniform(base, max(base, min(cap, base * 2**attempt)))  # noqa: S311 - jitter


def outbox_enqueue(
    *, handler: str, payload: dict | None = None, queue: str = "default", max_attempts: int = 5
) -> OutboxMessage:
    """Write the work in the current transaction; send it to its queue after commit."""
    return outbox_enqueue_many(
        handler=handler, payloads=[payload or {}], queue=queue, max_attempts=max_attempts
    )[0]


def outbox_enqueue_many(
    *, handler: str, payloads: list[dict], queue: str = "default", max_attempts: int = 5
) -> list[OutboxMessage]:
    """Fan-out: many units of the same work in one INSERT, all sent after commit."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    import_string(handler)  # a typo fails here, in the caller's transaction, not in a worker
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(handler=handler, payload=p, queue=queue, max_attempts=max_attempts)
            for p in payloads
        ]
    )
    batch = [(m.pk, m.queue) for m in messages]
    transaction.on_commit(lambda: outbox_dispatch(messages=batch))
    return messages


def outbox_cancel_pending(*, payload: dict, note: str) -> int:
    """Settle, without running them, the pending rows whose payload holds these values (work
    for an application that was withdrawn, say). Runs in the caller's transaction; a row
    already running finishes, and its handler finds nothing to do."""
    lookups = {f"payload__{key}": value for key, value in payload.items()}
    return OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, **lookups).update(
        state=OutboxMessage.State.DONE, done_at=timezone.now(), last_error=note
    )


def outbox_dispatch(*, messages: Iterable[tuple[int, str]], countdown: float | None = None) -> int:
    """Hand (id, queue) pairs to Celery over one pooled producer. A broker that is down is
    logged, not raised: the relay sends the rows again, so the caller's request still succeeds."""
    sent = 0
    try:
        with current_app.producer_or_acquire() as producer:
            for message_id, queue in messages:
                outbox_execute.apply_async(
                    args=[message_id], queue=queue, countdown=countdown, producer=producer
                )
                sent += 1
    except (BrokerError, OSError) as exc:
        logger.warning(
            "outbox: broker unavailable, %s sent, the rest left for the relay: %s", sent, exc
        )
    return sent


_CLAIM_SQL = """
    UPDATE {table} SET state = %s, lease_until = %s, attempts = attempts + 1
    WHERE id = %s AND ((state = %s AND available_at <= %s) OR (state = %s AND lease_until < %s))
    RETURNING handler, payload, queue, attempts, max_attempts
"""


def _claim(message_id: int) -> OutboxMessage | None:
    """Take the row for this run with one conditional UPDATE … RETURNING (PostgreSQL and SQLite
    both have it): pending and due, or running with an expired lease (its worker died). Whoever
    updates the row owns the run, and gets what it needs to run it in the same round trip."""
    now = timezone.now()
    running, pending = OutboxMessage.State.RUNNING, OutboxMessage.State.PENDING
    db = router.db_for_write(OutboxMessage)
    conn = connections[db]
    with conn.cursor() as cursor:
        cursor.execute(
            _CLAIM_SQL.format(table=conn.ops.quote_name(OutboxMessage._meta.db_table)),
            [running, now + settings.OUTBOX_LEASE, message_id, pending, now, running, now],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    handler, payload, queue, attempts, max_attempts = row
    payload_field = OutboxMessage._meta.get_field("payload")
    return OutboxMessage(
        pk=message_id,
        handler=handler,
        payload=payload_field.from_db_value(payload, None, conn),
        queue=queue,
        attempts=attempts,
        max_attempts=max_attempts,
    )


def outbox_run(*, message_id: int) -> str:
    """Run one message if it is still to do. Returns what happened, for logs and tests."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    rows = OutboxMessage.objects.filter(
        pk=message_id, state=OutboxMessage.State.RUNNING, attempts=message.attempts
    )
    handler = import_string(message.handler)
    heartbeat = Heartbeat(rows, lease_for(handler))
    try:
        with heartbeat:
            handler(**message.payload)
    except (OperationalError, InterfaceError, BrokerError) as exc:
        # The database or the broker went away under the handler: nothing is wrong with the
        # work, so the claim is given back at once rather than left to its lease. An error the
        # database answered with (a timeout, a deadlock) is retried and counted like any other.
        if isinstance(exc, BrokerError) or not _database_answers():
            return _release(message, exc)
        return _retry(message, exc, rows)
    except (RetryLater, DatabaseError, OSError) as exc:
        return _retry(message, exc, rows)
    except Exception as exc:
        rows.update(state=OutboxMessage.State.FAILED, last_error=repr(exc)[:2000], lease_until=None)
        logger.exception("outbox: message %s failed permanently", message_id)
        return "failed"
    done = _when_database_answers(
        lambda: rows.update(
            state=OutboxMessage.State.DONE, done_at=timezone.now(), lease_until=None, last_error=""
        )
    )
    if done is None:
        logger.error("outbox: message %s ran but could not be marked done", message_id)
        return "leased"  # its lease ends without a heartbeat; running it again is harmless
    return "done"


class Heartbeat:
    """Renews the lease of a running row every third of it while its handler runs, from a thread
    of its own (with its own database connection). Nothing runs for handlers that finish within
    the first third, and nothing at all when tasks run eagerly in the caller's process."""

    def __init__(self, rows, lease: timedelta) -> None:
        self.rows, self.lease = rows, lease
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if not current_app.conf.task_always_eager:
            self.thread = threading.Thread(target=self._beat, daemon=True, name="outbox-heartbeat")
            self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()

    def _beat(self) -> None:
        try:
            # The claim took the default lease; the first beat, in time for it, sets the own.
            every = min(self.lease, settings.OUTBOX_LEASE).total_seconds() / 3
            while not self.stopping.wait(every):
                try:
                    self.rows.update(lease_until=timezone.now() + self.lease)
                except DatabaseError as exc:
                    logger.warning("outbox: heartbeat missed: %r", exc)
                    connections.close_all()
        finally:
            connections.close_all()


def _database_answers() -> bool:
    connection = connections[router.db_for_write(OutboxMessage)]
    return connection.connection is not None and connection.is_usable()


def _retry(message: OutboxMessage, exc: Exception, rows) -> str:
    """A transient failure: pending again after a backoff, or failed after the last attempt."""
    message_id = message.pk
    now = timezone.now()
    if message.attempts >= message.max_attempts:
        rows.update(state=OutboxMessage.State.FAILED, last_error=repr(exc)[:2000], lease_until=None)
        logger.error(
            "outbox: message %s gave up after %s attempts: %r",
            message_id,
            message.attempts,
            exc,
        )
        return "failed"
    delay = getattr(exc, "delay", None) or retry_delay(message.attempts)
    when = now + timedelta(seconds=delay)
    rows.update(
        state=OutboxMessage.State.PENDING,
        available_at=when,
        dispatched_at=when,  # the relay takes it up only if this retry is lost too
        lease_until=None,
        last_error=repr(exc)[:2000],
    )
    if not current_app.conf.task_always_eager:  # eager has no countdown: the relay retries
        outbox_dispatch(messages=[(message_id, message.queue)], countdown=delay)
    return "retry"


RELEASE_TRIES = 5
RELEASE_PAUSE = 0.5  # seconds between tries while the database comes back


def _when_database_answers(write):
    """Run a write, dropping a broken connection and trying again a few times while the database
    comes back. Returns what the write returned, or None if the database stayed away."""
    db = router.db_for_write(OutboxMessage)
    for _try in range(RELEASE_TRIES):
        try:
            return write()
        except DatabaseError:
            if not connections[db].in_atomic_block:
                connections[db].close()  # a broken pooled connection goes back as unusable
            time.sleep(RELEASE_PAUSE)
    return None


def _release(message: OutboxMessage, exc: Exception) -> str:
    """Give a claim back after an outage: pending again, its attempt not counted, and sent again
    after a short backoff. It is also marked as sent long ago, so the relay's next pass sends it
    if that message is lost too. If the database does not answer within a few tries, the row
    stays running and the relay takes it when its lease (no longer renewed) ends."""
    now = timezone.now()
    delay = retry_delay(1, base=1.0, cap=5.0)
    released = _when_database_answers(
        lambda: OutboxMessage.objects.filter(
            pk=message.pk, state=OutboxMessage.State.RUNNING, attempts=message.attempts
        ).update(
            state=OutboxMessage.State.PENDING,
            attempts=max(message.attempts - 1, 0),
            available_at=now + timedelta(seconds=delay),
            dispatched_at=now - settings.OUTBOX_STALE_AFTER,
            lease_until=None,
            last_error=repr(exc)[:2000],
        )
    )
    if released is None:
        logger.error("outbox: message %s kept until its lease ends: %r", message.pk, exc)
        return "leased"
    logger.warning("outbox: message %s given back after an outage: %r", message.pk, exc)
    if not current_app.conf.task_always_eager:
        outbox_dispatch(messages=[(message.pk, message.queue)], countdown=delay)
    return "released"


def outbox_relay(*, limit: int = 500, sent_before=None) -> int:
    """Send again every row that should have run by now and has not. Safe to run in parallel:
    rows another relay holds are skipped (SKIP LOCKED where the database has it).

    `sent_before`: a broker came back at that moment, so every pending row last sent before it
    is sent again now instead of when it goes stale (the broker kept nothing)."""
    now = timezone.now()
    stale = now - settings.OUTBOX_STALE_AFTER
    if sent_before is not None:
        stale = max(stale, sent_before)
    due = Q(state=OutboxMessage.State.PENDING, available_at__lte=now, dispatched_at__lte=stale) | Q(
        state=OutboxMessage.State.RUNNING, lease_until__lt=now, dispatched_at__lte=stale
    )
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("dispatched_at")
            .values_list("pk", "queue")[:limit]
        )
        if batch:
            OutboxMessage.objects.filter(pk__in=[pk for pk, _ in batch]).update(dispatched_at=now)
            transaction.on_commit(lambda: outbox_dispatch(messages=batch))
    if batch:
        logger.info("outbox relay: sent %s message(s) again", len(batch))
    return len(batch)


def outbox_requeue(*, message_ids: Iterable[int]) -> int:
    """Operator action: give failed rows a fresh set of attempts."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(
                pk__in=list(message_ids), state=OutboxMessage.State.FAILED
            ).values_list("pk", flat=True)
        )
        now = timezone.now()
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=OutboxMessage.State.PENDING, attempts=0, available_at=now, dispatched_at=now
        )
        batch = list(OutboxMessage.objects.filter(pk__in=ids).values_list("pk", "queue"))
        transaction.on_commit(lambda: outbox_dispatch(messages=batch))
    return len(ids)


CLAIM_RETRIES = 120  # about five minutes of a database that does not answer


@shared_task(bind=True, name="portal.outbox.execute", ignore_result=True)
def outbox_execute(self, message_id: int) -> str:
    try:
        return outbox_run(message_id=message_id)
    except (OperationalError, InterfaceError) as exc:
        # The database is away before the claim: the message would be lost with this delivery,
        # so it goes back to the broker after a short backoff until the database answers.
        connections.close_all()
        logger.warning("outbox: message %s waits for the database: %r", message_id, exc)
        delay = retry_delay(self.request.retries, base=1.0, cap=5.0)
        raise self.retry(exc=exc, countdown=delay, max_retries=CLAIM_RETRIES) from exc


@shared_task(name="portal.outbox.relay", ignore_result=True)
def outbox_relay_task() -> int:
    return outbox_relay()


@shared_task(name="portal.outbox.recover", ignore_result=True)
def outbox_recover(connected_at: float) -> int:
    """Sent by a worker each time it (re)connects to the broker: what was sent before then may
    have been lost with a restarted broker, so it is sent again now."""
    return outbox_relay(sent_before=datetime.fromtimestamp(connected_at, tz=UTC))
