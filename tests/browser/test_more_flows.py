"""More journeys through the real pages, each role in its own browser context: an enterprise
capacity increase with one certificate; a transfer that needs the current holder's consent; a
walk-in application filed at the counter and finished by the applicant online."""

from decimal import Decimal

import pytest

from applications.models import Application
from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_RESIDENT
from portal.crypto import phone_digest
from portal.models import CustomerType, Role
from tests.browser.flows import (
    PHOTO,
    engineer_open,
    fill_application,
    sms_sign_in,
    stage,
    survey_and_contract,
    take,
)
from tests.browser.helpers import PASSWORD, screenshot
from tests.factories import QUANNENG, ElectricityAccountFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def account(holder, number, name, address, **extra):
    return ElectricityAccountFactory(
        number=number, holder=holder, holder_name=name, county_id="370102", address=address,
        capacity_kva=extra.get("capacity_kva", Decimal("10")), voltage="low",
        arrears=extra.get("arrears", Decimal("0")),
    )  # fmt: skip


def test_enterprise_capacity_increase_with_one_certificate(
    browser, live_server, gov_platform, staff
):
    phone = "13905316001"
    company = make_user(
        "b_company", Role.APPLICANT, customer_type=CustomerType.ENTERPRISE, identity=QUANNENG
    )
    company.phone = phone
    company.save()
    held = account(company, "37010200000009", "济南泉能科技有限公司", "历下区经十路9号",
                   capacity_kva=Decimal("50"))  # fmt: skip
    page = sms_sign_in(browser, live_server, phone, viewport="1280", customer="enterprise")
    page.goto("/applications/new/capacity_increase/")
    # It starts from the account: the portal looks it up and fills in what it knows.
    page.fill('[name="account"]', held.number)
    page.locator("#account-lookup button").click()
    page.wait_for_load_state()
    assert "历下区经十路9号" in page.locator("#account").inner_text()
    assert page.locator('[name="supply_address"]').count() == 0
    page.check('[name="customer_type"][value="enterprise"]')
    # The enterprise's name and credit code come from the account's binding, read-only.
    assert page.input_value('[name="credit_code"]') == DEMO_ENTERPRISE
    fill_application(page, capacity_kva="120")
    page.locator('button[name="continue"]').click()
    page.wait_for_load_state()
    application = Application.objects.get(applicant=company)
    take(page, "submit")
    assert stage(page) == "待受理"
    assert (
        page.locator('#checks li[data-service="business_license"]').get_attribute("data-state")
        == "passed"
    )
    screenshot(page, "enterprise-checks")
    application.refresh_from_db()
    assert application.verification_outcome == "one_certificate"
    engineer_open(staff, application)
    take(staff, "accept")
    survey_and_contract(page, staff, application, phone)
    engineer_open(staff, application)
    take(staff, "energize")
    page.reload()
    assert stage(page) == "已办结"
    held.refresh_from_db()
    assert held.capacity_kva == Decimal("120")


def test_transfer_with_the_current_holders_consent(browser, live_server, gov_platform, staff):
    holder_phone, buyer_phone = "13905316002", "13905316003"
    holder = make_user("b_holder", Role.APPLICANT, customer_type=CustomerType.RESIDENTIAL)
    holder.first_name, holder.phone = "赵敏", holder_phone
    holder.save()
    held = account(holder, "37010200000002", "赵敏", "历下区泉城路2号", arrears=Decimal("120.50"))
    buyer = sms_sign_in(browser, live_server, buyer_phone, identity=("张伟", DEMO_RESIDENT))
    buyer.goto(f"/applications/new/transfer/?account={held.number}")
    # The supply address is the account's: shown, not asked.
    assert "历下区泉城路2号" in buyer.locator("#account").inner_text()
    fill_application(buyer)
    buyer.locator('button[name="continue"]').click()
    buyer.wait_for_load_state()
    application = Application.objects.get(applicant__phone_hash=phone_digest(buyer_phone))
    buyer.check('[name="submit-face_consent"]')
    buyer.set_input_files('[name="submit-face_photo"]', files=PHOTO)
    take(buyer, "submit")
    # The registry does not show the buyer at the account's address yet: a title is asked for.
    buyer.select_option('[name="doc_type"]', "property_proof")
    buyer.set_input_files('[name="file"]', files=PHOTO)
    buyer.locator('button[name="upload"]').click()
    buyer.wait_for_load_state()
    take(buyer, "supply_documents")
    engineer_open(staff, application)
    take(staff, "accept")
    buyer.reload()
    # The registry cannot show the buyer owns the property: the holder is asked.
    assert stage(buyer) == "待原户主同意"

    current = sms_sign_in(browser, live_server, holder_phone)
    current.locator(f'#consent a[href="/applications/{application.pk}/"]').click()
    current.wait_for_load_state()
    screenshot(current, "holder-consent")
    # The holder sees what to decide, not the buyer's record checks or mailing address.
    assert current.locator("#checks").count() == 0
    assert current.locator('[name="mailing_address"]').count() == 0
    take(current, "give_consent")
    engineer_open(staff, application)
    staff.select_option('[name="confirm_settlement-settlement_method"]', "counter")
    take(staff, "confirm_settlement")  # the arrears settled at the hall
    from tests.browser.flows import sign_contract

    sign_contract(buyer, application, buyer_phone)
    assert stage(buyer) == "已办结"
    held.refresh_from_db()
    assert held.holder.phone == buyer_phone


def test_walk_in_filed_at_the_counter_and_finished_online(
    browser, live_server, gov_platform, staff, clerk, context_for
):
    clerk.set_password(PASSWORD)
    clerk.save()
    counter = context_for(clerk.username, PASSWORD)
    assert counter.url.endswith("/counter/")
    phone = "13905316004"
    counter.fill('[name="first_name"]', "张伟")
    counter.fill('[name="phone"]', phone)
    counter.check('[name="customer_type"][value="residential"]')
    counter.locator('form:has([name="first_name"]) button[type="submit"]').click()
    counter.wait_for_load_state()
    counter.locator("#found a").first.click()  # file a new connection for them
    counter.wait_for_load_state()
    fill_application(
        counter, id_number=DEMO_RESIDENT, capacity_kva="8", supply_county="370102",
        supply_address="历下区泉城路1号", other_matter_ref="SX-370102-2026-0088",
    )  # fmt: skip
    screenshot(counter, "counter-filing")
    counter.locator('button[type="submit"]').last.click()
    counter.wait_for_load_state()
    application = Application.objects.get(applicant__phone_hash=phone_digest(phone))
    assert application.channel == "counter" and application.state == "pending_acceptance"
    receipt = counter.request.get(f"/counter/applications/{application.pk}/receipt.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"

    engineer_open(staff, application)
    take(staff, "accept")
    mine = sms_sign_in(browser, live_server, phone)
    mine.locator(f'a[href="/applications/{application.pk}/"]').click()
    mine.wait_for_load_state()
    survey_and_contract(mine, staff, application, phone)
    engineer_open(staff, application)
    take(staff, "energize")
    mine.goto(f"/applications/{application.pk}/")
    mine.check('[name="rating"][value="5"]')
    mine.locator('button[name="rate"]').click()
    mine.wait_for_load_state()
    assert mine.locator("#rating-given").is_visible()
    screenshot(mine, "applicant-rated")
    application.refresh_from_db()
    assert application.state == "completed" and application.rating == 5
