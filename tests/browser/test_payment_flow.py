"""An enterprise's high-voltage application pays its scheme fee on the payment platform's pay
page at 375 px; the portal shows it paid with its e-invoice; once the contract is signed and
mailing chosen, the courier's tracking appears. Every step is on the pages, the contract's
signature included (the contract PDF shows in a frame of the portal's own page)."""

import re
from decimal import Decimal

import pytest

from applications.models import FeeRate
from tests.browser.flows import sign_contract
from tests.browser.helpers import PASSWORD
from tests.workflow import HIGH, drive, surveyed

pytestmark = pytest.mark.django_db(transaction=True)


def reload_until(page, selector: str, timeout: float = 20) -> None:
    """The platform and the courier answer asynchronously: reload until `selector` shows."""
    for _ in range(int(timeout * 2)):
        if page.locator(selector).count():
            return
        page.wait_for_timeout(500)
        page.reload()
    raise AssertionError(f"{selector} never appeared")


def test_enterprise_pays_its_fee_at_375_px_and_follows_the_mailed_papers(
    context_for, live_server, settings, enterprise_applicant, engineer, gov_platform,
    payment_platform, courier, django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.PORTAL_BASE_URL = live_server.url  # where the platform and courier call back
    # Transactional tests before this one may have flushed the schedule's data migration.
    FeeRate.objects.get_or_create(
        code="hv-capacity",
        defaults={"label": "高压接入容量费", "voltage": "high", "basis": "per_kva",
                  "unit_price": Decimal("100.00")},
    )  # fmt: skip
    courier.control("faults", {"step_ms": 300}, method="PUT")
    application = surveyed(
        enterprise_applicant, engineer, django_capture_on_commit_callbacks, **HIGH
    )
    drive(application, [("confirm_scheme", "applicant", {})], {"applicant": enterprise_applicant})
    assert application.state == "payment_pending"
    enterprise_applicant.set_password(PASSWORD)
    enterprise_applicant.save()

    page = context_for(enterprise_applicant.username, PASSWORD, viewport="375")
    page.goto(f"/applications/{application.pk}/")
    assert "63000.00" in page.locator("#payment").inner_text()
    page.locator("#pay-now").click()
    page.wait_for_url(re.compile(re.escape(payment_platform.url) + r"/pay/"))
    qr = page.locator(".qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
    page.locator("#pay").click()
    assert "支付成功" in page.locator("#status").inner_text()
    page.locator("#back").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    reload_until(page, "#invoice-link")
    assert page.locator('[data-status="paid"]').count() == 1
    invoice = page.locator("#invoice-link").get_attribute("href")
    assert page.request.get(invoice).headers["content-type"] == "application/pdf"

    application.refresh_from_db()
    assert application.state == "contract_pending"
    page.fill('[name="mailing_address"]', "济南市历下区经十路9号 泉能科技 李娜收")
    page.locator('button[name="mailing"]').click()
    page.wait_for_load_state()
    with django_capture_on_commit_callbacks(execute=True):
        sign_contract(page, application, application.phone)
    page.goto(f"/applications/{application.pk}/")
    reload_until(page, "#tracking-number:text-matches('^E')")
    reload_until(page, '#shipment-status[data-status="delivered"]', timeout=30)
    assert page.locator("#shipment-events li").count() == 4
