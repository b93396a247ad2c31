"""The record services of the mock platform (look-up rules over the seeded registry), the
registry's feed of completed property sales, and matters filed with other agencies."""

from __future__ import annotations

from datetime import date

from govdata.addresses import normalise_address

from .registry import COUNTIES, Matter, Registry

PROVIDERS = {
    "id_card": "public_security",
    "face": "public_security",
    "business_license": "market_regulation",
    "real_estate": "natural_resources",
    "real_estate_holdings": "natural_resources",
    "tenancy": "housing",
    "land_planning": "natural_resources_planning",
    "construction_planning": "natural_resources_planning",
    "construction_permit": "housing_construction",
    "project_approval": "development_reform",
    "property_sales": "natural_resources",
    "linked_matter": "service_hall",
}
TODAY = date(2026, 11, 1)


class BadRequest(Exception):
    pass


def _at(address: str, county: str = ""):
    """Does a record's address name the place asked for? Both in the registry's form (the
    normaliser the portal uses); `county` is a county code sent apart from the address."""
    wanted = normalise_address(address, county=COUNTIES.get(county, ""))
    return lambda record: normalise_address(record.address) == wanted


def _need(payload: dict, *names: str) -> list[str]:
    missing = [n for n in names if not payload.get(n)]
    if missing:
        raise BadRequest("missing: " + ", ".join(missing))
    return [str(payload[n]) for n in names]


def id_card(reg: Registry, p: dict) -> dict:
    name, id_number = _need(p, "name", "id_number")
    person = reg.people.get(id_number)
    if person is None:
        return {"match": False, "reason": "not_found"}
    return {"match": person.name == name, "reason": "" if person.name == name else "name_mismatch"}


def face(reg: Registry, p: dict) -> dict:
    id_number, photo = _need(p, "id_number", "photo")
    person = reg.people.get(id_number)
    if person is None:
        return {"match": False, "score": 0.0, "liveness": False, "reason": "not_found"}
    score = 0.97 if person.face_matches else 0.31
    return {"match": person.face_matches, "score": score, "liveness": len(photo) > 16}


def business_license(reg: Registry, p: dict) -> dict:
    (code,) = _need(p, "credit_code")
    company = reg.companies.get(code)
    if company is None:
        return {"found": False, "status": "not_found"}
    return {
        "found": True,
        "status": company.status,
        "name": company.name,
        "legal_representative": company.legal_representative,
    }


def real_estate(reg: Registry, p: dict) -> dict:
    if p.get("title_number"):
        titles = [t for t in reg.properties if t.title_number == p["title_number"]]
    else:
        (owner,) = _need(p, "owner_id")
        titles = reg.properties_of(owner)
        if p.get("address"):
            titles = list(filter(_at(str(p["address"]), str(p.get("county") or "")), titles))
    return {
        "found": bool(titles),
        "titles": [
            {
                "title_number": t.title_number,
                "owner_id": t.owner_id,
                "address": t.address,
                "area_m2": t.area_m2,
            }
            for t in titles
        ],
    }


def real_estate_holdings(reg: Registry, p: dict) -> dict:
    """Every title the owner holds, for the applicant to choose the supply address from (asked
    with their consent): the county apart and the address in the registry's form."""
    (owner,) = _need(p, "owner_id")
    return {
        "titles": [
            {
                "title_number": t.title_number,
                "county": t.county,
                "address": normalise_address(t.address),
                "area_m2": t.area_m2,
            }
            for t in reg.properties_of(owner)
        ]
    }


def tenancy(reg: Registry, p: dict) -> dict:
    (tenant,) = _need(p, "tenant_id")
    leases = [lease for lease in reg.leases_of(tenant) if lease.valid_until >= TODAY]
    if p.get("address"):
        leases = list(filter(_at(str(p["address"]), str(p.get("county") or "")), leases))
    return {
        "found": bool(leases),
        "leases": [
            {
                "lease_number": lease.lease_number,
                "address": lease.address,
                "valid_until": lease.valid_until.isoformat(),
            }
            for lease in leases
        ],
    }


def _permit(kind: str):
    def look_up(reg: Registry, p: dict) -> dict:
        (code,) = _need(p, "project_code")
        permits = reg.permits_for(code, kind)
        if not permits:
            return {"found": False, "status": "not_found"}
        permit = permits[0]
        return {
            "found": True,
            "status": permit.status,
            "number": permit.number,
            "holder_id": permit.holder_id,
            "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
        }

    return look_up


def property_sales(reg: Registry, p: dict) -> dict:
    """Completed sales after `since` (ISO 8601, exclusive), oldest first."""
    since = str(p.get("since") or "")
    sales = sorted((s for s in reg.sales if s.completed_at > since), key=lambda s: s.completed_at)
    return {
        "sales": [
            {
                "sale_number": s.sale_number,
                "seller_id": s.seller_id,
                "buyer_id": s.buyer_id,
                "buyer_name": s.buyer_name,
                "buyer_phone": s.buyer_phone,
                "county": s.county,
                "address": s.address,
                "completed_at": s.completed_at,
            }
            for s in sales[:100]
        ]
    }


AGENCIES = {"water", "gas", "property_registration"}
MATTER_STEPS = ["accepted", "in_progress", "completed"]


def linked_matter(reg: Registry, p: dict) -> dict:
    """`action: file` files a matter with another agency (the same reference answers the same
    matter); `action: status` answers its status, which (in this mock) moves one step on each
    time it is asked."""
    if p.get("action") == "file":
        agency, reference, address = _need(p, "agency", "reference", "address")
        if agency not in AGENCIES:
            raise BadRequest(f"unknown agency {agency}")
        number = f"{agency[:2].upper()}-{reference}"
        matter = reg.matters.setdefault(number, Matter(number, agency, reference, address))
    else:
        (number,) = _need(p, "number")
        matter = reg.matters.get(number)
        if matter is None:
            return {"found": False}
        step = MATTER_STEPS.index(matter.status)
        matter.status = MATTER_STEPS[min(step + 1, len(MATTER_STEPS) - 1)]
    return {
        "found": True,
        "number": matter.number,
        "agency": matter.agency,
        "status": matter.status,
    }


# Services of the exchange that are not record checks (no record plugin reads them).
EXCHANGE_SERVICES = {"property_sales", "linked_matter"}

SERVICES = {
    "id_card": id_card,
    "face": face,
    "business_license": business_license,
    "real_estate": real_estate,
    "tenancy": tenancy,
    "land_planning": _permit("land_planning"),
    "construction_planning": _permit("construction_planning"),
    "construction_permit": _permit("construction_permit"),
    "project_approval": _permit("project_approval"),
    "property_sales": property_sales,
    "linked_matter": linked_matter,
}
# Queries that are not checks of an application: what a registry holds for a person.
QUERIES = {"real_estate_holdings": real_estate_holdings}
# Everything the platform answers at `POST /services/<code>`.
ENDPOINTS = {**SERVICES, **QUERIES}
