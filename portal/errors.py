"""The domain's refusals, shared by every app. Services raise them; one DRF exception handler
(`portal.api.exception_handler`) and the pages' helper (`portal.pages`) turn them into answers,
so no view catches them one by one.

A refusal that concerns one input names it (`field`), or several (`errors`); the answer is then
a field error (400) with the message beside that field.
"""

from __future__ import annotations


class DomainError(Exception):
    """Refused; `status` is the HTTP status it is answered with."""

    status = 400
    title = "Invalid request"

    def __init__(
        self,
        message: str = "",
        *,
        field: str = "",
        errors: dict[str, list[str]] | None = None,
        application=None,
        allowed=(),
        state: str = "",
    ):
        super().__init__(message)
        self.field = field
        self.errors = {k: [str(m) for m in v] for k, v in (errors or {}).items()}
        if field and field not in self.errors:
            self.errors[field] = [message]
        self.application = application
        self.allowed = list(allowed)
        self.state = state or (getattr(application, "state", "") if application else "")

    @property
    def field_errors(self) -> dict[str, list[str]]:
        return self.errors


class InvalidInput(DomainError):
    """One or more inputs are wrong: every problem at once, by field."""

    title = "Invalid input"

    def __init__(self, errors: dict[str, list[str] | str], message: str = ""):
        listed = {k: v if isinstance(v, list | tuple) else [v] for k, v in errors.items()}
        super().__init__(message or "; ".join(str(m) for v in listed.values() for m in v))
        self.errors = {k: [str(m) for m in v] for k, v in listed.items()}


class NotFound(DomainError):
    status, title = 404, "Not found"


class NotPermitted(DomainError):
    status, title = 403, "Not permitted"


class WrongState(DomainError):
    status, title = 409, "Not possible in the current state"


class ConditionNotMet(DomainError):
    """The state allows the step, but something it needs is missing (documents, say)."""

    status, title = 409, "Not possible yet"


class TooManyRequests(DomainError):
    """Asked again too soon: answered 429 with `Retry-After` (seconds to wait), the message
    beside `field` on a page."""

    status, title = 429, "Too many requests"

    def __init__(self, message: str, *, retry_after: int, field: str = ""):
        super().__init__(message, field=field)
        self.retry_after = retry_after


class KeyReused(DomainError):
    """An idempotency key already used for a different request by the same caller."""

    status, title = 422, "Idempotency key reused"
