"""The registry of record services: what every plugin declares, and the decorator that makes
it known by its code. One module per service beside this one declares the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A permit or licence in force; anything else (revoked, expired, not_found) is the reason.
IN_FORCE = {"active", "valid"}
# Why a record did not pass, in words the applicant reads beside the document asked for.
REASONS: dict[str, Promise] = {
    "not_found": _("not on record"),
    "expired": _("expired"),
    "revoked": _("revoked"),
    "no_match": _("does not match"),
    "name_mismatch": _("the name does not match"),
    "expires_before_end": _("expires before the end of the period asked for"),
}


@dataclass(frozen=True)
class Subject:
    """Whom and what a record is looked up for. Read off any object with these attributes (an
    application, say), so govdata knows nothing of where they come from."""

    applicant_name: str = ""
    id_number: str = ""
    credit_code: str = ""
    supply_address: str = ""
    project_code: str = ""
    needed_until: str = ""  # the last day a period is asked for (ISO): a temporary supply's
    photo: str = ""  # the face image: only the face check sends it

    @classmethod
    def of(cls, source: object, **overrides: str) -> Subject:
        values = {f.name: getattr(source, f.name, "") or "" for f in fields(cls)}
        return cls(**{**values, **overrides})

    @property
    def owner_id(self) -> str:
        """A resident's ID number, or else an enterprise's credit code."""
        return self.id_number or self.credit_code


@dataclass(frozen=True)
class Fallback:
    """Another service asked when a check does not pass, and how its request is made from the
    check's own. Its pass counts for the check; its failure leaves the check's reason."""

    service: str
    request: Callable[[dict[str, Any]], dict[str, Any]]


class RecordService:
    """One record service of the government platform. Subclasses declare the class attributes
    (`asks` maps each request field to the `Subject` attribute it is read from) and how an
    answer is judged, and register themselves with `@register`."""

    code: ClassVar[str]
    label: ClassVar[str | Promise]
    provider: ClassVar[str]
    # The document asked for when the check fails, is unavailable or is declined.
    document: ClassVar[str]
    asks: ClassVar[dict[str, str]] = {}
    fallback: ClassVar[Fallback | None] = None

    def request_for(self, subject: Subject) -> dict[str, Any]:
        """The payload sent to the platform."""
        return {field: getattr(subject, source) for field, source in self.asks.items()}

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        """(passed, reason) for the platform's result; the reason is empty when it passed."""
        raise NotImplementedError

    def judge_request(self, request: dict[str, Any], result: dict[str, Any]) -> tuple[bool, str]:
        """The judgement of a result against what was asked (a permit valid for the period
        asked); by default the result alone decides."""
        return self.judge(result)

    def __repr__(self) -> str:
        return f"<record service {self.code}>"


def verdict(passed: bool, reason: str) -> tuple[bool, str]:
    return (True, "") if passed else (False, reason)


def in_force(result: dict[str, Any]) -> tuple[bool, str]:
    """The judgement of a licence or permit: in force, or the status that says why not."""
    status = result.get("status", "not_found")
    return verdict(status in IN_FORCE, status)


class Matching(RecordService):
    """Passes when the platform says the person matches."""

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        return verdict(bool(result.get("match")), result.get("reason") or "no_match")


class Found(RecordService):
    """Passes when the platform finds the record."""

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        return verdict(bool(result.get("found")), "not_found")


class InForce(RecordService):
    """A licence or permit: passes while it is in force."""

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        return in_force(result)


class ProjectPermit(InForce):
    """A permit looked up by the project's code; any of them missing asks for the permits."""

    document = "project_permits"
    asks = {"project_code": "project_code"}


_services: dict[str, RecordService] = {}
S = TypeVar("S", bound=type[RecordService])


def register(cls: S) -> S:
    """Class decorator: make a record service known by its code, once."""
    if cls.code in _services:
        raise ImproperlyConfigured(f"record service {cls.code!r} is registered twice")
    _services[cls.code] = cls()
    return cls


def record_service(code: str) -> RecordService:
    try:
        return _services[code]
    except KeyError:
        raise KeyError(f"no record service {code!r}") from None


def registered_codes() -> set[str]:
    return set(_services)
