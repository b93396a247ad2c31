"""Which record checks run, for kind × customer type × voltage: the one rule table."""

from __future__ import annotations

IDENTITY = {"residential": ["id_card", "face"], "enterprise": ["business_license"]}
PROPERTY = ["real_estate"]  # a tenant's registered lease is accepted in place of a title
PROJECT = ["project_approval", "land_planning", "construction_planning"]

# The document that stands in for each check when it fails, is unavailable or is declined.
STANDS_IN = {
    "id_card": "id_card",
    "face": "id_card",
    "business_license": "business_license",
    "real_estate": "property_proof",
    "tenancy": "property_proof",
    "land_planning": "project_permits",
    "construction_planning": "project_permits",
    "construction_permit": "project_permits",
    "project_approval": "project_permits",
}

RULES: dict[tuple[str, str, str], list[str]] = {}
for kind in ("new_connection", "capacity_increase", "transfer"):
    for customer_type in ("residential", "enterprise"):
        for voltage in ("low", "high"):
            checks = IDENTITY[customer_type] + PROPERTY
            if voltage == "high" and kind != "transfer":
                checks = checks + PROJECT
            RULES[(kind, customer_type, voltage)] = checks


def required_checks(*, kind: str, customer_type: str, voltage: str) -> list[str]:
    return list(RULES[(kind, customer_type, voltage)])


def outcome_when_all_passed(customer_type: str) -> str:
    """Residents verified by the platform upload nothing; enterprises gave one code."""
    return "zero_certificate" if customer_type == "residential" else "one_certificate"
