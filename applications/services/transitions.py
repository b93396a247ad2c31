"""The transition service: the only place steps are taken. It reads each step's declaration
from the registry — who may take it, its inputs, what it proves first and sets going after."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from govdata.services import checks_close
from notifications.services import notify
from portal.errors import (
    ConditionNotMet,
    InvalidInput,
    NotFound,
    NotPermitted,
    WrongState,
)
from portal.fields import StrictCharField
from portal.outbox import outbox_enqueue

from ..models import TERMINAL_STATES, Application, ElectricityAccount, State, TimelineEntry
from ..registry import Input, Step, as_kind, kind_spec, step_named, transition_names
from ..signals import application_changed_send

COMMENT = Input("comment", lambda: StrictCharField(max_length=2000, required=False, strip=True))


def available_transitions(*, application: Application, user) -> list[str]:
    """The steps this user may take now (state, conditions and permission all allow)."""
    application = as_kind(application)
    return sorted(
        t.name
        for t in application.get_available_user_state_transitions(user)
        if not step_named(t.name).system
    )


def _step(name: str) -> Step:
    step = step_named(name)
    if step is None:
        raise NotFound(_("There is no step called “%(name)s”.") % {"name": name})
    return step


def _lock(application_id: int) -> Application:
    return as_kind(
        Application.objects.select_for_update(of=("self",))
        .select_related("account", "supply_county")
        .get(pk=application_id)
    )


def transition_check(*, application: Application, name: str, actor) -> None:
    """Raise what taking step `name` now would raise: 404 (no such step), 403, 409, or
    nothing. The locked transition checks again; this lets a caller refuse before even reading
    the payload."""
    step = _step(name)
    application = as_kind(application)
    if actor is not None and (step.system or not step.actor(actor, application)):
        raise NotPermitted(
            _("Your role may not take this step on this application."), application=application
        )
    if actor is None and not step.system:
        raise NotPermitted("a person's step needs the person", application=application)

    def allowed() -> list[str]:  # only worked out when refusing
        return available_transitions(application=application, user=actor) if actor else []

    method = getattr(application, name, None)
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
            str(step.condition_message), application=application, allowed=allowed()
        )
    # django-fsm does not check permissions by itself; ask it explicitly, now that state and
    # conditions are known to allow the step.
    if actor is not None and not has_transition_perm(method, actor):
        raise NotPermitted(
            _("Your role may not take this step on this application."), application=application
        )


def step_input_clean(*, step: Step, data: dict[str, Any]) -> dict[str, Any]:
    """A person's input to a step, parsed and judged by the step's declared inputs: every
    problem at once, by field. Undeclared keys are ignored; the comment is judged too and
    returned under "comment"."""
    cleaned, errors = {}, {}
    specs = [*step.inputs, COMMENT]
    for spec in specs:
        value = data.get(spec.name)
        try:
            value = spec.field().clean(value)
        except forms.ValidationError as error:
            errors[spec.name] = list(error.messages)
            continue
        except (TypeError, ValueError, AttributeError):  # a JSON shape the field cannot read
            errors[spec.name] = [_("Enter a valid value.")]
            continue
        if spec.required and (value is None or value == "" or value is False):
            errors[spec.name] = [str(spec.required_message or _("This step needs this field."))]
            continue
        cleaned[spec.name] = value
    if errors:
        raise InvalidInput(errors)
    return cleaned


def application_transition(
    *,
    application_id: int,
    name: str,
    actor=None,
    payload: dict[str, Any] | None = None,
    comment: str = "",
    client_address: str | None = None,
) -> Application:
    """Take step `name`. `actor=None` is the system (record checks, permit roll-up, routing).

    A person's step is refused (403/409) before its input is judged (400), and what the step
    must prove first (a contract code) is proved before the transaction. The row is locked, so
    of two people acting at once exactly one wins; the other finds the state moved on and gets
    WrongState. Everything — state, side data, timeline row, outbox rows — is written in one
    transaction.
    """
    step = _step(name)
    payload = dict(payload or {})
    if actor is not None:
        current = Application.objects.select_related("account").get(pk=application_id)
        transition_check(application=current, name=name, actor=actor)
        payload = step_input_clean(step=step, data={"comment": comment, **payload})
        # The timeline keeps the reason of a refusal first, then what was commented.
        # (The reason stays in the payload too, for the effects that record it.)
        comment = str(payload.get("reason", "") or payload.pop("comment", "") or "")
        if step.before is not None:
            step.before(application=current, actor=actor, payload=payload)
    with transaction.atomic():
        application = _lock(application_id)
        transition_check(application=application, name=name, actor=actor)
        from_state = application.state
        getattr(application, name)(**payload)
        if application.state == State.COMPLETED and application.completed_at is None:
            application.completed_at = timezone.now()
        application.version += 1
        application.save()
        entry = TimelineEntry.objects.create(
            application=application,
            transition=name,
            from_state=from_state,
            to_state=application.state,
            actor=actor,
            role=actor.role if actor is not None else "system",
            comment=comment,
        )
        effects = {"application": application, "actor": actor, "payload": payload}
        if step.after is not None:
            step.after(**effects, client_address=client_address)
        edge = step.edges[application.kind]
        if edge.after is not None:
            edge.after(**effects, client_address=client_address)
        if application.state == State.CONTRACT_PENDING and from_state != State.CONTRACT_PENDING:
            # The contract's PDF is made now, off the request: opening it is then a file read.
            outbox_enqueue(
                handler="applications.handoffs.prepare_contract",
                payload={"application_id": application.pk},
            )
        if application.state == State.COMPLETED:
            spec = kind_spec(application.kind)
            if spec.on_complete is not None:
                spec.on_complete(application)
        if application.state in TERMINAL_STATES:
            # Nothing is asked any more: the checks keep only what the evidence needs.
            checks_close(application_id=application.pk)
        _tell(application, actor)
        application_changed_send(application, entry=entry, actor=actor)
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
            link=reverse("applications:page", args=[application.pk]),
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
