from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal.models import OutboxMessage
from portal.outbox import outbox_enqueue, outbox_relay, outbox_requeue, outbox_run, retry_delay
from tests.portal import handlers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_handler_calls")]


def test_work_runs_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = outbox_enqueue(handler="tests.portal.handlers.record", payload={"n": 1})
        assert handlers.CALLS == []  # nothing runs inside the caller's transaction
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.DONE
    assert message.attempts == 1
    assert handlers.CALLS == [{"n": 1}]


def test_rolled_back_work_leaves_no_row_and_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(handler="tests.portal.handlers.record", payload={"n": 1})
        raise RuntimeError("caller failed")
    assert OutboxMessage.objects.count() == 0
    assert handlers.CALLS == []


def test_a_handler_path_that_does_not_import_fails_in_the_caller():
    with pytest.raises(ImportError):
        outbox_enqueue(handler="tests.portal.handlers.no_such_handler")
    with pytest.raises(ValueError, match="unknown queue"):
        outbox_enqueue(handler="tests.portal.handlers.record", queue="nowhere")


def test_running_twice_does_the_work_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(handler="tests.portal.handlers.record", payload={"n": 2})
    assert outbox_run(message_id=message.pk) == "skipped"
    assert handlers.CALLS == [{"n": 2}]


def test_a_transient_failure_is_retried_later_with_backoff(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(handler="tests.portal.handlers.flaky", max_attempts=3)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.available_at > timezone.now()
    assert "upstream timed out" in message.last_error
    # Not due yet: a redelivered message does not run it early.
    assert outbox_run(message_id=message.pk) == "skipped"


def test_transient_failures_give_up_after_max_attempts():
    message = OutboxMessage.objects.create(handler="tests.portal.handlers.flaky", max_attempts=2)
    assert outbox_run(message_id=message.pk) == "retry"
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    assert outbox_run(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    assert message.attempts == 2


def test_a_permanent_failure_is_not_retried():
    message = OutboxMessage.objects.create(handler="tests.portal.handlers.broken")
    assert outbox_run(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    assert "a bug" in message.last_error
    assert outbox_run(message_id=message.pk) == "skipped"


def test_an_operator_can_retry_failed_messages(django_capture_on_commit_callbacks):
    message = OutboxMessage.objects.create(
        handler="tests.portal.handlers.record", state=OutboxMessage.State.FAILED, attempts=5
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_requeue(message_ids=[message.pk]) == 1
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.DONE


def test_broker_down_at_commit_does_not_fail_the_caller(django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "portal.tasks.outbox_execute.apply_async",
            side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = outbox_enqueue(handler="tests.portal.handlers.record")
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert handlers.CALLS == []


def test_relay_sends_again_what_is_stale_and_leaves_fresh_work_alone(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_STALE_AFTER = timedelta(seconds=30)
    long_ago = timezone.now() - timedelta(minutes=5)
    lost = OutboxMessage.objects.create(
        handler="tests.portal.handlers.record", payload={"n": "lost"}, dispatched_at=long_ago
    )
    fresh = OutboxMessage.objects.create(
        handler="tests.portal.handlers.record", payload={"n": "fresh"}
    )
    crashed = OutboxMessage.objects.create(
        handler="tests.portal.handlers.record",
        payload={"n": "crashed"},
        state=OutboxMessage.State.RUNNING,
        lease_until=long_ago,
        dispatched_at=long_ago,
    )
    done = OutboxMessage.objects.create(
        handler="tests.portal.handlers.record",
        state=OutboxMessage.State.DONE,
        dispatched_at=long_ago,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_relay() == 2
    states = dict(OutboxMessage.objects.values_list("pk", "state"))
    assert states[lost.pk] == states[crashed.pk] == OutboxMessage.State.DONE
    assert states[fresh.pk] == OutboxMessage.State.PENDING
    assert states[done.pk] == OutboxMessage.State.DONE
    assert sorted(c["n"] for c in handlers.CALLS) == ["crashed", "lost"]


def test_a_running_message_with_a_live_lease_is_not_taken_twice():
    message = OutboxMessage.objects.create(
        handler="tests.portal.handlers.record",
        state=OutboxMessage.State.RUNNING,
        lease_until=timezone.now() + timedelta(minutes=1),
    )
    assert outbox_run(message_id=message.pk) == "skipped"
    assert handlers.CALLS == []


@pytest.mark.parametrize("attempt", [1, 3, 8, 20])
def test_retry_delay_grows_and_stays_capped(settings, attempt):
    settings.OUTBOX_MAX_RETRY_DELAY = 600
    delays = [retry_delay(attempt) for _ in range(50)]
    assert all(2.0 <= d <= min(600, 2.0 * 2**attempt) for d in delays)
    assert len(set(delays)) > 1  # jittered
