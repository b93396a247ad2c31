"""Business licence (market regulation), looked up by the unified social credit code."""

from django.utils.translation import gettext_lazy as _

from .registry import InForce, register

CODE = "business_license"


@register
class BusinessLicense(InForce):
    code, label = CODE, _("Business licence")
    provider, document = "market_regulation", "business_license"
    asks = {"credit_code": "credit_code"}
