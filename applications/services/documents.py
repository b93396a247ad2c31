from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.errors import InvalidInput, NotPermitted, WrongState

from ..actors import APPLICANT_OR_CLERK
from ..models import Application, Document, DocumentType, State

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


def _may_add(actor, application: Application) -> None:
    if not APPLICANT_OR_CLERK(actor, application):
        raise NotPermitted(_("Your role may not add documents to this application."))
    if application.state not in UPLOAD_STATES:
        raise WrongState(
            _("Documents can no longer be added at this stage."), application=application
        )


def _not_asked_for(application: Application, doc_type: str) -> str:
    """Why this document type is not taken, or "" when it was asked for."""
    asked = [code for code in application.documents_requested if code in DocumentType.values]
    if doc_type in asked:
        return ""
    if not asked:
        return str(_("No document is asked for: the records were checked online."))
    return str(
        _("Only the documents asked for are taken: %(asked)s.")
        % {"asked": ", ".join(str(DocumentType(code).label) for code in asked)}
    )


@dataclass(frozen=True)
class ChecklistRow:
    """One document asked for, and the files received for it (newest last)."""

    doc_type: str
    label: str
    received: list[Document]

    @property
    def missing(self) -> bool:
        return not self.received


@dataclass(frozen=True)
class Checklist:
    asked: list[ChecklistRow]
    other: list[Document]  # received without being asked for (an authorisation, say)

    @property
    def missing(self) -> list[ChecklistRow]:
        return [row for row in self.asked if row.missing]


def document_checklist(application: Application) -> Checklist:
    """What the staff deciding on the application see: each document asked for with what was
    received for it, what is still missing, and anything else on file."""
    documents = list(application.documents.select_related("uploaded_by").order_by("id"))
    asked = [code for code in application.documents_requested if code in DocumentType.values]
    rows = [
        ChecklistRow(
            doc_type=code,
            label=str(DocumentType(code).label),
            received=[d for d in documents if d.doc_type == code],
        )
        for code in asked
    ]
    return Checklist(asked=rows, other=[d for d in documents if d.doc_type not in asked])


def document_add(*, application: Application, actor, doc_type: str, upload) -> Document:
    """Add a document: a wrong role or stage is refused before the file is read; then its type
    and real content are judged (every problem at once)."""
    _may_add(actor, application)
    errors = {}
    content_type = ""
    refused = _not_asked_for(application, doc_type)
    if refused:
        errors["doc_type"] = [refused]
    if upload is None:
        errors["file"] = [_("Choose a file.")]
    else:
        try:
            content_type = validate_upload(upload)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _may_add(actor, locked)
        refused = _not_asked_for(locked, doc_type)
        if refused:  # the request shrank meanwhile (a check passed on retry)
            raise InvalidInput({"doc_type": [refused]})
        return Document.objects.create(
            application=locked,
            doc_type=doc_type,
            file=upload,
            content_type=content_type,
            size=upload.size,
            original_name=upload.name[:200],
            uploaded_by=actor,
        )
