"""Record checks: open them (one row per service, in the caller's transaction), run one, retry
the unavailable ones later. Knows nothing of applications beyond an id."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.masking import mask_id_number
from portal.outbox import RetryLater, outbox_enqueue_many

from .client import GovDataClient, GovDataError, RecordAnswer, get_client
from .models import RecordCheck
from .records import Fallback, all_services, record_service
from .signals import checks_settled

logger = logging.getLogger(__name__)
CHECK_MAX_ATTEMPTS = 3
RETRY_UNAVAILABLE_AFTER = timedelta(minutes=10)


def checks_open(
    *, application_id: int, requests: dict[str, dict], declined: tuple[str, ...] = ()
) -> list[RecordCheck]:
    """One row per service and, on commit, one message each on the govdata queue. A declined
    check (e.g. no face consent) is settled at once and asks for its document. Opening again
    (a resubmission) replaces the application's earlier checks."""
    RecordCheck.objects.filter(application_id=application_id).delete()
    checks = RecordCheck.objects.bulk_create(
        [
            RecordCheck(
                application_id=application_id,
                service=service,
                request={} if service in declined else payload,
                state=RecordCheck.State.DECLINED
                if service in declined
                else RecordCheck.State.PENDING,
                reason="declined" if service in declined else "",
                document=record_service(service).document,
            )
            for service, payload in requests.items()
        ]
    )
    _enqueue([c for c in checks if c.state == RecordCheck.State.PENDING])
    return checks


def _enqueue(checks: list[RecordCheck]) -> None:
    if checks:
        outbox_enqueue_many(
            handler="govdata.services.check_run",
            payloads=[{"check_id": c.pk} for c in checks],
            queue="govdata",
            max_attempts=CHECK_MAX_ATTEMPTS + 2,
        )


# What a check's request keeps once it no longer needs to ask: the masked subject.
SUBJECT = "subject"
# A check whose request holds a face photo cannot be asked again once the photo is gone.
PHOTO = "photo"


def _photo_services() -> list[str]:
    return [service.code for service in all_services() if PHOTO in service.asks]


def _minimised(request: dict[str, Any]) -> dict[str, Any]:
    """Only what the evidence needs: who, masked (the request id, service, outcome and response
    hash are columns of the check)."""
    if set(request) <= {SUBJECT}:
        return request
    return {SUBJECT: mask_id_number(_subject_of(request))}


def _is_minimised(request: dict[str, Any]) -> bool:
    return set(request) <= {SUBJECT}


def check_run(*, check_id: int) -> None:
    """Outbox handler. Idempotent: a settled check is left alone, and so is one whose request
    was minimised (the application ended, or its photo expired): there is nothing to ask."""
    check = RecordCheck.objects.filter(pk=check_id).first()
    if check is None or check.settled or _is_minimised(check.request):
        return
    service = record_service(check.service)
    client = get_client()
    try:
        answer = client.look_up(
            service.code,
            check.request,
            application_id=check.application_id,
            subject=_subject(check),
        )
        passed, reason = service.judge_request(check.request, answer.result)
        evidence = answer
        if not passed and service.fallback is not None:
            other = _fallback_answer(client, check, service.fallback)
            if other is not None:  # the other record proves the same: its answer is the evidence
                passed, reason, evidence = True, "", other
    except GovDataError as error:
        attempts = RecordCheck.objects.filter(pk=check_id).values_list("attempts", flat=True)[0] + 1
        RecordCheck.objects.filter(pk=check_id).update(attempts=attempts)
        if error.retryable and attempts < CHECK_MAX_ATTEMPTS:
            raise RetryLater(str(error)) from error
        _settle(check, RecordCheck.State.UNAVAILABLE, reason=type(error).__name__)
        return
    _settle(
        check,
        RecordCheck.State.PASSED if passed else RecordCheck.State.FAILED,
        reason=reason,
        answer=evidence,
    )


def _fallback_answer(
    client: GovDataClient, check: RecordCheck, fallback: Fallback
) -> RecordAnswer | None:
    """Ask a check's fallback service (a lease in place of a title, say): its answer when it
    passes, else None."""
    other = record_service(fallback.service)
    answer = client.look_up(
        other.code,
        fallback.request(check.request),
        application_id=check.application_id,
        subject=_subject(check),
    )
    passed, _reason = other.judge(answer.result)
    return answer if passed else None


