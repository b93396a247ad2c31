"""What every page's frame shows: the language switch, the footer's record number and contact."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "ICP_RECORD_NUMBER": settings.ICP_RECORD_NUMBER,
        "SERVICE_HOTLINE": settings.SERVICE_HOTLINE,
        "SERVICE_EMAIL": settings.SERVICE_EMAIL,
        # Untranslated on purpose: each language keeps its own name ({% get_available_languages %}
        # would translate "English" into "英语", which an English reader cannot find).
        "SITE_LANGUAGES": settings.LANGUAGES,
    }
