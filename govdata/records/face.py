"""Face match against the ID photo, with liveness (public security). Runs only with its own
consent; declined, it asks for the ID card like a failed identity check."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from .registry import Matching, register

CODE = "face"


@register
class Face(Matching):
    code, label = CODE, _("Face match")
    provider, document = "public_security", "id_card"
    asks = {"id_number": "id_number", "photo": "photo"}  # only this check sends the photo

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        """A match counts only with liveness: a printed photo is no person."""
        matched, reason = super().judge(result)
        return (True, "") if matched and result.get("liveness") else (False, reason or "no_match")
