"""Which record checks run, for kind × customer type × voltage: the one rule table. The
services themselves (request, judgement, document standing in) are declared in `records/`."""

from __future__ import annotations

from .records import (
    business_license,
    construction_permit,
    construction_planning,
    face,
    id_card,
    land_planning,
    project_approval,
    real_estate,
)

IDENTITY = {"residential": [id_card.CODE, face.CODE], "enterprise": [business_license.CODE]}
PROPERTY = [real_estate.CODE]  # its fallback, a registered lease, covers tenants without a title
PROJECT = [project_approval.CODE, land_planning.CODE, construction_planning.CODE]

RULES: dict[tuple[str, str, str], list[str]] = {}
for kind in ("new_connection", "capacity_increase", "transfer"):
    for customer_type in ("residential", "enterprise"):
        for voltage in ("low", "high"):
            checks = IDENTITY[customer_type] + PROPERTY
            if voltage == "high" and kind != "transfer":
                checks = checks + PROJECT
            RULES[(kind, customer_type, voltage)] = checks
# A construction site's temporary supply: no title yet, so no property record; the project's
# approval and its construction permit, whose validity must cover the period asked.
SITE = [project_approval.CODE, construction_permit.CODE]
for customer_type in ("residential", "enterprise"):
    for voltage in ("low", "high"):
        RULES[("temporary_supply", customer_type, voltage)] = IDENTITY[customer_type] + SITE


def required_checks(*, kind: str, customer_type: str, voltage: str) -> list[str]:
    return list(RULES[(kind, customer_type, voltage)])


def outcome_when_all_passed(customer_type: str) -> str:
    """Residents verified by the platform upload nothing; enterprises gave one code."""
    return "zero_certificate" if customer_type == "residential" else "one_certificate"
