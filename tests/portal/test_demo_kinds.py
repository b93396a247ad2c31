"""Right after `make run` (seed_demo), every kind can be tried from the demo logins' accounts."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from applications.models import Application, ArrearsSettlement, ElectricityAccount
from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_RESIDENT, TRANSFER_SELLER, build_registry
from portal.identity import identity_of
from portal.management.commands.seed_demo import DEMO_ACCOUNTS
from tests.workflow import FACE, application_body, step

pytestmark = pytest.mark.django_db

RESIDENT_ACCOUNT, ENTERPRISE_ACCOUNT, IN_ARREARS = DEMO_ACCOUNTS


def _file(client, **body):
    response = client.post("/api/v1/applications/", application_body(**body), format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_demo_data_gives_resident_and_enterprise_an_account_and_one_in_arrears_safe_twice(
    demo_people,
):
    accounts = {a.number: a for a in ElectricityAccount.objects.select_related("holder")}
    assert accounts[RESIDENT_ACCOUNT].holder == demo_people["resident"]
    assert accounts[ENTERPRISE_ACCOUNT].holder == demo_people["enterprise"]
    assert accounts[IN_ARREARS].holder == demo_people["seller"]
    assert accounts[IN_ARREARS].arrears == Decimal("35.50")
    assert accounts[RESIDENT_ACCOUNT].arrears == accounts[ENTERPRISE_ACCOUNT].arrears == 0


def test_demo_data_brings_a_demo_account_back_after_it_was_taken_over(demo_people):
    ElectricityAccount.objects.filter(number=IN_ARREARS).update(
        holder=demo_people["enterprise"], arrears=0
    )
    call_command("seed_demo", stdout=io.StringIO())
    account = ElectricityAccount.objects.get(number=IN_ARREARS)
    assert account.holder == demo_people["seller"] and account.arrears == Decimal("35.50")


def test_after_seed_demo_resident_files_a_capacity_increase_from_the_seeded_account(
    demo_people, api, gov_platform, django_capture_on_commit_callbacks
):
    me = api(demo_people["resident"])
    pk = _file(
        me,
        kind="capacity_increase",
        id_number=DEMO_RESIDENT,
        capacity_kva="16",
        supply_address="历下区泉城路1号",
        account_number=RESIDENT_ACCOUNT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert step(me, pk, "submit", **FACE)["state"] != "draft"
    application = Application.objects.get(pk=pk)
    assert application.account.number == RESIDENT_ACCOUNT


def test_after_seed_demo_enterprise_files_a_transfer_of_the_seeded_account_in_arrears(
    demo_people, api, gov_platform, django_capture_on_commit_callbacks
):
    me, eng = api(demo_people["enterprise"]), api(demo_people["engineer"])
    pk = _file(
        me,
        kind="transfer",
        customer_type="enterprise",
        applicant_name="济南泉能科技有限公司",
        id_number="",
        credit_code=DEMO_ENTERPRISE,
        capacity_kva=None,
        supply_address="历下区经十路11号",
        account_number=IN_ARREARS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        step(me, pk, "submit")
    with django_capture_on_commit_callbacks(execute=True):
        step(eng, pk, "accept")
    # The registry shows the company owns the shop it bought: no consent, but arrears to settle.
    assert Application.objects.get(pk=pk).state == "settlement_pending"
    settled = step(eng, pk, "confirm_settlement", settlement_method="counter")
    assert settled["state"] == "contract_pending"
    assert ElectricityAccount.objects.get(number=IN_ARREARS).arrears == 0  # cleared, recorded
    assert ArrearsSettlement.objects.get(application_id=pk).amount == Decimal("35.50")


def test_the_seller_is_the_registry_person_and_the_company_holds_the_title_of_his_shop(
    demo_people,
):
    registry = build_registry()
    seller = identity_of(demo_people["seller"])
    assert seller.id_number == TRANSFER_SELLER
    assert registry.people[TRANSFER_SELLER].name == seller.name
    shop = DEMO_ACCOUNTS[IN_ARREARS]["address"]
    owners = {p.owner_id for p in registry.properties if p.address == shop}
    assert owners == {DEMO_ENTERPRISE}
