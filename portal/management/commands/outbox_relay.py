import time

from django.core.management.base import BaseCommand

from portal.outbox import outbox_relay


class Command(BaseCommand):
    help = "Send again outbox rows that are still not done (once, or in a loop with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running until interrupted")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between runs")

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            sent = outbox_relay()
            if sent or not loop:
                self.stdout.write(f"outbox relay: {sent} message(s) sent")
            if not loop:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
