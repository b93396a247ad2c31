"""The mock platform's seeded registry: people, companies, properties, leases and permits.

Generated deterministically (same seed, same registry on every machine), large enough for load,
with fixed records for the demo logins and deliberate bad cases (see docs/govdata-mock.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.cn import ric, uscc

SEED = 2026
TRADES = ["科技", "商贸", "制造", "物流"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国海燕红梅志文斌宇浩晨阳雪琳鹏飞"
STREETS = [
    "泉城路",
    "经十路",
    "历山路",
    "解放路",
    "花园路",
    "工业南路",
    "舜耕路",
    "二环东路",
    "山大路",
    "和平路",
]
# County-level divisions of Jinan and a few other cities, for addresses and ID birthplaces.
COUNTIES = {
    "370102": "历下区", "370103": "市中区", "370104": "槐荫区", "370105": "天桥区",
    "370112": "历城区", "370113": "长清区", "370202": "市南区", "370203": "市北区",
    "370302": "淄川区", "370602": "芝罘区", "370702": "潍城区", "370811": "任城区",
}  # fmt: skip


def make_id_number(county: str, born: date, serial: int) -> str:
    body = f"{county}{born:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(county: str, serial: int) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    rng = random.Random(serial)
    org = "".join(rng.choice(alphabet) for _ in range(9))
    body = f"91{county}{org}"
    return body + uscc.calc_check_digit(body)


@dataclass
class Person:
    id_number: str
    name: str
    face_matches: bool = True


@dataclass
class Company:
    credit_code: str
    name: str
    legal_representative: str
    status: str = "active"  # active | revoked


@dataclass
class Property:
    title_number: str
    owner_id: str  # ID number or credit code
    county: str
    address: str
    area_m2: float


@dataclass
class Lease:
    lease_number: str
    tenant_id: str
    county: str
    address: str
    valid_until: date


@dataclass
class Permit:
    number: str
    kind: str  # land_planning | construction_planning | construction_permit | project_approval
    project_code: str
    holder_id: str
    valid_until: date | None
    status: str = "valid"  # valid | expired | revoked


@dataclass
class Sale:
    """A completed property sale, as the real-estate registry reports it."""

    sale_number: str
    seller_id: str
    buyer_id: str
    buyer_name: str
    buyer_phone: str
    county: str
    address: str
    completed_at: str  # ISO 8601


@dataclass
class Matter:
    """A matter filed with another agency together with an electricity application."""

    number: str
    agency: str  # water | gas | property_registration
    reference: str
    address: str
    status: str = "accepted"  # accepted -> in_progress -> completed


@dataclass
class Registry:
    people: dict[str, Person] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    properties: list[Property] = field(default_factory=list)
    leases: list[Lease] = field(default_factory=list)
    permits: list[Permit] = field(default_factory=list)
    sales: list[Sale] = field(default_factory=list)
    matters: dict[str, Matter] = field(default_factory=dict)

    def properties_of(self, owner_id: str) -> list[Property]:
        return [p for p in self.properties if p.owner_id == owner_id]

    def leases_of(self, tenant_id: str) -> list[Lease]:
        return [lease for lease in self.leases if lease.tenant_id == tenant_id]

    def permits_for(self, project_code: str, kind: str) -> list[Permit]:
        return [p for p in self.permits if p.project_code == project_code and p.kind == kind]


# Fixed records: the demo logins and the deliberate bad cases. Their identifiers are published in
# docs/govdata-mock.md so that testers can file applications that take each path.
DEMO_RESIDENT = make_id_number("370102", date(1988, 5, 16), 123)  # 张伟, owns his home
DEMO_ENTERPRISE = make_credit_code("370102", 1)  # 济南泉能科技有限公司, active
DEMO_LEGAL_REP = make_id_number("370102", date(1982, 3, 15), 2)  # 李娜, its legal representative
FACE_MISMATCH = make_id_number("370103", date(1990, 3, 1), 201)  # 李强: face does not match
NO_TITLE = make_id_number("370104", date(1985, 7, 9), 302)  # 王芳: owns nothing, rents nothing
TENANT = make_id_number("370105", date(1992, 11, 2), 404)  # 赵敏: registered lease, no title
REVOKED_COMPANY = make_credit_code("370112", 2)  # 济南旧城商贸有限公司: licence revoked
TRANSFER_SELLER = make_id_number("370102", date(1970, 1, 20), 505)  # 孙立: sold his flat
DEMO_PROJECT = "2026-370102-44-01-000001"  # the enterprise's high-voltage project, all valid
EXPIRED_PROJECT = "2024-370112-44-01-000002"  # its construction-works planning permit expired
# The demo enterprise's building sites, for a temporary supply: DEMO_PROJECT's construction
# permit is valid until 2028-10-01; this one's has expired, and this one's was revoked.
SITE_PERMIT_EXPIRED = "2025-370102-47-01-000003"
SITE_PERMIT_REVOKED = "2025-370102-47-01-000004"


def build_registry(seed: int = SEED, people: int = 1200, companies: int = 240) -> Registry:
    rng = random.Random(seed)
    reg = Registry()
    today = date(2026, 11, 1)

    def add_person(id_number, name, **kw):
        reg.people[id_number] = Person(id_number, name, **kw)

    def add_title(owner, county, address):
        number = (
            f"鲁({2000 + len(reg.properties) % 26})济南市不动产权第{len(reg.properties) + 1:07d}号"
        )
        reg.properties.append(Property(number, owner, county, address, rng.randint(45, 180)))

    add_person(DEMO_RESIDENT, "张伟")
    add_title(DEMO_RESIDENT, "370102", "历下区泉城路1号")
    add_person(FACE_MISMATCH, "李强", face_matches=False)
    add_title(FACE_MISMATCH, "370103", "市中区经十路88号")
    add_person(NO_TITLE, "王芳")
    add_person(TENANT, "赵敏")
    reg.leases.append(
        Lease("济租备2026-0001", TENANT, "370105", "天桥区和平路3号", today + timedelta(days=400))
    )
    add_person(TRANSFER_SELLER, "孙立")
    add_person(DEMO_LEGAL_REP, "李娜")
    reg.companies[DEMO_ENTERPRISE] = Company(DEMO_ENTERPRISE, "济南泉能科技有限公司", "李娜")
    add_title(DEMO_ENTERPRISE, "370102", "历下区经十路9号")
    reg.companies[REVOKED_COMPANY] = Company(
        REVOKED_COMPANY, "济南旧城商贸有限公司", "周杰", "revoked"
    )
    add_title(REVOKED_COMPANY, "370112", "历城区工业南路77号")
    for kind in (
        "land_planning",
        "construction_planning",
        "construction_permit",
        "project_approval",
    ):
        reg.permits.append(
            Permit(
                f"{kind[:4].upper()}-0001",
                kind,
                DEMO_PROJECT,
                DEMO_ENTERPRISE,
                today + timedelta(days=700),
            )
        )
        expired = kind == "construction_planning"
        reg.permits.append(
            Permit(
                f"{kind[:4].upper()}-0002",
                kind,
                EXPIRED_PROJECT,
                REVOKED_COMPANY,
                today - timedelta(days=30) if expired else today + timedelta(days=300),
                "expired" if expired else "valid",
            )
        )

    for project, status, valid_until in (
        (SITE_PERMIT_EXPIRED, "expired", today - timedelta(days=20)),
        (SITE_PERMIT_REVOKED, "revoked", today + timedelta(days=400)),
    ):
        serial = project[-4:]
        reg.permits.append(
            Permit(f"PROJ-{serial}", "project_approval", project, DEMO_ENTERPRISE, None)
        )
        reg.permits.append(
            Permit(
                f"CONS-{serial}",
                "construction_permit",
                project,
                DEMO_ENTERPRISE,
                valid_until,
                status,
            )
        )

    counties = list(COUNTIES)
    while len(reg.people) < people:
        county = rng.choice(counties)
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 55))
        id_number = make_id_number(county, born, rng.randint(0, 999))
        if id_number in reg.people:
            continue
        add_person(id_number, rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))))
    person_ids = list(reg.people)
    serial = 10
    while len(reg.companies) < companies:
        county = rng.choice(counties)
        code = make_credit_code(county, serial)
        serial += 1
        reg.companies[code] = Company(
            code,
            f"山东{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(TRADES)}有限公司",
            reg.people[rng.choice(person_ids)].name,
            "revoked" if rng.random() < 0.03 else "active",
        )
    owners = [p for p in person_ids if p not in {NO_TITLE, TENANT}] + list(reg.companies)
    while len(reg.properties) < 2200:
        county = rng.choice(counties)
        address = f"{COUNTIES[county]}{rng.choice(STREETS)}{rng.randint(1, 999)}号"
        add_title(rng.choice(owners), county, address)
    tenants = [p for p in person_ids if p not in {NO_TITLE, DEMO_RESIDENT}]
    while len(reg.leases) < 300:
        county = rng.choice(counties)
        reg.leases.append(
            Lease(
                f"鲁租备{2024 + len(reg.leases) % 3}-{len(reg.leases) + 1:05d}",
                rng.choice(tenants),
                county,
                f"{COUNTIES[county]}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
                today + timedelta(days=rng.randint(-200, 900)),
            )
        )
    company_ids = list(reg.companies)
    for n in range(3, 203):
        project = f"2026-{rng.choice(counties)}-44-01-{n:06d}"
        holder = rng.choice(company_ids)
        for kind in (
            "land_planning",
            "construction_planning",
            "construction_permit",
            "project_approval",
        ):
            expired = rng.random() < 0.05
            reg.permits.append(
                Permit(
                    f"{kind[:4].upper()}-{n:04d}",
                    kind,
                    project,
                    holder,
                    today + timedelta(days=-10 if expired else rng.randint(30, 900)),
                    "expired" if expired else "valid",
                )
            )
    # The shop 孙立 sold to the demo enterprise: its title is the company's, while the
    # electricity account (seed_demo, in arrears) is still in his name. Added last so the
    # generated records above stay as they were.
    add_title(DEMO_ENTERPRISE, "370102", "历下区经十路11号")
    reg.sales.append(
        Sale(
            "济不动产交易2026-000123",
            TRANSFER_SELLER,
            DEMO_ENTERPRISE,
            "济南泉能科技有限公司",
            "13905310009",
            "370102",
            "历下区经十路11号",
            "2026-11-20T10:00:00+08:00",
        )  # fmt: skip
    )
    return reg
