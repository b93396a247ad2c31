from celery import shared_task

from .services import survey_reminders_send


@shared_task(name="surveys.send_reminders", ignore_result=True)
def send_reminders_task() -> int:
    return survey_reminders_send()
