"""A resident new connection from sign-up to completed, through the real pages: the resident
(SMS sign-up, guided form, face check, survey booking, scheme, e-contract) and the engineer
(work queue), each in their own browser context."""

import re

import pytest

from applications.models import Application
from govdata.mock.registry import DEMO_RESIDENT
from portal.crypto import phone_digest
from tests.browser.flows import PHOTO as PHOTO_FILE
from tests.browser.flows import ask_for_code, bind_identity, book_survey
from tests.browser.helpers import PASSWORD, VIEWPORTS, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "13905318888"
PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 64  # a JPEG's first bytes: enough for the mock


def take(page, step: str) -> None:
    page.locator(f'button[name="take"][value="{step}"]').click()
    page.wait_for_load_state()


def test_resident_new_connection_from_sign_up_to_completed(
    browser, live_server, gov_platform, browser_engineer, context_for
):
    resident = browser.new_context(
        viewport=VIEWPORTS["375"], locale="zh-CN", base_url=live_server.url
    ).new_page()
    resident.goto("/accounts/sms/")
    resident.fill('[name="phone"]', PHONE)
    resident.fill('[name="code"]', ask_for_code(resident, PHONE))
    resident.locator('button[name="sign_in"]').click()
    resident.wait_for_url("**/applications/")
    screenshot(resident, "applicant-my-applications")

    # Not bound yet: the form sends the resident to bind the account first.
    resident.goto("/applications/new/new_connection/")
    resident.wait_for_url("**/account/identity/")
    resident.fill('[name="name"]', "张伟")
    wrong = DEMO_RESIDENT[:-1] + ("1" if DEMO_RESIDENT[-1] != "1" else "2")
    resident.fill('[name="id_number"]', wrong)  # a wrong check digit
    resident.check('[name="face_consent"]')
    resident.set_input_files('[name="face_photo"]', files=PHOTO_FILE)
    resident.locator('form:has([name="face_photo"]) button[type="submit"]').click()
    resident.wait_for_load_state()
    # The error stands beside the field; what was typed is kept.
    assert resident.locator("#id_id_number-error").is_visible()
    assert resident.input_value('[name="name"]') == "张伟"
    screenshot(resident, "applicant-identity-error")
    bind_identity(resident, "张伟", DEMO_RESIDENT)
    screenshot(resident, "applicant-identity-bound")

    resident.goto("/applications/new/new_connection/")
    assert resident.input_value('[name="id_number"]') == DEMO_RESIDENT  # read-only, bound
    resident.fill('[name="capacity_kva"]', "10")
    resident.select_option('[name="supply_county"]', "370102")
    resident.check('[name="data_sharing_consent"]')
    resident.locator('button[name="continue"]').click()
    resident.wait_for_load_state()
    # The error stands beside the field; what was typed is kept.
    assert resident.locator("#id_supply_address-error").is_visible()
    assert resident.input_value('[name="capacity_kva"]') == "10"
    screenshot(resident, "applicant-form-error")
    resident.fill('[name="supply_address"]', "历下区泉城路1号")
    resident.check('[name="data_sharing_consent"]')
    resident.locator('button[name="continue"]').click()
    resident.wait_for_url(re.compile(r".*/applications/\d+/$"))
    application = Application.objects.get(applicant__phone_hash=phone_digest(PHONE))

    resident.check('[name="submit-face_consent"]')
    resident.set_input_files(
        '[name="submit-face_photo"]',
        files=[{"name": "face.jpg", "mimeType": "image/jpeg", "buffer": PHOTO}],
    )
    take(resident, "submit")
    assert resident.locator("#stage").inner_text() == "待受理"

    staff = context_for("b_engineer", PASSWORD)
    assert staff.url.endswith("/engineer/")
    staff.locator(f'tr[data-application="{application.pk}"] a').click()
    screenshot(staff, "engineer-application")
    take(staff, "accept")

    resident.reload()
    book_survey(resident, shot="applicant-survey-booking")

    staff.reload()
    staff.fill('[name="complete_survey-line_length_m"]', "0")
    take(staff, "complete_survey")

    resident.reload()
    take(resident, "confirm_scheme")
    assert resident.locator("#stage").inner_text() == "待签订供用电合同"
    resident.goto(f"/applications/{application.pk}/contract/")
    code = ask_for_code(resident, PHONE)
    screenshot(resident, "applicant-contract")
    resident.fill('[name="sms_code"]', code)
    resident.locator('form:has([name="sms_code"]) button[type="submit"]').click()
    resident.wait_for_url(re.compile(r".*/applications/\d+/$"))

    staff.reload()
    take(staff, "energize")
    resident.reload()
    assert resident.locator("#stage").inner_text() == "已办结"
    screenshot(resident, "applicant-completed")
    application.refresh_from_db()
    assert (
        application.state == "completed" and application.verification_outcome == "zero_certificate"
    )
