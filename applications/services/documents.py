from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Application, Document, State
from ..workflows import applicant_or_clerk
from .transitions import NotPermitted, WrongState

# Recognised by their first bytes, never by name or the browser's claim.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
UPLOAD_STATES = {State.DRAFT, State.VERIFYING, State.NEEDS_DOCUMENTS, State.PENDING_ACCEPTANCE}


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def validate_upload(upload) -> str:
    """The file's real type, or a ValidationError naming what is wrong with it."""
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, code="size"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(_("Only PDF, JPEG or PNG files are accepted."), code="type")
    return content_type


def document_add(*, application: Application, actor, doc_type: str, upload) -> Document:
    content_type = validate_upload(upload)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not applicant_or_clerk(actor, locked):
            raise NotPermitted(_("Your role may not add documents to this application."))
        if locked.state not in UPLOAD_STATES:
            raise WrongState(
                _("Documents can no longer be added at this stage."), application=locked
            )
        return Document.objects.create(
            application=locked,
            doc_type=doc_type,
            file=upload,
            content_type=content_type,
            size=upload.size,
            original_name=upload.name[:200],
            uploaded_by=actor,
        )
