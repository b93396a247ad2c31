"""Real-estate title (natural resources): the owner's ID number or credit code at the supply
address. With no title, a registered lease at the address proves the address too."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from . import tenancy
from .registry import Fallback, Found, register

CODE = "real_estate"


def _lease_at_the_address(request: dict[str, Any]) -> dict[str, Any]:
    return {"tenant_id": request.get("owner_id"), "address": request.get("address")}


@register
class RealEstate(Found):
    code, label = CODE, _("Real-estate title")
    provider, document = "natural_resources", "property_proof"
    asks = {"owner_id": "owner_id", "address": "supply_address"}
    fallback = Fallback(tenancy.CODE, _lease_at_the_address)
