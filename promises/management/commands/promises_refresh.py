"""Keep the accrued-compensation state of applications that took no step since it was kept
(those filed before, or written in bulk, e.g. by `seed_history`); run once after upgrading."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from applications.models import TERMINAL_STATES, Application, State
from promises.compensation import accrual_keep


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="Every application."
        )

    def handle(self, *args, everything, **options):
        now = timezone.now()
        rows = Application.objects.exclude(state=State.DRAFT).exclude(
            state__in=[s for s in TERMINAL_STATES if s != State.COMPLETED]
        )
        if not everything:
            rows = rows.filter(Q(promise__isnull=True) | Q(promise__step_at__isnull=True))
        kept = 0
        for application in rows.order_by("pk").iterator(chunk_size=500):
            at = application.completed_at if application.state == State.COMPLETED else now
            with transaction.atomic():
                kept += accrual_keep(application=application, at=at or now) is not None
        self.stdout.write(f"Kept the accrual of {kept} applications.")
