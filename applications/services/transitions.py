from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from notifications.services import notify
from portal.models import Role
from portal.outbox import outbox_enqueue

from ..commitment import COMMITMENT_TEXT, COMMITMENT_VERSION
from ..models import Application, ElectricityAccount, Kind, State, TimelineEntry
from ..signals import commitment_filed
from ..workflows import ACTORS, SYSTEM_STEPS, as_kind, transition_names
from .verification import verification_start


class TransitionError(Exception):
    status = 400
    field = ""  # set when the refusal concerns one input: the answer names it

    def __init__(
        self, message: str, *, application: Application | None = None, allowed=(), state: str = ""
    ):
        super().__init__(message)
        self.application = application
        self.allowed = list(allowed)
        self.state = state or (application.state if application is not None else "")


class UnknownTransition(TransitionError):
    status = 404


class NotPermitted(TransitionError):
    status = 403


class WrongState(TransitionError):
    status = 409


class ConditionNotMet(TransitionError):
    status = 409


def available_transitions(*, application: Application, user) -> list[str]:
    """The steps this user may take now (state, conditions and permission all allow)."""
    application = as_kind(application)
    return sorted(
        t.name
        for t in application.get_available_user_state_transitions(user)
        if t.name not in SYSTEM_STEPS
    )


def _lock(application_id: int) -> Application:
    return as_kind(
        Application.objects.select_for_update(of=("self",))
        .select_related("account", "supply_county")
        .get(pk=application_id)
    )


def transition_check(*, application: Application, name: str, actor) -> None:
    """Raise what taking step `name` now would raise: 403, 409, or nothing. The locked
    transition checks again; this lets a caller refuse before even reading the payload."""
    if name not in ACTORS:
        raise UnknownTransition(_("There is no step called “%(name)s”.") % {"name": name})
    application = as_kind(application)
    method = getattr(application, name, None)
    if actor is not None and (name in SYSTEM_STEPS or not ACTORS[name](actor, application)):
        raise NotPermitted(
            _("Your role may not take this step on this application."), application=application
        )
    if actor is None and name not in SYSTEM_STEPS:
        raise NotPermitted("a person's step needs the person", application=application)

    def allowed() -> list[str]:  # only worked out when refusing
        return available_transitions(application=application, user=actor) if actor else []

    if name not in transition_names(application.kind) or not can_proceed(
        method, check_conditions=False
    ):
        raise WrongState(
            _("This step is not possible while the application is “%(state)s”.")
            % {"state": application.get_state_display()},
            application=application,
            allowed=allowed(),
        )
    if not can_proceed(method):
        raise ConditionNotMet(
            _("Not yet: every requested document must be uploaded first."),
            application=application,
            allowed=allowed(),
        )
    # django-fsm does not check permissions by itself; ask it explicitly, now that state and
    # conditions are known to allow the step.
    if actor is not None and not has_transition_perm(method, actor):
        raise NotPermitted(
            _("Your role may not take this step on this application."), application=application
        )


def application_transition(
    *,
    application_id: int,
    name: str,
    actor=None,
    payload: dict[str, Any] | None = None,
    comment: str = "",
) -> Application:
    """Take step `name`. `actor=None` is the system (record checks, permit roll-up, routing).

    Locks the row, so of two people acting at once exactly one wins; the other finds the state
    moved on and gets WrongState. Everything — state, side data, timeline row, outbox rows — is
    written in one transaction.
    """
    payload = payload or {}
    _before(application_id, name, payload, actor)
    with transaction.atomic():
        application = _lock(application_id)
        transition_check(application=application, name=name, actor=actor)
        method = getattr(application, name)
        from_state = application.state
        method(**payload)
        application.version += 1
        application.save()
        TimelineEntry.objects.create(
            application=application,
            transition=name,
            from_state=from_state,
            to_state=application.state,
            actor=actor,
            role=actor.role if actor is not None else "system",
            comment=comment,
        )
        _after(application, name, payload, actor)
        _tell(application, actor)
    return application


def _tell(application: Application, actor) -> None:
    """Everyone a step concerns hears of it (inbox now, SMS after commit), except whoever took
    it: the applicant of every change, the account holder when a transfer needs consent."""
    with translation.override("en"):  # kept as the message id, shown in the reader's language
        label = str(State(application.state).label)
    if actor is None or actor.pk != application.applicant_id:
        notify(
            recipients=[application.applicant_id],
            kind="application_moved",
            params={"number": application.number, "state_label": label},
            link=reverse("application-page", args=[application.pk]),
        )
    if application.state == State.CONSENT_PENDING and application.account_id:
        account = ElectricityAccount.objects.only("holder_id", "number").get(
            pk=application.account_id
        )
        if account.holder_id and account.holder_id != getattr(actor, "pk", None):
            notify(
                recipients=[account.holder_id],
                kind="consent_requested",
                params={"number": application.number, "account": account.number},
            )


def _before(application_id: int, name: str, payload: dict, actor) -> None:
    """What a step must prove before its transaction, kept even when the step then fails: the
    contract's SMS code (a wrong try is counted)."""
    if name == "sign_contract":
        from .contract import contract_code_check

        contract_code_check(application_id=application_id, actor=actor, payload=payload)


def _after(application: Application, name: str, payload: dict, actor) -> None:
    """What a step sets going, inside its transaction: check rows, outbox rows, account changes."""
    state = application.state
    if name == "submit":
        verification_start(
            application=application,
            face_consent=bool(payload.get("face_consent")),
            face_photo=payload.get("face_photo") or "",
            in_person=actor is not None and actor.role == Role.CLERK,
        )
    elif name == "accept" and application.kind == Kind.TRANSFER:
        outbox_enqueue(
            handler="applications.handoffs.run_ownership_check",
            payload={"application_id": application.pk},
            queue="govdata",
        )
    elif name == "confirm_scheme" and state == State.WORKS_PERMITTING:
        outbox_enqueue(
            handler="applications.handoffs.request_permits",
            payload={"application_id": application.pk},
        )
    elif name == "file_commitment":
        commitment_filed.send(
            sender=Application,
            application_id=application.pk,
            actor_id=actor.pk if actor is not None else application.applicant_id,
            text_version=COMMITMENT_VERSION,
            text=COMMITMENT_TEXT,
        )
    if name == "sign_contract":
        from .contract import contract_record_signature

        contract_record_signature(
            application=application, actor=actor, address=payload.get("client_address")
        )
    if state == State.COMPLETED:
        _complete_account(application)


def _complete_account(application: Application) -> None:
    if application.kind == Kind.NEW_CONNECTION:
        from .contract import account_number_for

        account = ElectricityAccount.objects.create(
            number=account_number_for(application),
            holder_id=application.applicant_id,
            holder_name=application.applicant_name,
            county_id=application.supply_county_id,
            address=application.supply_address,
            capacity_kva=application.capacity_kva,
            voltage=application.voltage,
        )
        application.account = account
        application.save(update_fields=["account"])
    elif application.kind == Kind.CAPACITY_INCREASE:
        ElectricityAccount.objects.filter(pk=application.account_id).update(
            capacity_kva=application.capacity_kva, voltage=application.voltage
        )
    elif application.kind == Kind.TRANSFER:
        ElectricityAccount.objects.filter(pk=application.account_id).update(
            holder_id=application.applicant_id, holder_name=application.applicant_name
        )
