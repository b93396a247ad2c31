"""A handler that loses the database gives its claim back at once: the relay's next pass sends
the message again, long before its lease would have ended."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from portal.models import OutboxMessage
from portal.outbox import outbox_relay, outbox_run
from tests.portal import handlers

pytestmark = pytest.mark.django_db(transaction=True)


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
    assert timedelta(seconds=6) < settings.OUTBOX_LEASE / 10  # far before the lease would end
    handlers.CALLS.clear()


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
    handlers.CALLS.clear()
