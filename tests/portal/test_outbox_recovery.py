"""Recovery after an outage: a handler that loses the database gives its claim back at once (the
relay's next pass, or the backoff's own message, sends it again long before its lease would have
ended); a running row's lease is short and renewed by a heartbeat, so a dead worker is noticed in
seconds; a delivery that finds the database away goes back to the broker instead of being lost;
and a worker that (re)connects to the broker has what was sent before sent again."""

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from portal.celery import Consumer, RecoverOnConnect
from portal.celery import app as celery_app
from portal.models import OutboxMessage
from portal.outbox import (
    CLAIM_RETRIES,
    _claim,
    lease_for,
    outbox_execute,
    outbox_recover,
    outbox_relay,
    outbox_run,
)
from tests.portal import handlers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clear_handler_calls"),
]


def test_a_claim_lost_to_a_database_error_is_sent_by_the_next_relay_pass():
    # The row as a worker finds it (written directly: enqueueing would run it eagerly).
    message = OutboxMessage.objects.create(
        handler="tests.portal.handlers.database_gone", payload={"n": 1}
    )
    with mock.patch("portal.outbox._database_answers", return_value=False):  # connection lost
        assert outbox_run(message_id=message.pk) == "released"
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.lease_until is None
    assert message.attempts == 0  # an outage is not the work's fault
    with time_machine.travel(timezone.now() + timedelta(seconds=6), tick=False):
        assert outbox_relay() == 1  # the next pass, seconds later
    assert timedelta(seconds=6) < settings.OUTBOX_LEASE  # before the lease would end


def test_before_the_release_the_row_waited_for_its_lease():
    """What the release replaces: a running row with a live lease is not sent again."""
    message = OutboxMessage.objects.create(handler="tests.portal.handlers.record")
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.RUNNING,
        lease_until=now + settings.OUTBOX_LEASE,
        dispatched_at=now - timedelta(hours=1),
    )
    with time_machine.travel(now + timedelta(seconds=6), tick=False):
        assert outbox_relay() == 0


def test_an_error_the_database_answered_with_is_retried_and_counted():
    """A statement timeout or a deadlock is not an outage: it uses up an attempt as before."""
    message = OutboxMessage.objects.create(
        handler="tests.portal.handlers.database_gone", payload={"n": 3}
    )
    assert outbox_run(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 1


def test_a_released_claim_is_sent_again_after_a_short_backoff_by_the_worker_itself(worker_mode):
    message = OutboxMessage.objects.create(
        handler="tests.portal.handlers.database_gone", payload={"n": 4}
    )
    with (
        mock.patch("portal.outbox._database_answers", return_value=False),
        mock.patch("portal.outbox.outbox_dispatch") as dispatch,
    ):
        assert outbox_run(message_id=message.pk) == "released"
    (call,) = dispatch.call_args_list
    assert call.kwargs["messages"] == [(message.pk, "default")]
    assert 1.0 <= call.kwargs["countdown"] <= 5.0


def test_a_dead_worker_is_noticed_when_its_short_lease_ends_not_after_the_slowest_task():
    message = OutboxMessage.objects.create(handler="tests.portal.handlers.record")
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=now - timedelta(minutes=5))
    assert _claim(message.pk) is not None  # the worker claims it, then dies: no heartbeat
    assert (
        settings.OUTBOX_LEASE
        <= timedelta(seconds=30)
        < timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    )
    with time_machine.travel(now + timedelta(seconds=10), tick=False):
        assert outbox_relay() == 0  # still its worker's
    with time_machine.travel(now + settings.OUTBOX_LEASE + timedelta(seconds=1), tick=False):
        assert outbox_relay() == 1


def test_the_heartbeat_keeps_a_long_handler_s_lease_alive(worker_mode):
    message = OutboxMessage.objects.create(
        handler="tests.portal.handlers.slow", payload={"seconds": 1.0}
    )
    assert lease_for(handlers.slow) == timedelta(seconds=0.6)
    assert outbox_run(message_id=message.pk) == "done"
    # Seen by the handler itself near its end: the claim's default lease was replaced by the
    # handler's own 0.6 s, renewed while it ran (past its start + 0.6 s).
    (seen,) = handlers.CALLS
    renewed = seen["lease_until"] - seen["started"]
    assert lease_for(handlers.slow) < renewed < settings.OUTBOX_LEASE / 2


def test_a_delivery_that_finds_the_database_away_goes_back_to_the_broker():
    message = OutboxMessage.objects.create(handler="tests.portal.handlers.record", payload={"n": 5})
    gone = OperationalError("could not connect to server")
    with (
        mock.patch("portal.outbox._claim", side_effect=gone),
        mock.patch.object(outbox_execute, "retry", side_effect=Retry) as retry,
        pytest.raises(Retry),
    ):
        outbox_execute.run(message.pk)
    assert retry.call_args.kwargs["max_retries"] == CLAIM_RETRIES
    assert 1.0 <= retry.call_args.kwargs["countdown"] <= 5.0
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 0
    assert handlers.CALLS == []


def test_a_worker_that_reconnects_has_what_was_sent_before_sent_again_at_once():
    sent = timezone.now()
    message = OutboxMessage.objects.create(handler="tests.portal.handlers.record")
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=sent)
    reconnected = sent + timedelta(seconds=1)
    with time_machine.travel(reconnected + timedelta(seconds=1), tick=False):
        assert outbox_relay() == 0  # not stale yet: the periodic relay would wait
        with mock.patch("portal.outbox.outbox_dispatch") as dispatch:
            assert outbox_recover(reconnected.timestamp()) == 1
            # another worker that reconnected at the same moment: already sent again
            assert outbox_recover(reconnected.timestamp()) == 0
    dispatch.assert_called_once()


def test_the_consumer_step_asks_for_a_recovery_pass_on_every_start():
    app = mock.Mock()
    step = RecoverOnConnect.__new__(RecoverOnConnect)
    step.start(SimpleNamespace(app=app))
    step.start(SimpleNamespace(app=app))  # after a lost connection the consumer starts again
    assert app.send_task.call_count == 2
    assert app.send_task.call_args.args[0] == "portal.outbox.recover"
    assert RecoverOnConnect in celery_app.steps["consumer"]


def test_the_worker_consumer_reconnects_where_a_detached_redis_transport_raises():
    """Celery 5.7.0 stops the worker on these after a Redis restart (see portal/celery.py)."""
    assert celery_app.conf.worker_consumer == "portal.celery:Consumer"
    consumer = Consumer.__new__(Consumer)
    consumer.connection = mock.Mock()
    detached = AttributeError("'NoneType' object has no attribute 'hostname'")
    with mock.patch(
        "celery.worker.consumer.Consumer.on_connection_error_after_connected",
        side_effect=detached,
    ):
        consumer.on_connection_error_after_connected(ConnectionError("closed by server"))
    assert consumer.connection is None
    with mock.patch("celery.worker.consumer.Consumer.__init__", return_value=None):
        consumer = Consumer.__new__(Consumer)
        consumer.connection_errors = (ConnectionError,)
        Consumer.__init__(consumer)
    assert AttributeError in consumer.connection_errors  # a stale ack is logged, not fatal
