"""Resident identity card (public security): name and ID number match."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from .registry import RecordService, Subject, register, verdict

CODE = "id_card"


@register
class IdCard(RecordService):
    code = CODE
    label = _("Resident identity card")
    provider = "public_security"
    document = "id_card"

    def request_for(self, subject: Subject) -> dict[str, Any]:
        return {"name": subject.applicant_name, "id_number": subject.id_number}

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        return verdict(bool(result.get("match")), result.get("reason") or "no_match")
