import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import OutboxMessage
from portal.outbox import outbox_enqueue


class Command(BaseCommand):
    help = "Queue a no-op through the outbox and wait until a worker has run it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout: float, **options):
        with transaction.atomic():
            message = outbox_enqueue(handler="portal.tasks.ping", payload={"origin": "outbox_ping"})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.state == OutboxMessage.State.DONE:
                self.stdout.write(f"outbox ping: message {message.pk} run by a worker")
                return
            time.sleep(0.2)
        raise CommandError(
            f"outbox ping: message {message.pk} still {message.state} after {timeout}s"
        )
