from django.core.management.base import BaseCommand

from approvals.services import approval_tasks_mark_overdue


class Command(BaseCommand):
    help = (
        "Mark pending permit tasks past their due date, list them for the supervisors and tell "
        "the approvers (Celery beat runs this every 30 minutes in production)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"overdue tasks marked: {approval_tasks_mark_overdue()}")
