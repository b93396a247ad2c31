"""What supervision counts as the work happens. Connected in `SupervisionConfig.ready`."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from applications.signals import application_changed
from approvals.models import ApprovalTask
from govdata.models import GovCall

from .counting import calls_count, kpis_count, tasks_count


@receiver(application_changed, dispatch_uid="supervision.count")
def _count(sender, application_id: int, **kwargs) -> None:
    kpis_count(application_id=application_id)


# Tasks and calls are counted as their rows are saved, in the transaction that saves them:
# every service of approvals saves a task through the model (no queryset updates, no bulk
# writes), and the client writes each call once. reconcile_kpis would report a path that
# bypassed this (tests/supervision/test_reconcile_after_steps.py runs every step).
@receiver(post_save, sender=ApprovalTask, dispatch_uid="supervision.count_task")
def _count_task(sender, instance: ApprovalTask, **kwargs) -> None:
    tasks_count(task_id=instance.pk)


@receiver(pre_delete, sender=ApprovalTask, dispatch_uid="supervision.uncount_task")
def _uncount_task(sender, instance: ApprovalTask, **kwargs) -> None:
    tasks_count(task_id=instance.pk, deleted=True)


@receiver(post_save, sender=GovCall, dispatch_uid="supervision.count_call")
def _count_call(sender, instance: GovCall, created: bool, **kwargs) -> None:
    if created:
        calls_count(call=instance)
