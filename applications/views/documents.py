"""A document's preview, for everyone who may see the whole application: the applicant, the
counter of the hall where it was filed and the engineers of its area. The file is decrypted
through its storage, as on download, and the view is logged as one of personal data."""

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from ..downloads import document_of, document_response
from ..selectors import application_get_or_404


@login_required
@require_GET
@xframe_options_sameorigin  # a PDF is previewed in a frame of the portal's own page
@csp_replace({"frame-ancestors": ["'self'"]})
def document_preview(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    # Neither a supervisor (masked data), nor the holder asked for consent, nor anyone outside
    # the case sees it: 404, as for the download.
    application = application_get_or_404(user=request.user, pk=pk, whole=True)
    return document_response(
        request, application, document_of(application, document_id), inline=True
    )


urlpatterns = [
    path(
        "applications/<int:pk>/documents/<int:document_id>/preview/",
        document_preview,
        name="document-preview",
    ),
]
