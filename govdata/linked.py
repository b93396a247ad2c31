"""The platform's services beyond record checks: matters filed together with other agencies
(water, gas, property registration) and the real-estate registry's feed of completed sales.
Through the one client (`govdata.client`); errors say whether a retry helps."""

from __future__ import annotations

from .client import get_client


def linked_matter_file(*, agency: str, reference: str, address: str, application_id: int) -> dict:
    answer = get_client().look_up(
        "linked_matter",
        {"action": "file", "agency": agency, "reference": reference, "address": address},
        application_id=application_id,
    )
    return answer.result


def linked_matter_status(*, number: str, application_id: int) -> dict:
    answer = get_client().look_up(
        "linked_matter", {"action": "status", "number": number}, application_id=application_id
    )
    return answer.result


def property_sales_since(*, since: str) -> list[dict]:
    return get_client().look_up("property_sales", {"since": since}).result.get("sales", [])
