"""Outbox handlers: the hand-offs from an application to record checks, ownership routing and
permits. Each reloads the row and does nothing when the application has moved on (withdrawn,
say), so running one twice, or late, is harmless."""

import contextlib

from .models import Application, State
from .signals import permits_requested
from .verification import ownership_provable, verify_records


def _system_step(application_id: int, name: str, payload: dict) -> None:
    from .services import WrongState, application_transition

    # If the application moved on meanwhile (withdrawn, say), there is nothing left to do.
    with contextlib.suppress(WrongState):
        application_transition(application_id=application_id, name=name, payload=payload)


def run_verification(*, application_id: int) -> None:
    application = Application.objects.get(pk=application_id)
    if application.state != State.VERIFYING:
        return
    result = verify_records(application)
    if result.passed:
        _system_step(application_id, "verification_passed", {"outcome": result.outcome})
    else:
        _system_step(application_id, "verification_failed", {"documents": result.documents})


def run_ownership_check(*, application_id: int) -> None:
    application = Application.objects.select_related("account").get(pk=application_id)
    if application.state != State.ACCEPTED:
        return
    _system_step(
        application_id, "route_ownership", {"owns_property": ownership_provable(application)}
    )


def request_permits(*, application_id: int) -> None:
    """Tell the approvals app (above us) that permits are needed; its receiver opens the tasks
    idempotently and, once all are decided, calls `application_transition` with
    `permits_approved` or `permits_refused`."""
    if Application.objects.filter(pk=application_id, state=State.WORKS_PERMITTING).exists():
        permits_requested.send(sender=Application, application_id=application_id)
