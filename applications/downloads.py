"""A stored document answered over HTTP: the one way its bytes leave the portal, for the API's
download and the pages' preview alike. The file is opened through its storage, so it is
decrypted exactly as on download (`portal.storage`), and the view is logged."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest

from portal.access_log import What, personal_data_viewed

from .models import Application, Document

# Shown in the browser rather than saved: what a browser displays by itself.
PREVIEWABLE = {"application/pdf", "image/jpeg", "image/png"}


def document_of(application: Application, document_id: int) -> Document:
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def document_response(
    request: HttpRequest, application: Application, document: Document, *, inline: bool
) -> FileResponse:
    """The document's bytes, decrypted; `inline` for a preview (images and PDFs only), else
    as an attachment. The caller has checked the user may see the whole application."""
    inline = inline and document.content_type in PREVIEWABLE
    personal_data_viewed(
        request,
        what=What.DOCUMENT_PREVIEW if inline else What.DOCUMENT_DOWNLOAD,
        applications=[application],
    )
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="document-{document.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # personal data: no shared cache keeps it
    return response
