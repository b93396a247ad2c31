"""Outbox handlers: the hand-offs from an application to record checks, ownership routing and
permits. Each reloads the row and does nothing when the application has moved on (withdrawn,
say), so running one twice, or late, is harmless."""

import contextlib

from govdata.client import GovDataError, get_client
from govdata.records import Subject, real_estate, record_service

from .models import Application, State
from .signals import permits_requested


def _system_step(application_id: int, name: str, payload: dict) -> None:
    from .services import WrongState, application_transition

    # If the application moved on meanwhile (withdrawn, say), there is nothing left to do.
    with contextlib.suppress(WrongState):
        application_transition(application_id=application_id, name=name, payload=payload)


def ownership_provable(application: Application) -> bool:
    """Does the real-estate registry show the applicant owns the account's supply address?
    When the registry cannot be asked, the answer is no: the current holder is asked to consent,
    which is slower but never blocks."""
    title = record_service(real_estate.CODE)
    subject = Subject.of(application, supply_address=application.account.address)
    try:
        answer = get_client().look_up(
            title.code,
            title.request_for(subject),
            application_id=application.pk,
            subject=subject.owner_id,
        )
    except GovDataError:
        return False
    passed, _reason = title.judge(answer.result)
    return passed


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
