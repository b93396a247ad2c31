from django.core.management.base import BaseCommand

from supervision.reconcile import kpis_reconcile


class Command(BaseCommand):
    help = (
        "Recount the supervisors' figures from the applications and their timelines, and print "
        "every difference from the counters kept as the work happened (exit 1 when any)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Replace the counters by the recount."
        )
        parser.add_argument("--limit", type=int, default=50, help="Differences to print.")

    def handle(self, *args, fix: bool, limit: int, **options):
        differences = kpis_reconcile(fix=fix)
        for line in differences[:limit]:
            self.stdout.write(line)
        if len(differences) > limit:
            self.stdout.write(f"… and {len(differences) - limit} more")
        self.stdout.write(f"{len(differences)} differences" + (" (fixed)" if fix else ""))
        if differences and not fix:
            raise SystemExit(1)
