"""Where an application stands, for its page: the kind's main path with the current stage
marked, and who holds the next step — read from the state machine and the ACTORS table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Application, Kind, State
from .workflows import ACTORS, as_kind

_BUILD = [
    State.DRAFT, State.VERIFYING, State.PENDING_ACCEPTANCE, State.ACCEPTED,
    State.SURVEY_SCHEDULED, State.SCHEME_OFFERED, State.WORKS_PERMITTING, State.CONSTRUCTION,
    State.INSPECTION, State.CONTRACT_PENDING, State.CONNECTING, State.COMPLETED,
]  # fmt: skip
MAIN_PATH = {
    Kind.NEW_CONNECTION: _BUILD,
    Kind.CAPACITY_INCREASE: _BUILD,
    Kind.TRANSFER: [
        State.DRAFT,
        State.VERIFYING,
        State.PENDING_ACCEPTANCE,
        State.ACCEPTED,
        State.CONSENT_PENDING,
        State.SETTLEMENT_PENDING,
        State.CONTRACT_PENDING,
        State.COMPLETED,
    ],  # fmt: skip
}
# A stage off the main path is shown in place of the one it stands beside.
BESIDE = {
    State.NEEDS_DOCUMENTS: State.VERIFYING,
    State.WORKS_FILING: State.WORKS_PERMITTING,
    State.PERMITS_REJECTED: State.WORKS_PERMITTING,
}
HOLDERS = {
    "is_applicant": _("you"),
    "is_applicant_or_is_hall_clerk": _("you (or the service-hall counter)"),
    "is_applicant_or_is_area_engineer": _("you or the utility's engineer"),
    "is_area_engineer": _("the utility's engineer"),
    "is_current_holder": _("the current account holder"),
    "nobody": _("the government platform or the departments (automatic)"),
}


def progress_path(application: Application, reached: set[str]) -> list[dict]:
    """The kind's main path: each stage done, current or to come; stages this application
    passed over (no external works, no consent needed), i.e. not in `reached` (the timeline's
    states), are left out."""
    visited = set(reached) | {State.DRAFT}
    state = State(application.state)
    anchor = BESIDE.get(state, state)
    path = MAIN_PATH[application.kind]
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
    """Who can move the application on from here (the step's actor in ACTORS)."""
    holders = []
    for transition in as_kind(application).get_available_state_transitions():
        if transition.name == "withdraw":
            continue
        label = HOLDERS.get(ACTORS[transition.name].__name__)
        if label is not None and label not in holders:
            holders.append(label)
    return holders
