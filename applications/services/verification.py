"""Zero-certificate verification: open the record checks an application needs, and roll the
application up when the last one settles."""

from __future__ import annotations

from django.db import transaction

from govdata.models import RecordCheck
from govdata.records import Subject, face, record_service
from govdata.rules import outcome_when_all_passed, required_checks
from govdata.services import checks_open

from ..models import Application, State


def _requests(application: Application, face_photo: str, in_person: bool) -> dict[str, dict]:
    services = required_checks(
        kind=application.kind, customer_type=application.customer_type, voltage=application.voltage
    )
    if in_person:  # a counter clerk saw the ID card and the person: no face check needed
        services = [service for service in services if service != face.CODE]
    # Only the face check puts the photo in its request.
    subject = Subject.of(application, photo=face_photo)
    return {service: record_service(service).request_for(subject) for service in services}


def verification_start(
    *, application: Application, face_consent: bool, face_photo: str, in_person: bool = False
) -> None:
    """In the submit transaction: one check row (and outbox row) per required record.
    Face recognition runs only with its own consent and a photo; otherwise it is declined and
    the applicant uploads the ID (or verifies at a counter) instead — never a dead end."""
    requests = _requests(application, face_photo, in_person)
    declined = () if (face_consent and face_photo) else ("face",)
    checks_open(application_id=application.pk, requests=requests, declined=declined)


def application_roll_up_checks(*, application_id: int) -> None:
    """Receiver of govdata's `checks_settled`: runs in the settling check's transaction. Locks the
    application row first, then reads the checks, so of two checks settling at once the later
    one sees both and rolls up, exactly once."""
    from .transitions import WrongState, application_transition

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("roll-up runs inside the transaction that settles a check")
    # Called inside the settling check's transaction (no savepoint of its own needed).
    locked = (
        Application.objects.select_for_update(of=("self",))
        .filter(pk=application_id)
        .values_list("state", "customer_type", "documents_requested")
        .first()
    )
    if locked is None or locked[0] not in {State.VERIFYING, State.NEEDS_DOCUMENTS}:
        return
    state, customer_type, requested = locked
    checks = list(
        RecordCheck.objects.filter(application_id=application_id).values_list("state", "document")
    )
    if not checks or any(check_state == RecordCheck.State.PENDING for check_state, _ in checks):
        return
    documents = sorted(
        {doc for check_state, doc in checks if check_state != RecordCheck.State.PASSED}
    )
    try:
        if not documents:
            application_transition(
                application_id=application_id,
                name="verification_passed",
                payload={"outcome": outcome_when_all_passed(customer_type)},
            )
        elif state == State.VERIFYING:
            application_transition(
                application_id=application_id,
                name="verification_failed",
                payload={"documents": documents},
            )
        elif documents != sorted(requested):
            # A retried check succeeded later: ask for less.
            Application.objects.filter(pk=application_id).update(documents_requested=documents)
    except WrongState:
        pass
