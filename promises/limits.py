"""The published whole-process limits, read from the commitments table for many applications
at once: what the supervisors' figures count as "within the published limit" and what the
public transparency page lists. Two queries load every version; each look-up is then in
memory (the counters of a million applications are recounted with one `WholeLimits`)."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from django.utils import timezone

from .commitments import specificity
from .models import Commitment, CommitmentSet, Phase


class WholeLimits:
    """Every version's whole-process rows: `limit()` answers as `commitments_for` does for one
    application — the version in force on the day it was submitted (the one it keeps), and in
    it the most specific row for its kind, voltage and customer type."""

    def __init__(self) -> None:
        versions = list(CommitmentSet.objects.order_by("effective_from", "id"))
        self.starts = [v.effective_from for v in versions]
        self.versions = [v.pk for v in versions]
        self.rows: dict[int, list[Commitment]] = {pk: [] for pk in self.versions}
        for row in Commitment.objects.filter(phase=Phase.WHOLE):
            self.rows[row.commitment_set_id].append(row)

    def version_on(self, day: date) -> int | None:
        at = bisect_right(self.starts, day)
        return self.versions[at - 1] if at else None

    def limit(self, *, kind: str, voltage: str, customer_type: str, on: date) -> int | None:
        version = self.version_on(on)
        if version is None:
            return None
        fitting = [
            row
            for row in self.rows[version]
            if row.voltage == voltage
            and row.kind in ("", kind)
            and row.customer_type in ("", customer_type)
        ]
        if not fitting:
            return None
        best = max(fitting, key=specificity)
        return best.limit_days

    def in_force(self) -> list[Commitment]:
        """The rows of the version in force today, for the public page."""
        version = self.version_on(timezone.localdate())
        return [] if version is None else self.rows[version]
