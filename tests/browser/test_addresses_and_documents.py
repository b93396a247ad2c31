"""Addresses the registry knows and documents where decisions are made, through the real
pages: a walk-in whose typed address differs from the registry's only in spacing is verified
without documents; an applicant chooses the supply address from the registry's titles; an
engineer sees and previews the title proof a transfer's buyer uploaded."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from applications.models import Application, Document
from govdata.mock.registry import DEMO_RESIDENT, TENANT
from portal.crypto import phone_digest
from portal.models import CustomerType, Role
from tests.browser.flows import (
    PHOTO,
    engineer_open,
    fill_application,
    sms_sign_in,
    stage,
    take,
)
from tests.browser.helpers import PASSWORD, screenshot
from tests.factories import ElectricityAccountFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def title_proof_png() -> bytes:
    """A photographed title proof: a real PNG a browser can draw."""
    image = Image.new("RGB", (240, 160), (200, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_walk_in_with_a_spaced_address_is_verified_without_documents(
    browser, live_server, gov_platform, clerk, context_for
):
    clerk.set_password(PASSWORD)
    clerk.save()
    counter = context_for(clerk.username, PASSWORD)
    phone = "13905316101"
    counter.fill('[name="first_name"]', "赵敏")
    counter.fill('[name="phone"]', phone)
    counter.check('[name="customer_type"][value="residential"]')
    counter.locator('form:has([name="first_name"]) button[type="submit"]').click()
    counter.wait_for_load_state()
    counter.locator("#found a").first.click()  # a new connection for her
    counter.wait_for_load_state()
    # 天桥区 chosen; the road typed with spaces: the registry holds 天桥区和平路3号.
    fill_application(
        counter, applicant_name="赵敏", id_number=TENANT, capacity_kva="8",
        supply_county="370105", supply_address="和平路 3 号",
    )  # fmt: skip
    counter.locator('button[type="submit"]:has-text("受理并提交")').click()
    counter.wait_for_load_state()
    application = Application.objects.get(applicant__phone_hash=phone_digest(phone))
    assert application.state == "pending_acceptance", application.documents_requested
    assert application.documents_requested == [] and not application.documents.exists()
    counter.reload()
    assert counter.locator("#documents-none").is_visible()
    screenshot(counter, "counter-walk-in-verified")


def test_choose_your_property_fills_the_supply_address(
    browser, live_server, gov_platform, reference_data
):
    page = sms_sign_in(
        browser, live_server, "13905316102", viewport="1280", identity=("张伟", DEMO_RESIDENT)
    )
    page.goto("/applications/new/new_connection/")
    page.fill('[name="capacity_kva"]', "8")
    page.check('[name="data_sharing_consent"]')  # the same consent covers the look-up
    page.locator("#properties-lookup").click()
    choice = page.locator('#properties input[value="370102|历下区泉城路1号"]')
    choice.wait_for()
    screenshot(page, "choose-your-property")
    choice.check()
    page.locator('button[name="continue"]').click()
    page.wait_for_load_state()
    application = Application.objects.get(applicant__phone_hash=phone_digest("13905316102"))
    assert (application.supply_county_id, application.supply_address) == (
        "370102",
        "历下区泉城路1号",
    )


def test_engineer_sees_and_previews_the_title_proof_of_a_transfer(
    browser, live_server, gov_platform, staff
):
    holder = make_user("b_holder2", Role.APPLICANT, customer_type=CustomerType.RESIDENTIAL)
    held = ElectricityAccountFactory(
        number="37010200000012", holder=holder, holder_name="赵敏", county_id="370102",
        address="历下区泉城路2号", capacity_kva=Decimal("10"), voltage="low",
    )  # fmt: skip
    buyer_phone = "13905316103"
    buyer = sms_sign_in(browser, live_server, buyer_phone, identity=("张伟", DEMO_RESIDENT))
    buyer.goto(f"/applications/new/transfer/?account={held.number}")
    fill_application(buyer)
    buyer.locator('button[name="continue"]').click()
    buyer.wait_for_load_state()
    application = Application.objects.get(applicant__phone_hash=phone_digest(buyer_phone))
    buyer.check('[name="submit-face_consent"]')
    buyer.set_input_files('[name="submit-face_photo"]', files=PHOTO)
    take(buyer, "submit")

    # Before the proof arrives the engineer sees it is missing.
    staff.goto(f"/engineer/applications/{application.pk}/")
    missing = staff.locator('#documents li[data-doc-type="property_proof"]')
    assert missing.get_attribute("data-received") == "no"
    assert staff.locator("#documents-missing").is_visible()

    proof = title_proof_png()
    buyer.select_option('[name="doc_type"]', "property_proof")
    buyer.set_input_files(
        '[name="file"]', files=[{"name": "房产证.png", "mimeType": "image/png", "buffer": proof}]
    )
    buyer.locator('button[name="upload"]').click()
    buyer.wait_for_load_state()
    take(buyer, "supply_documents")
    assert stage(buyer) == "待受理"

    engineer_open(staff, application)
    row = staff.locator('#documents li[data-doc-type="property_proof"]')
    assert row.get_attribute("data-received") == "yes"
    image = row.locator("img.document-preview")
    image.wait_for()
    # The browser drew the decrypted image: its real size, not a broken-image icon.
    assert image.evaluate("img => img.complete && img.naturalWidth") == 240
    screenshot(staff, "engineer-documents")
    document = Document.objects.get(application=application)
    opened = staff.request.get(f"/applications/{application.pk}/documents/{document.pk}/preview/")
    assert opened.ok and opened.headers["content-type"] == "image/png"
    assert opened.body() == proof
    take(staff, "accept")  # decided having seen it
    application.refresh_from_db()
    assert application.state != "pending_acceptance"
