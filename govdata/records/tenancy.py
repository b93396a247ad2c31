"""Registered lease (housing): a tenant's proof of the supply address."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from .registry import RecordService, Subject, register, verdict

CODE = "tenancy"


@register
class Tenancy(RecordService):
    code = CODE
    label = _("Registered lease")
    provider = "housing"
    document = "property_proof"

    def request_for(self, subject: Subject) -> dict[str, Any]:
        return {"tenant_id": subject.owner_id, "address": subject.supply_address}

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        return verdict(bool(result.get("found")), "not_found")
