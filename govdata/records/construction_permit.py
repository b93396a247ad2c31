"""Construction permit (housing and construction), by project code. For a temporary supply the
request also says until when the supply is needed, and the permit must be valid that long."""

from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from .registry import ProjectPermit, register, verdict

CODE = "construction_permit"
# The reason a permit in force still does not pass: it ends before the period asked.
ENDS_TOO_SOON = "expires_before_end"


@register
class ConstructionPermit(ProjectPermit):
    code, label = CODE, _("Construction permit")
    provider, document = "housing_construction", "construction_permit"
    asks = {"project_code": "project_code", "needed_until": "needed_until"}

    def request_for(self, subject) -> dict[str, Any]:
        request = super().request_for(subject)
        if not request["needed_until"]:
            del request["needed_until"]  # asked for a project, not for a period
        return request

    def judge_request(self, request: dict[str, Any], result: dict[str, Any]) -> tuple[bool, str]:
        passed, reason = self.judge(result)
        needed = parse_date(str(request.get("needed_until") or ""))
        valid_until = parse_date(str(result.get("valid_until") or ""))
        if passed and needed is not None and (valid_until is None or valid_until < needed):
            return verdict(False, ENDS_TOO_SOON)
        return passed, reason
