from .models import RecordCheck


def checks_for(*, application_id: int) -> list[RecordCheck]:
    return list(RecordCheck.objects.filter(application_id=application_id).order_by("id"))


def checks_for_many(*, application_ids: list[int]) -> dict[int, list[RecordCheck]]:
    grouped: dict[int, list[RecordCheck]] = {pk: [] for pk in application_ids}
    for check in RecordCheck.objects.filter(application_id__in=application_ids).order_by("id"):
        grouped[check.application_id].append(check)
    return grouped
