"""Commitment filing for lines of 150 m or less: no approval task; what the applicant signed is
kept and filed with the departments the route touches, for their information."""

from __future__ import annotations

import hashlib

from applications.models import Application

from ..models import CommitmentFiling
from .tasks import notify_department, route_departments


def commitment_file(*, application_id: int, actor_id: int, text_version: str, text: str) -> None:
    """In the applicant's `file_commitment` transaction: keep what was signed (version and the
    SHA-256 of the exact text) and file it with every department the route touches, for their
    information. No approval task is opened."""
    application = Application.objects.select_related("supply_county").get(pk=application_id)
    filing, created = CommitmentFiling.objects.get_or_create(
        application=application,
        defaults={
            "text_version": text_version,
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "signed_by_id": actor_id,
        },
    )
    if not created:
        return
    departments = list(route_departments(application))
    filing.departments.set(departments)
    for department in departments:
        notify_department(
            department, "commitment_filed", application, line_length_m=application.line_length_m
        )
