"""Registered lease (housing): a tenant's proof of the supply address."""

from django.utils.translation import gettext_lazy as _

from .registry import Found, register

CODE = "tenancy"


@register
class Tenancy(Found):
    code, label, provider, document = CODE, _("Registered lease"), "housing", "property_proof"
    asks = {"tenant_id": "owner_id", "address": "supply_address"}
