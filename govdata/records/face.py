"""Face match against the ID photo, with liveness (public security). Runs only with its own
consent; declined, it asks for the ID card like a failed identity check."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from .registry import RecordService, Subject, register, verdict

CODE = "face"


@register
class Face(RecordService):
    code = CODE
    label = _("Face match")
    provider = "public_security"
    document = "id_card"

    def request_for(self, subject: Subject) -> dict[str, Any]:
        return {"id_number": subject.id_number, "photo": subject.photo}

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        passed = bool(result.get("match")) and bool(result.get("liveness"))
        return verdict(passed, result.get("reason") or "no_match")
