"""Business licence (market regulation), looked up by the unified social credit code."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from .registry import RecordService, Subject, in_force, register

CODE = "business_license"


@register
class BusinessLicense(RecordService):
    code = CODE
    label = _("Business licence")
    provider = "market_regulation"
    document = "business_license"

    def request_for(self, subject: Subject) -> dict[str, Any]:
        return {"credit_code": subject.credit_code}

    def judge(self, result: dict[str, Any]) -> tuple[bool, str]:
        return in_force(result)
