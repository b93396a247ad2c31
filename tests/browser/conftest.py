"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser), headless,
against pytest-django's live server. Without Chromium they are skipped with the reason shown
locally, and fail under CI=true (.ci/run installs it)."""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.helpers import VIEWPORTS

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        reason = "Chromium is not installed (apt-get install chromium fonts-wqy-zenhei)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the tests' ORM calls (and the
    # database teardown) are plain synchronous Django, which is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context_for(browser, live_server):
    """A fresh browser context per role (own cookies), signed in through the login page."""
    contexts = []

    def open_as(username: str, password: str, viewport: str = "1280"):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], locale="zh-CN", base_url=live_server.url
        )
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()
