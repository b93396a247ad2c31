"""Where an application stands, for its page: the kind's main path with the current stage
marked, and who holds the next step — read from the kind's and the steps' declarations."""

from __future__ import annotations

from .models import Application, State
from .registry import as_kind, kind_spec, step_named
from .workflows import CANCEL_SURVEY, GIVE_CONSENT, REFUSE_CONSENT, RESCHEDULE_SURVEY, WITHDRAW

# Steps open in a state that do not move the application on from it: withdrawing, and moving
# or cancelling a booked survey (the engineer who surveys holds the next step).
NOT_MOVING_ON = frozenset(step.name for step in (WITHDRAW, RESCHEDULE_SURVEY, CANCEL_SURVEY))

# A stage off the main path is shown in place of the one it stands beside.
BESIDE = {
    State.NEEDS_DOCUMENTS: State.VERIFYING,
    State.WORKS_FILING: State.WORKS_PERMITTING,
    State.PERMITS_REJECTED: State.WORKS_PERMITTING,
}


def progress_path(application: Application, reached: set[str]) -> list[dict]:
    """The kind's main path: each stage done, current or to come; stages this application
    passed over (no external works, no consent needed), i.e. not in `reached` (the timeline's
    states), are left out."""
    visited = set(reached) | {State.DRAFT}
    state = State(application.state)
    anchor = BESIDE.get(state, state)
    path = kind_spec(application.kind).main_path
    index = path.index(anchor) if anchor in path else -1
    rows = []
    for position, stage in enumerate(path):
        shown = state if position == index else stage
        status = "done" if position < index else "current" if position == index else "todo"
        if status == "done" and stage not in visited:
            continue
        rows.append({"state": shown, "label": State(shown).label, "status": status})
    return rows


def next_holders(application: Application) -> list[str]:
    """Who can move the application on from here: the actor of each step possible now."""
    holders = []
    for transition in as_kind(application).get_available_state_transitions():
        if transition.name in NOT_MOVING_ON:
            continue
        label = step_named(transition.name).actor.holder
        if label not in holders:
            holders.append(label)
    return holders


def holder_answer(application: Application):
    """The current holder's answer to a transfer of their account (the timeline entry of their
    consent or refusal), or None while they have not answered."""
    return (
        application.timeline.filter(transition__in=[GIVE_CONSENT.name, REFUSE_CONSENT.name])
        .order_by("-created_at", "-id")
        .first()
    )
