"""Starting from the account: a capacity increase or a transfer names the account number, the
portal looks it up (holder masked) and fills in what it knows; the form asks only what is new."""

from decimal import Decimal

import pytest

from applications.models import Application
from tests.workflow import application_body

pytestmark = pytest.mark.django_db

LOOKUP = "/api/v1/accounts/lookup/"


def test_account_lookup_masks_the_holder_and_gives_address_capacity_voltage(
    api, applicant, held_account
):
    body = api(applicant).post(
        LOOKUP, {"kind": "transfer", "account_number": held_account.number}, format="json"
    )
    assert body.status_code == 200, body.json()
    body = body.json()
    assert body["holder_name"] != "赵敏" and body["holder_name"].startswith("赵")
    assert body["supply_address"] == "历下区泉城路2号" and body["supply_county"] == "370102"
    assert body["capacity_kva"] == "8.0" and body["voltage"] == "low"
    assert body["arrears"] == "120.50"


def test_account_lookup_refuses_anonymous_staff_and_the_wrong_account(
    api, applicant, engineer, held_account, own_account
):
    wanted = {"kind": "transfer", "account_number": held_account.number}
    assert api().post(LOOKUP, wanted, format="json").status_code == 401
    assert api(engineer).post(LOOKUP, wanted, format="json").status_code == 403
    me = api(applicant)
    unknown = me.post(LOOKUP, {"kind": "transfer", "account_number": "999"}, format="json")
    assert unknown.status_code == 400 and "account_number" in unknown.json()
    # A capacity increase is the holder's own account; a transfer someone else's.
    theirs = {"kind": "capacity_increase", "account_number": held_account.number}
    assert me.post(LOOKUP, theirs, format="json").status_code == 400
    mine = {"kind": "transfer", "account_number": own_account.number}
    assert me.post(LOOKUP, mine, format="json").status_code == 400
    new = {"kind": "new_connection", "account_number": own_account.number}
    assert "kind" in me.post(LOOKUP, new, format="json").json()


def test_capacity_increase_is_filed_with_only_what_is_new(api, applicant, own_account):
    body = {
        "kind": "capacity_increase",
        "account_number": own_account.number,
        "capacity_kva": "12",
        "phone": "13905310001",
        "data_sharing_consent": True,
    }
    response = api(applicant).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 201, response.json()
    application = Application.objects.get(pk=response.json()["id"])
    assert application.supply_address == own_account.address
    assert application.voltage == own_account.voltage
    assert application.capacity_kva == Decimal("12")


def test_new_connection_still_needs_its_supply_address(api, applicant):
    body = application_body(supply_county=None, supply_address=None)
    response = api(applicant).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert {"supply_county", "supply_address"} <= set(response.json())


def test_capacity_increase_page_starts_from_the_account_number(client, applicant, own_account):
    client.force_login(applicant)
    url = "/applications/new/capacity_increase/"
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="account-lookup"' in first and 'name="capacity_kva"' not in first
    wrong = client.get(f"{url}?account=nope", HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 400 and 'id="account-lookup"' in wrong.content.decode()
    found = client.get(f"{url}?account={own_account.number}", HTTP_ACCEPT_LANGUAGE="en")
    html = found.content.decode()
    assert 'id="account"' in html and "历下区泉城路1号" in html and "张*" in html
    assert 'name="capacity_kva"' in html and 'name="supply_address"' not in html
    filed = client.post(
        f"{url}?account={own_account.number}",
        {
            "account_number": own_account.number,
            "customer_type": "residential",
            "phone": "13905310001",
            "voltage": "low",
            "capacity_kva": "12",
            "data_sharing_consent": "on",
            "continue": "1",
        },
    )
    assert filed.status_code == 302, filed.content.decode()[:2000]
    application = Application.objects.get(applicant=applicant)
    assert application.account == own_account
    assert application.supply_address == "历下区泉城路1号"
