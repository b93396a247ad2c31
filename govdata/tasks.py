from celery import shared_task

from .services import checks_retry_unavailable


@shared_task(name="govdata.retry_unavailable", ignore_result=True)
def retry_unavailable_task() -> int:
    return checks_retry_unavailable()
