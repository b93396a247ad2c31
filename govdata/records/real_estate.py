"""Real-estate title (natural resources): the owner's ID number or credit code at the supply
address. With no title, a registered lease at the address proves the address too."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from . import tenancy
from .registry import Fallback, RecordService, Subject, register, verdict

CODE = "real_estate"


def _lease_at_the_address(request: dict[str, Any]) -> dict[str, Any]:
    return {"tenant_id": request.get("owner_id"), "address": request.get("address")}


@register
class RealEstate(RecordService):
    code = CODE
    label = _("Real-estate title")
    provider = "natural_resources"
    document = "property_proof"
    fallback = Fallback(tenancy.CODE, _lease_at_the_address)

    def request_for(self, subject: Subject) -> dict[str, Any]:
        return {"owner_id": subject.owner_id, "address": subject.supply_address}

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        return verdict(bool(result.get("found")), "not_found")
