"""The fee of a supply scheme: quoted from the fee schedule when the survey is recorded,
itemised, shown before confirmation, and required for a high-voltage scheme."""

from decimal import Decimal

import pytest

from applications.models import FeeItem, FeeRate
from portal.errors import ConditionNotMet
from tests.factories import make_account
from tests.workflow import HIGH, step, surveyed

pytestmark = pytest.mark.django_db


def test_high_voltage_survey_without_a_line_quotes_an_itemised_fee(
    api, enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    application = surveyed(
        enterprise_applicant, engineer, django_capture_on_commit_callbacks, **HIGH
    )
    assert application.scheme_fee == Decimal("63000.00")  # 630 kVA × ¥100, no line
    fee = api(enterprise_applicant).get(f"/api/v1/applications/{application.pk}/").json()["fee"]
    assert fee["currency"] == "CNY" and fee["total"] == "63000.00"
    assert [(i["code"], i["quantity"], i["amount"]) for i in fee["items"]] == [
        ("hv-capacity", "630.0", "63000.00")
    ]


def test_high_voltage_fee_has_an_item_per_metre_of_line(
    enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    application = surveyed(
        enterprise_applicant,
        engineer,
        django_capture_on_commit_callbacks,
        line_length_m=120,
        **HIGH,
    )
    items = {item.code: item.amount for item in application.fee_items.all()}
    assert items == {"hv-capacity": Decimal("63000.00"), "hv-line": Decimal("33600.00")}
    assert application.scheme_fee == Decimal("96600.00")


def test_high_voltage_scheme_cannot_be_confirmed_without_its_fee(
    api, enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    application = surveyed(
        enterprise_applicant, engineer, django_capture_on_commit_callbacks, **HIGH
    )
    FeeItem.objects.filter(application=application).delete()
    me = api(enterprise_applicant)
    refused = step(me, application.pk, "confirm_scheme", expect=409)
    assert "fee" in refused["detail"]
    assert me.get(f"/api/v1/applications/{application.pk}/").json()["state"] == "scheme_offered"


def test_high_voltage_survey_is_refused_when_the_schedule_cannot_price_it(
    enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    FeeRate.objects.filter(voltage="high").update(active=False)
    with pytest.raises(ConditionNotMet):
        surveyed(enterprise_applicant, engineer, django_capture_on_commit_callbacks, **HIGH)


def test_low_voltage_residential_scheme_costs_nothing(
    api, applicant, engineer, django_capture_on_commit_callbacks
):
    application = surveyed(
        applicant, engineer, django_capture_on_commit_callbacks, line_length_m=100
    )
    assert application.scheme_fee == Decimal("0.00")
    fee = api(applicant).get(f"/api/v1/applications/{application.pk}/").json()["fee"]
    assert fee["total"] == "0.00"
    assert all(item["amount"] == "0.00" for item in fee["items"])


def test_capacity_increase_is_charged_for_the_added_kva_only(
    enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    account = make_account(
        enterprise_applicant, "37010200000077", "济南泉能科技有限公司", "历下区经十路9号",
        capacity_kva=Decimal("400"), voltage="high",
    )  # fmt: skip
    application = surveyed(
        enterprise_applicant,
        engineer,
        django_capture_on_commit_callbacks,
        **{**HIGH, "kind": "capacity_increase", "account": account},
    )
    assert application.scheme_fee == Decimal("23000.00")  # (630 − 400) kVA × ¥100


def test_a_changed_rate_leaves_a_quote_already_made_alone(
    enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    application = surveyed(
        enterprise_applicant, engineer, django_capture_on_commit_callbacks, **HIGH
    )
    FeeRate.objects.filter(code="hv-capacity").update(unit_price=Decimal("150.00"))
    item = application.fee_items.get()
    assert item.unit_price == Decimal("100.00") and item.amount == Decimal("63000.00")


def test_fee_is_shown_on_the_page_before_confirmation(
    client, enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    application = surveyed(
        enterprise_applicant, engineer, django_capture_on_commit_callbacks, **HIGH
    )
    client.force_login(enterprise_applicant)
    page = client.get(f"/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'id="fee"' in html and "高压接入容量费" in html
    assert "¥63000.00" in html
    assert 'data-step="confirm_scheme"' in html
