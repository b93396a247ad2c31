from celery import shared_task

from .services import temporary_supplies_watch


@shared_task(name="temporary.watch_end_dates", ignore_result=True)
def watch_end_dates_task() -> dict:
    watched = temporary_supplies_watch()
    return {"reminded": watched.reminded, "flagged": watched.flagged}
