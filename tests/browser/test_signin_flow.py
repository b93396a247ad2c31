"""A staff login's first sign-in when the second factor is required: password, then the
authenticator set up from the QR code, then the engineer's own page."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.helpers import PASSWORD, screenshot
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_engineer_sets_up_an_authenticator_at_first_sign_in(
    browser_engineer, context_for, totp_required
):
    page = context_for(browser_engineer.username, PASSWORD)
    assert "/accounts/two-factor/setup/" in page.url
    qr = page.get_by_role("img", name="身份验证器密钥二维码")
    assert qr.evaluate("image => image.naturalWidth") > 0
    screenshot(page, "staff-authenticator-setup")
    device = TOTPDevice.objects.get(user=browser_engineer, confirmed=False)
    page.get_by_label("身份验证器应用的验证码").fill("000000")
    page.get_by_role("button", name="确认").click()
    assert page.get_by_text("身份验证器应用的验证码不正确。").is_visible()
    page.get_by_label("身份验证器应用的验证码").fill(totp_code(device))
    page.get_by_role("button", name="确认").click()
    page.wait_for_load_state()
    assert "/accounts/two-factor/" not in page.url
    assert TOTPDevice.objects.get(user=browser_engineer).confirmed
