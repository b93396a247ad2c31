"""The only place transitions are called. Split by sub-domain: filing, documents, transitions
(the engine), contract, the applicant's own settings, and the effects steps set going."""

from .creation import application_create, application_file, application_filing_clean
from .documents import document_add
from .transitions import (
    ConditionNotMet,
    NotPermitted,
    WrongState,
    application_transition,
    available_transitions,
    transition_check,
)

__all__ = [
    "ConditionNotMet",
    "NotPermitted",
    "WrongState",
    "application_create",
    "application_file",
    "application_filing_clean",
    "application_transition",
    "available_transitions",
    "document_add",
    "transition_check",
]