def _subject(check: RecordCheck) -> str:
    return _subject_of(check.request)


def _subject_of(request: dict[str, Any]) -> str:
    return str(
        request.get("id_number") or request.get("credit_code") or request.get("owner_id") or ""
    )


def _settle(
    check: RecordCheck, state: str, *, reason: str = "", answer: RecordAnswer | None = None
) -> None:
    """Settle a pending check with one conditional UPDATE (a check settled meanwhile by another
    delivery is left alone), then let the application roll up in the same transaction."""
    fields = {"state": state, "reason": reason, "checked_at": timezone.now()}
    if answer is not None:
        fields.update(
            attempts=F("attempts") + 1,
            result={k: v for k, v in answer.result.items() if k not in {"titles", "leases"}},
            evidence_service=answer.service,
            request_id=answer.request_id,
            provider=answer.provider,
            response_sha256=answer.response_sha256,
        )
    if state != RecordCheck.State.UNAVAILABLE or PHOTO in check.request:
        # Settled, the request keeps only the masked subject. An unavailable check keeps it
        # (encrypted) to be asked again later, except a face check: its photo is deleted on
        # every end of the check, so it is not asked again (the ID card stands in).
        fields["request"] = _minimised(check.request)
    with transaction.atomic():
        updated = RecordCheck.objects.filter(pk=check.pk, state=RecordCheck.State.PENDING).update(
            **fields
        )
        if updated:
            checks_settled.send(sender=RecordCheck, application_id=check.application_id)


def checks_retry_unavailable(*, older_than: timedelta = RETRY_UNAVAILABLE_AFTER) -> int:
    """Periodic: try unavailable checks again; a later success clears the document request."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        due = list(
            RecordCheck.objects.select_for_update(skip_locked=True)
            .filter(state=RecordCheck.State.UNAVAILABLE, checked_at__lt=cutoff)
            .exclude(service__in=_photo_services())
            .exclude(reason=CLOSED)[:200]
        )
        for check in due:
            check.state, check.attempts = RecordCheck.State.PENDING, 0
            check.save(update_fields=["state", "attempts"])
        _enqueue(due)
    return len(due)


CLOSED = "closed"
PHOTO_EXPIRED = "photo_expired"


def checks_close(*, application_id: int) -> int:
    """The application ended (withdrawn, rejected, completed): every check's request is
    minimised, face photo included, and a check still running is not run or retried."""
    count = 0
    with transaction.atomic():
        for check in RecordCheck.objects.select_for_update().filter(application_id=application_id):
            fields: dict[str, Any] = {"request": _minimised(check.request)}
            if check.state == RecordCheck.State.PENDING:
                fields.update(
                    state=RecordCheck.State.UNAVAILABLE, reason=CLOSED, checked_at=timezone.now()
                )
            elif check.state == RecordCheck.State.UNAVAILABLE:
                fields["reason"] = CLOSED
            RecordCheck.objects.filter(pk=check.pk).update(**fields)
            count += 1
    return count


def face_photos_sweep(*, max_age: timedelta | None = None) -> int:
    """Periodic: no face photo is kept past FACE_PHOTO_MAX_AGE_MINUTES, whatever became of its
    check. A check still waiting for the platform then settles as unavailable (the applicant is
    asked for the ID card, as when the platform is down)."""
    if max_age is None:
        max_age = timedelta(minutes=settings.FACE_PHOTO_MAX_AGE_MINUTES)
    cutoff = timezone.now() - max_age
    swept = 0
    # Passed and failed checks dropped their photo when they settled.
    candidates = RecordCheck.objects.filter(
        service__in=_photo_services(),
        state__in=[RecordCheck.State.PENDING, RecordCheck.State.UNAVAILABLE],
        created_at__lt=cutoff,
    )
    for check in candidates.iterator():
        if PHOTO not in check.request:
            continue
        if check.state == RecordCheck.State.PENDING:
            _settle(check, RecordCheck.State.UNAVAILABLE, reason=PHOTO_EXPIRED)
        else:
            RecordCheck.objects.filter(pk=check.pk).update(request=_minimised(check.request))
        swept += 1
    if swept:
        logger.info("face photos swept: %s", swept)
    return swept
