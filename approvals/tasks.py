from celery import shared_task

from .services import approval_tasks_mark_overdue


@shared_task(name="approvals.mark_overdue", ignore_result=True)
def mark_overdue_task() -> int:
    return approval_tasks_mark_overdue()
