"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser), headless,
against pytest-django's live server. Without Chromium they are skipped with the reason shown
locally, and fail under CI=true (.ci/run installs it)."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.models import Department, Role
from tests.browser.helpers import PASSWORD, VIEWPORTS
from tests.factories import make_user

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
    """A fresh browser context per role (own cookies), signed in through the login page. Any
    Content-Security-Policy violation the browser reports fails the test."""
    contexts, violations = [], []

    def watch(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    def open_as(username: str, password: str, viewport: str = "1280"):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], locale="zh-CN", base_url=live_server.url
        )
        contexts.append(context)
        context.on("console", watch)
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
    assert not violations, violations


@pytest.fixture
def people(reference_data, jinan):
    """The applicant, engineer and planning approver of the approver's journey."""
    call_command("loaddata", "departments", verbosity=0)
    applicant = make_user("b_applicant", Role.APPLICANT, customer_type="residential")
    applicant.first_name = "张伟"
    engineer = make_user("b_engineer", Role.ENGINEER, division=jinan)
    approver = make_user(
        "b_approver", Role.APPROVER, department=Department.PLANNING, division=jinan
    )
    approver.first_name = "王审批"
    for user in (applicant, approver):
        user.set_password(PASSWORD)
        user.save()
    return applicant, engineer, approver


@pytest.fixture
def staff(reference_data, jinan, context_for):
    engineer = make_user("b_engineer", Role.ENGINEER, division=jinan)
    engineer.set_password(PASSWORD)
    engineer.save()
    return context_for("b_engineer", PASSWORD)


@pytest.fixture
def browser_engineer(reference_data, jinan):
    """Jinan's engineer who signs in through the login page (not the suite's `engineer`)."""
    person = make_user("b_engineer", Role.ENGINEER, division=jinan)
    person.set_password(PASSWORD)
    person.save()
    return person
