from django.core.management.base import BaseCommand

from portal.outbox import outbox_relay


class Command(BaseCommand):
    help = (
        "Send again, once, outbox rows that are still not done (periodically: beat in "
        "production, run_periodic under make run)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"outbox relay: {outbox_relay()} message(s) sent")
