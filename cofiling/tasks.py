from celery import shared_task

from .services import matters_refresh, property_sales_poll


@shared_task(name="cofiling.property_sales", ignore_result=True)
def property_sales_task() -> int:
    return property_sales_poll()


@shared_task(name="cofiling.refresh_matters", ignore_result=True)
def refresh_matters_task() -> int:
    return matters_refresh()
