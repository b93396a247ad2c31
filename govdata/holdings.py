"""What the real-estate registry holds for a person: asked, with their consent, so the applicant
chooses the supply address from their own titles instead of typing it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.errors import ConditionNotMet

from .addresses import normalise_address
from .client import GovDataError, get_client

SERVICE = "real_estate_holdings"


@dataclass(frozen=True)
class Holding:
    title_number: str
    county: str  # the county-level division's code
    address: str  # in the registry's form: county + road + number
    area_m2: float


def properties_held(*, owner_id: str) -> list[Holding]:
    """The titles the registry holds for this ID number or credit code. The caller has the
    owner's consent; an unreachable platform is a refusal to try later (typing still works)."""
    try:
        answer = get_client().look_up(SERVICE, {"owner_id": owner_id}, subject=owner_id)
    except GovDataError as error:
        raise ConditionNotMet(
            _(
                "The real-estate registry cannot be reached now. Type the supply address, or "
                "try again later."
            )
        ) from error
    return [
        Holding(
            title_number=str(title.get("title_number", "")),
            county=str(title.get("county", "")),
            address=normalise_address(str(title.get("address", ""))),
            area_m2=float(title.get("area_m2") or 0),
        )
        for title in answer.result.get("titles", [])
    ]
