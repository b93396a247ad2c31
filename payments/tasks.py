from celery import shared_task

from .services import payments_reconcile
from .statement import statement_reconcile


@shared_task(name="payments.reconcile", ignore_result=True)
def reconcile_task() -> int:
    return payments_reconcile()


@shared_task(name="payments.reconcile_statement", ignore_result=True)
def reconcile_statement_task() -> int:
    return statement_reconcile()
