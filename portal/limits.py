"""Request bodies over the limit are refused from their `Content-Length`, before a byte of them
is read: a 100 MB upload costs the portal one header, not 100 MB of reading and a temporary file.
Ordinary bodies may have `DATA_UPLOAD_MAX_MEMORY_SIZE`; a multipart body (an upload) may carry
one document of `DOCUMENT_MAX_BYTES` plus the form around it. Django reads no body without a
`Content-Length`, so a chunked body cannot slip past."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .unavailable import error_response

logger = logging.getLogger(__name__)
MULTIPART_OVERHEAD = 64 * 1024  # the other fields and the part headers of an upload form


def body_limit(request) -> int:
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return settings.DOCUMENT_MAX_BYTES + MULTIPART_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """Runs after the language is chosen, before anything (CSRF, the view) reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            logger.info("413 for %s: body of %s bytes, limit %s", request.path, length, limit)
            return error_response(
                request,
                status=413,
                title="Request too large",
                page_title=_("Too large"),
                detail=_("The request is too large: at most %(size)s can be sent at once.")
                % {"size": filesizeformat(limit)},
            )
        return self.get_response(request)
