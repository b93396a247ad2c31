"""The hand-offs between an application and the work around it: record checks rolling up into
the application, ownership routing of a transfer, permits requested from the approvals app.
Outbox handlers reload the row and do nothing when the application has moved on (withdrawn,
say), so running one twice, or late, is harmless."""

import contextlib

from django.db import transaction

from govdata.client import GovDataError, get_client
from govdata.models import RecordCheck
from govdata.records import Subject, real_estate, record_service
from govdata.rules import outcome_when_all_passed

from .models import Application, State
from .services import WrongState, application_transition
from .services.contract import contract_prepare
from .signals import permits_requested
from .workflows import ROUTE_OWNERSHIP, VERIFICATION_FAILED, VERIFICATION_PASSED


def _system_step(application_id: int, name: str, payload: dict) -> None:
    # If the application moved on meanwhile (withdrawn, say), there is nothing left to do.
    with contextlib.suppress(WrongState):
        application_transition(application_id=application_id, name=name, payload=payload)


def application_roll_up_checks(*, application_id: int) -> None:
    """Receiver of govdata's `checks_settled`: runs in the settling check's transaction. Locks the
    application row first, then reads the checks, so of two checks settling at once the later
    one sees both and rolls up, exactly once."""
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
    if not documents:
        _system_step(
            application_id,
            VERIFICATION_PASSED.name,
            {"outcome": outcome_when_all_passed(customer_type)},
        )
    elif state == State.VERIFYING:
        _system_step(application_id, VERIFICATION_FAILED.name, {"documents": documents})
    elif documents != sorted(requested):
        # A retried check succeeded later: ask for less.
        Application.objects.filter(pk=application_id).update(documents_requested=documents)


def ownership_provable(application: Application) -> bool:
    """Does the real-estate registry show the applicant owns the account's supply address?
    When the registry cannot be asked, the answer is no: the current holder is asked to consent,
    which is slower but never blocks."""
    title = record_service(real_estate.CODE)
    subject = Subject.of(application, supply_address=application.account.registry_address)
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
    application = Application.objects.select_related("account__county").get(pk=application_id)
    if application.state != State.ACCEPTED:
        return
    _system_step(
        application_id,
        ROUTE_OWNERSHIP.name,
        {"owns_property": ownership_provable(application)},
    )


def request_permits(*, application_id: int) -> None:
    """Tell the approvals app (above us) that permits are needed; its receiver opens the tasks
    idempotently and, once all are decided, takes the permits step through the transition
    service."""
    if Application.objects.filter(pk=application_id, state=State.WORKS_PERMITTING).exists():
        permits_requested.send(sender=Application, application_id=application_id)


def prepare_contract(*, application_id: int) -> None:
    """Outbox handler: make the contract's PDF (and its hash) when the application comes to
    the contract, so the contract page and the code's SMS only read it. Made once; an
    application that moved on meanwhile is left alone."""
    application = Application.objects.filter(pk=application_id).first()
    if application is not None and application.state == State.CONTRACT_PENDING:
        contract_prepare(application=application)
