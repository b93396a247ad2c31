"""Steps the browser tests share: signing in by SMS, taking a step, the shared tail of a flow."""

from __future__ import annotations

import re

from tests.browser.helpers import VIEWPORTS, screenshot
from tests.helpers import sms_code, sms_messages_to

PHOTO = [{"name": "face.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0" + b"0" * 64}]


def ask_for_code(page, phone: str) -> str:
    """Press "send me a code", wait for the page the form's answer leads to (a form filled
    before it arrives would be replaced by it), then read the code its request sent."""
    before = len(sms_messages_to(phone))
    with page.expect_navigation():
        page.locator('button[name="send_code"]').click()
    page.wait_for_load_state()
    for _ in range(100):
        if len(sms_messages_to(phone)) > before:
            return sms_code(phone)
        page.wait_for_timeout(100)
    shown = page.locator("main").inner_text()[:400]
    raise AssertionError(f"no code was sent to {phone}; the page says: {shown}")


def sms_sign_in(
    browser,
    live_server,
    phone: str,
    viewport: str = "375",
    customer="residential",
    identity: tuple[str, str] | None = None,
):
    """A new browser context signed in with the mobile number (signing up if new), its account
    then bound to `identity` (name, ID number) on the identity page when given."""
    page = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="zh-CN", base_url=live_server.url
    ).new_page()
    page.goto("/accounts/sms/")
    page.fill('[name="phone"]', phone)
    page.check(f'[name="customer_type"][value="{customer}"]')
    page.fill('[name="code"]', ask_for_code(page, phone))
    page.locator('button[name="sign_in"]').click()
    page.wait_for_url("**/applications/")
    if identity is not None:
        bind_identity(page, *identity)
    return page


def bind_identity(page, name: str, id_number: str) -> None:
    """Bind the signed-in account online: name, ID number, the face check's own consent and a
    photo."""
    page.goto("/account/identity/")
    page.fill('[name="name"]', name)
    page.fill('[name="id_number"]', id_number)
    page.check('[name="face_consent"]')
    page.set_input_files('[name="face_photo"]', files=PHOTO)
    page.locator('form:has([name="face_photo"]) button[type="submit"]').click()
    page.wait_for_load_state()
    assert page.locator("#bound-how").is_visible()


def take(page, step: str) -> None:
    page.locator(f'button[name="take"][value="{step}"]').click()
    page.wait_for_load_state()


def stage(page) -> str:
    return page.locator("#stage").inner_text()


def fill_application(page, **values) -> None:
    """Fill the guided form by field name; `data_sharing_consent` is ticked."""
    for name, value in values.items():
        if name == "supply_county":
            page.select_option(f'[name="{name}"]', value)
        else:
            page.fill(f'[name="{name}"]', value)
    page.check('[name="data_sharing_consent"]')


def sign_contract(page, application, phone: str, shot: str | None = None) -> None:
    page.goto(f"/applications/{application.pk}/contract/")
    page.fill('[name="sms_code"]', ask_for_code(page, phone))
    if shot:
        screenshot(page, shot)
    page.locator('form:has([name="sms_code"]) button[type="submit"]').click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))


def engineer_open(staff, application) -> None:
    application.refresh_from_db()
    staff.goto("/engineer/")
    row = staff.locator(f'tr[data-application="{application.pk}"]')
    assert row.count() == 1, application.state
    row.locator("a").click()
    staff.wait_for_load_state()


def book_survey(page, shot: str | None = None) -> None:
    """From the application's page: open the booking page and take the first free time."""
    page.locator("#book-survey").click()
    page.wait_for_load_state()
    assert page.locator("fieldset.slot-day").count() >= 1
    page.locator('input[name="slot"]').first.check()
    if shot:
        screenshot(page, shot)
    page.locator("#survey-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    assert page.locator("#survey-slot").is_visible()


def survey_and_contract(applicant_page, staff, application, phone: str) -> None:
    """Accepted → survey booked and recorded (no external line) → scheme confirmed → contract
    signed; the engineer's pages for the engineer's steps."""
    applicant_page.goto(f"/applications/{application.pk}/")
    book_survey(applicant_page)
    engineer_open(staff, application)
    staff.fill('[name="complete_survey-line_length_m"]', "0")
    take(staff, "complete_survey")
    applicant_page.reload()
    take(applicant_page, "confirm_scheme")
    sign_contract(applicant_page, application, phone)
