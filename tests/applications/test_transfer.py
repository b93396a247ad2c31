"""A transfer done right: its supply address is the account's, the arrears settled are cleared
with a settlement record, and the previous holder, once they answered, only reads."""

from decimal import Decimal

import pytest

from applications.models import Application, ArrearsSettlement
from tests.workflow import filed, step, to_settlement

pytestmark = pytest.mark.django_db


def test_transfer_takes_its_supply_address_from_the_account(api, applicant, held_account):
    response = filed(api(applicant), held_account)
    assert response.status_code == 201, response.json()
    application = Application.objects.get(pk=response.json()["id"])
    assert application.supply_address == held_account.address
    assert application.supply_county_id == held_account.county_id
    assert application.voltage == held_account.voltage


def test_transfer_refuses_a_supply_address_other_than_the_accounts(api, applicant, held_account):
    response = filed(
        api(applicant), held_account, supply_county="370102", supply_address="历下区泉城路1号"
    )
    assert response.status_code == 400
    assert "supply_address" in response.json(), response.json()
    # The same address, spaced differently, is the account's.
    spaced = filed(api(applicant), held_account, supply_address="历下区 泉城路2号")
    assert spaced.status_code == 201, spaced.json()


def test_settled_arrears_are_cleared_with_a_settlement_record(
    api, applicant, holder, held_account, engineer, django_capture_on_commit_callbacks
):
    pk = to_settlement(
        api, applicant, holder, held_account, engineer, django_capture_on_commit_callbacks
    )
    body = step(
        api(engineer), pk, "confirm_settlement", settlement_method="counter", payment_reference="R1"
    )
    assert body["state"] == "contract_pending"
    held_account.refresh_from_db()
    assert held_account.arrears == Decimal("0.00")
    settlement = ArrearsSettlement.objects.get(application_id=pk)
    assert settlement.amount == Decimal("120.50") and settlement.method == "counter"
    assert settlement.recorded_by == engineer and settlement.reference == "R1"
    assert settlement.account == held_account and settlement.settled_at is not None


def test_confirm_settlement_refuses_without_how_wrong_role_or_wrong_state(
    api, applicant, holder, held_account, engineer, outsider, django_capture_on_commit_callbacks
):
    pk = to_settlement(
        api, applicant, holder, held_account, engineer, django_capture_on_commit_callbacks
    )
    missing = step(api(engineer), pk, "confirm_settlement", expect=400)
    assert "settlement_method" in missing
    step(api(applicant), pk, "confirm_settlement", expect=403, settlement_method="counter")
    step(api(outsider), pk, "confirm_settlement", expect=404, settlement_method="counter")
    step(api(engineer), pk, "confirm_settlement", settlement_method="online")
    step(api(engineer), pk, "confirm_settlement", expect=409, settlement_method="online")
    assert ArrearsSettlement.objects.filter(application_id=pk).count() == 1
    held_account.refresh_from_db()
    assert held_account.arrears == 0


def test_previous_holder_after_consent_sees_a_read_only_status(
    api, client, applicant, holder, held_account, engineer, django_capture_on_commit_callbacks
):
    pk = to_settlement(
        api, applicant, holder, held_account, engineer, django_capture_on_commit_callbacks
    )
    body = api(holder).get(f"/api/v1/applications/{pk}/").json()
    assert body.get("holder_answer") == "give_consent", body
    assert body["holder_answer"] == "give_consent" and body["available_transitions"] == []
    assert body["state"] == "settlement_pending"
    client.force_login(holder)
    html = client.get(f"/applications/{pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="consent-answered"' in html
    assert "What you can do now" not in html and "/contract/" not in html
    step(api(engineer), pk, "confirm_settlement", settlement_method="counter")
    html = client.get(f"/applications/{pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="consent-answered"' in html and "/contract/" not in html
    assert "Read and sign the contract" not in html
    assert client.get(f"/applications/{pk}/contract/").status_code == 404


def test_engineer_sees_the_arrears_to_settle_and_then_zero(
    api, client, applicant, holder, held_account, engineer, django_capture_on_commit_callbacks
):
    pk = to_settlement(
        api, applicant, holder, held_account, engineer, django_capture_on_commit_callbacks
    )
    client.force_login(engineer)
    url = f"/engineer/applications/{pk}/"
    assert "¥120.50" in client.get(url).content.decode()
    step(api(engineer), pk, "confirm_settlement", settlement_method="counter")
    assert "¥0.00" in client.get(url).content.decode()
