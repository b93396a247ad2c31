"""The hand-off to record verification (zero-certificate handling).

`verify_records` is the one boundary the applications app calls to verify an application's
records. Until the government data-sharing client is connected (the govdata capability), the
platform counts as unavailable: the applicant is asked for the documents that stand in for the
records of their customer type, which is exactly what happens when the real platform is down.
Tests replace this boundary with a double.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.models import CustomerType

from .models import Application, DocumentType, Kind


@dataclass(frozen=True)
class VerificationResult:
    passed: bool
    outcome: str = ""  # zero_certificate | one_certificate when passed
    documents: list[str] = field(default_factory=list)  # what stands in for failed checks


def documents_standing_in(application: Application) -> list[str]:
    """The documents an applicant supplies when no record could be verified."""
    identity = (
        DocumentType.ID_CARD
        if application.customer_type == CustomerType.RESIDENTIAL
        else DocumentType.BUSINESS_LICENSE
    )
    needed = [identity, DocumentType.PROPERTY_PROOF]
    if application.kind != Kind.TRANSFER and application.voltage == "high":
        needed.append(DocumentType.PROJECT_PERMITS)
    return [str(d) for d in needed]


def verify_records(application: Application) -> VerificationResult:
    return VerificationResult(passed=False, documents=documents_standing_in(application))


def ownership_provable(application: Application) -> bool:
    """Does the real-estate registry show the transfer's applicant owns the property? Until the
    registry is connected it cannot be shown, so the current holder is asked to consent."""
    return False
