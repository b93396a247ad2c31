"""The outbox against a real worker and a real broker."""

from datetime import timedelta

from django.db import transaction

from portal.outbox import outbox_enqueue, outbox_relay
from tests.integration.helpers import Worker, artifacts_dir, producer_broker, wait_until_done


def test_a_real_worker_runs_work_committed_through_the_outbox(celery_worker, tmp_path):
    effects = tmp_path / "effects.txt"
    with transaction.atomic():
        ids = [
            outbox_enqueue(
                handler="tests.integration.handlers.append_token",
                payload={"path": str(effects), "token": f"t{i}"},
                queue=queue,
            ).pk
            for i, queue in enumerate(["default", "govdata"])
        ]
    wait_until_done(ids)
    assert sorted(effects.read_text().split()) == ["t0", "t1"]


def test_work_committed_while_the_broker_is_down_runs_once_it_is_back(
    real_services, private_redis, tmp_path, settings
):
    settings.OUTBOX_STALE_AFTER = timedelta(seconds=1)
    effects = tmp_path / "effects.txt"
    worker = Worker(private_redis.url, artifacts_dir() / "celery-worker-outage.log")
    try:
        with producer_broker(private_redis.url):
            private_redis.stop()  # the broker goes away; Redis here keeps nothing on disk

            ids = []
            for i in range(20):  # 20 separate requests, each committing its own work
                with transaction.atomic():
                    ids.append(
                        outbox_enqueue(
                            handler="tests.integration.handlers.append_token",
                            payload={"path": str(effects), "token": f"w{i:02d}"},
                        ).pk
                    )
            assert not effects.exists()  # nothing ran: nothing could be sent

            private_redis.start()  # back, and empty
            # What beat does every few seconds: the relay sends again whatever is stale.
            wait_until_done(ids, timeout=90, between_polls=outbox_relay)
    finally:
        worker.stop()

    tokens = effects.read_text().split()
    assert sorted(tokens) == [f"w{i:02d}" for i in range(20)]  # each ran, and only once
