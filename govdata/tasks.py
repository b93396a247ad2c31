from celery import shared_task

from .services import checks_retry_unavailable, face_photos_sweep


@shared_task(name="govdata.retry_unavailable", ignore_result=True)
def retry_unavailable_task() -> int:
    return checks_retry_unavailable()


@shared_task(name="govdata.sweep_face_photos", ignore_result=True)
def sweep_face_photos_task() -> int:
    return face_photos_sweep()
