from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone
from stdnum.cn import ric, uscc

from applications.models import Application, ElectricityAccount, Kind
from applications.services import application_create, application_transition
from govdata.mock.registry import DEMO_RESIDENT
from portal.models import CustomerType, Role
from tests.conftest import make_user


def id_number(serial: str = "12345") -> str:
    body = f"370102199001{serial[:2]}{serial[2:5]}"[:17]
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def credit_code(serial: str = "MA3C4R5X1") -> str:
    body = f"91370102{serial}"[:17]
    return body + uscc.calc_check_digit(body)


@pytest.fixture(autouse=True)
def _divisions(reference_data):
    """Applications need the province's divisions for their supply address."""


@pytest.fixture(autouse=True)
def _in_process_platform(gov_platform):
    """Unit tests of applications never reach for HTTP: the platform answers in process."""


FACE = {"face_consent": True, "face_photo": "data:image/jpeg;base64," + "A" * 64}


@pytest.fixture
def ownership_shown():
    with mock.patch("applications.handoffs.ownership_provable", return_value=True) as double:
        yield double


@pytest.fixture
def holder(db):
    return make_user("t_holder", Role.APPLICANT, customer_type=CustomerType.RESIDENTIAL)


def make_account(
    holder, number: str, holder_name: str, address: str, **extra
) -> ElectricityAccount:
    fields = {"county_id": "370102", "capacity_kva": Decimal("8"), "voltage": "low", **extra}
    return ElectricityAccount.objects.create(
        number=number, holder=holder, holder_name=holder_name, address=address, **fields
    )


@pytest.fixture
def held_account(holder, jinan):
    """An account held by someone else: what a transfer applicant takes over."""
    return make_account(
        holder, "37010200000002", "赵敏", "历下区泉城路2号", arrears=Decimal("120.50")
    )


def new_application(applicant, kind=Kind.NEW_CONNECTION, **extra) -> Application:
    fields = {
        "kind": kind,
        "applicant": applicant,
        "customer_type": CustomerType.RESIDENTIAL,
        "applicant_name": "张伟",
        "id_number": DEMO_RESIDENT,
        "phone": "13905310001",
        "voltage": "low",
        "capacity_kva": Decimal("10") if kind != Kind.TRANSFER else None,
        "supply_county_id": "370102",
        "supply_address": "历下区泉城路1号",
        "channel": "web",
        "consent_version": "2026-01",
        **extra,
    }
    application, _ = application_create(actor=applicant, fields=fields)
    return application


# The steps, with who takes them, that bring an application of each kind to a given state.
def drive(application, steps, people):
    for name, who, payload in steps:
        application_transition(
            application_id=application.pk, name=name, actor=people.get(who), payload=payload
        )
    application.refresh_from_db()
    return application


SLOT = timezone.now() + timedelta(days=2)
TO_ACCEPTED = [("submit", "applicant", FACE), ("accept", "engineer", {})]
TO_SCHEME = TO_ACCEPTED + [
    ("schedule_survey", "applicant", {"slot": SLOT}),
    ("complete_survey", "engineer", {"line_length_m": 400, "crosses_urban_road": True}),
]
