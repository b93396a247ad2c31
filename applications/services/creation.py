from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Application, IdempotencyKey


def _number(application: Application) -> str:
    # GE + filing date + county + sequence: readable, and unique because the id is.
    return f"GE{timezone.localdate(application.created_at):%Y%m%d}{application.pk:07d}"


def application_create(
    *, actor, fields: dict, idempotency_key: str | None = None
) -> tuple[Application, bool]:
    """Create a draft. Returns (application, created). With an idempotency key the same user's
    retry — even one racing the first request — gets the first application back."""
    if idempotency_key:
        existing = _replay(actor, idempotency_key)
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            application = Application.objects.create(consent_at=timezone.now(), **fields)
            application.number = _number(application)
            application.save(update_fields=["number"])
            if idempotency_key:
                IdempotencyKey.objects.create(
                    user=actor, key=idempotency_key, application=application
                )
    except IntegrityError:
        existing = _replay(actor, idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return existing, False
    return application, True


def _replay(actor, key: str) -> Application | None:
    row = IdempotencyKey.objects.filter(user=actor, key=key).select_related("application").first()
    return row.application if row else None
