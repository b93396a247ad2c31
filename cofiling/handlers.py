"""Outbox handlers of the cofiling app (ids in, idempotent)."""

from .services import matter_check, matter_file_at_platform


def file_matter(*, matter_id: int) -> None:
    matter_file_at_platform(matter_id=matter_id)


def check_matter(*, matter_id: int) -> None:
    matter_check(matter_id=matter_id)
