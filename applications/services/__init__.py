"""The only place transitions are called. Split by sub-domain: creation and transitions."""

from .creation import application_create
from .documents import document_add
from .transitions import (
    ConditionNotMet,
    NotPermitted,
    TransitionError,
    UnknownTransition,
    WrongState,
    application_transition,
    available_transitions,
    transition_check,
)

__all__ = [
    "ConditionNotMet",
    "NotPermitted",
    "TransitionError",
    "UnknownTransition",
    "WrongState",
    "application_create",
    "application_transition",
    "available_transitions",
    "document_add",
    "transition_check",
]
