"""A construction site's temporary supply through the real pages (issue #20): the enterprise
files it on its guided form and submits it; the three records pass with no document; the
engineer accepts, surveys, and powers it on after the contract; the enterprise extends it once
(refused beyond the construction permit's validity, naming the field); the engineer removes
meter and line with the final reading."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.models import Application, SiteSupply
from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_PROJECT
from portal.models import CustomerType, Role
from tests.browser.flows import fill_application, sms_sign_in, stage, survey_and_contract, take
from tests.browser.helpers import screenshot
from tests.factories import QUANNENG, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PERMIT_VALID_UNTIL = date(2026, 11, 1) + timedelta(days=700)  # the mock's DEMO_PROJECT permit


def test_temporary_supply_filed_energized_extended_and_removed(
    browser, live_server, gov_platform, staff
):
    phone = "13905316020"
    company = make_user(
        "b_site_company", Role.APPLICANT, customer_type=CustomerType.ENTERPRISE, identity=QUANNENG
    )
    company.phone = phone
    company.save()
    page = sms_sign_in(browser, live_server, phone, viewport="1280", customer="enterprise")
    page.locator("#new-temporary-supply").click()
    page.wait_for_load_state()
    page.check('[name="customer_type"][value="enterprise"]')
    assert page.input_value('[name="credit_code"]') == DEMO_ENTERPRISE
    today = timezone.localdate()
    fill_application(
        page,
        capacity_kva="100",
        supply_county="370102",
        supply_address="历下区经十路100号（泉能大厦工地）",
        project_code=DEMO_PROJECT,
        starts_on=(today + timedelta(days=3)).isoformat(),
        ends_on=(today + timedelta(days=120)).isoformat(),
        site_contact_name="王建国",
        site_contact_phone="13905310077",
    )
    page.locator('button[name="continue"]').click()
    page.wait_for_load_state()
    application = Application.objects.get(applicant=company)
    take(page, "submit")
    assert stage(page) == "待受理"
    for service in ("business_license", "project_approval", "construction_permit"):
        check = page.locator(f'#checks li[data-service="{service}"]')
        assert check.get_attribute("data-state") == "passed", service
    assert page.locator('[name="doc_type"]').count() == 0  # nothing to upload
    screenshot(page, "temporary-supply-checks")

    staff.goto(f"/engineer/applications/{application.pk}/")
    take(staff, "accept")
    survey_and_contract(page, staff, application, phone)
    staff.goto(f"/engineer/applications/{application.pk}/")
    take(staff, "energize")
    page.reload()
    assert stage(page) == "临时用电已送电"
    assert page.locator("#site-account").is_visible()

    # Extended once: beyond the permit refused beside the field, within it taken.
    beyond = (PERMIT_VALID_UNTIL + timedelta(days=1)).isoformat()
    page.fill('[name="extend_supply-new_end_date"]', beyond)
    take(page, "extend_supply")
    error = page.locator("#id_extend_supply-new_end_date-error")
    assert error.is_visible() and "2028-10-01" in error.inner_text()
    new_end = (today + timedelta(days=300)).isoformat()
    page.fill('[name="extend_supply-new_end_date"]', new_end)
    take(page, "extend_supply")
    assert page.locator("#site-ends-on").inner_text() == new_end
    assert SiteSupply.objects.get(application=application).extensions == 1
    screenshot(page, "temporary-supply-extended")

    staff.goto(f"/engineer/applications/{application.pk}/")
    staff.fill('[name="remove_supply-final_reading_kwh"]', "1523.4")
    take(staff, "remove_supply")
    assert stage(staff) == "临时用电已拆除"
    page.reload()
    assert stage(page) == "临时用电已拆除"
    assert "1523.4" in page.locator("#site-removed").inner_text()
    application.refresh_from_db()
    assert application.account.closed_at is not None
