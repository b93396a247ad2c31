"""Which commitments bind an application: the version it was filed under, and in that version
the most specific row for its kind, voltage and customer type."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from applications.models import Application, State

from .models import ApplicationPromise, Commitment, CommitmentSet, Phase

# The states whose utility time each per-step limit measures. Design review and the
# mid-construction inspection happen inside construction in this portal's graph; their limits
# are kept for the record and are not measured separately.
PHASE_STATES: dict[str, set[str]] = {
    Phase.SCHEME_REPLY: {State.PENDING_ACCEPTANCE, State.SURVEY_SCHEDULED},
    Phase.COMPLETION_INSPECTION: {State.INSPECTION},
    Phase.CONNECTION: {State.CONNECTING},
    Phase.APPROVALS: {State.WORKS_PERMITTING},
}


def commitment_set_in_force(at: datetime | None = None) -> CommitmentSet | None:
    day = timezone.localdate(at) if at else timezone.localdate()
    return (
        CommitmentSet.objects.filter(effective_from__lte=day)
        .order_by("-effective_from", "-id")
        .first()
    )


def promise_keep(*, application: Application) -> ApplicationPromise | None:
    """Record the version in force now as the one this application is filed under (once)."""
    existing = ApplicationPromise.objects.filter(application=application).first()
    if existing is not None:
        return existing
    version = commitment_set_in_force()
    if version is None:
        return None
    promise, _ = ApplicationPromise.objects.get_or_create(
        application=application,
        defaults={"commitment_set": version, "filed_at": timezone.now()},
    )
    return promise


def commitment_set_of(application: Application) -> CommitmentSet | None:
    """The version the application was filed under; for one filed before versions were kept,
    the version in force at its submission."""
    promise = ApplicationPromise.objects.filter(application=application).select_related(
        "commitment_set"
    )
    found = promise.first()
    if found is not None:
        return found.commitment_set
    return commitment_set_in_force(application.submitted_at or application.created_at)


def specificity(row: Commitment) -> int:
    """How specific a row is: 0 (voltage only) to 2 (kind and customer type too)."""
    return bool(row.kind) + bool(row.customer_type)


def commitments_for(application: Application, version: CommitmentSet | None = None) -> dict:
    """phase -> the most specific commitment of the version for this application."""
    version = version or commitment_set_of(application)
    if version is None:
        return {}
    rows = Commitment.objects.filter(
        commitment_set=version,
        voltage=application.voltage,
        kind__in=["", application.kind],
        customer_type__in=["", application.customer_type],
    )
    best: dict[str, Commitment] = {}
    for row in rows:
        if row.phase not in best or specificity(row) > specificity(best[row.phase]):
            best[row.phase] = row
    return best
