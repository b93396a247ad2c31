"""The design audit (issue 17): every key page of every role, in one browser, checked for
accessibility with axe-core (0 critical and 0 serious violations), for phones at 320 and 375 px
(no sideways scrolling; every interactive target at least 24 x 24 px or spaced as WCAG 2.5.8
allows) and for speed (the navigation's first view under 500 ms on the embedded default)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from approvals.models import ApprovalTask
from portal.models import Role
from tests.browser.helpers import PASSWORD
from tests.factories import UserFactory, make_user
from tests.workflow import to_contract, to_permitting

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
FIRST_VIEW_MS = 500
# The contract page renders its PDF on request until it is prepared ahead (issue 17, forms).
SLOW_UNTIL_PREPARED_AHEAD = {"contract/zh-CN", "contract/en"}

# Each interactive element smaller than 24 x 24 px that is not an inline link in a sentence and
# whose 24 px circle (centred on it) meets another target: WCAG 2.5.8's test, as axe's
# target-size rule reads it.
SMALL_TARGETS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const targets = [...document.querySelectorAll(sel)].filter(visible);
  const inSentence = el => el.tagName === 'A' && getComputedStyle(el).display === 'inline'
    && el.parentElement && el.parentElement.textContent.trim().length > el.textContent.trim().length;
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const meets = (c, r) => { const x = Math.max(r.left, Math.min(c[0], r.right));
    const y = Math.max(r.top, Math.min(c[1], r.bottom)); return Math.hypot(x - c[0], y - c[1]) < 12; };
  return targets.filter(el => {
    const r = el.getBoundingClientRect();
    if (r.width >= 24 && r.height >= 24) return false;
    if (inSentence(el) || el.closest('label') && el.tagName === 'INPUT' && el.closest('label').getBoundingClientRect().height >= 24) return false;
    const c = centre(r);
    return targets.some(o => o !== el && !o.contains(el) && !el.contains(o) && meets(c, o.getBoundingClientRect()));
  }).map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.name || '').trim().slice(0, 30)}" ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`);
}"""
OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"
# The widest elements past the right edge: named in the failure, to find the culprit fast.
WIDE = """() => [...document.querySelectorAll('main *, header *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-3).map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)"""
FIRST_VIEW = """() => { const n = performance.getEntriesByType('navigation')[0];
  return n.loadEventEnd > 0 ? n.loadEventEnd - n.startTime : n.domContentLoadedEventEnd - n.startTime; }"""


def audit(page, name: str, path: str, problems: list, timings: dict) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(path)
    page.wait_for_load_state("load")
    assert response is not None and response.status < 500, (
        name,
        path,
        response and response.status,
    )
    timings[name] = page.evaluate(FIRST_VIEW)
    if timings[name] >= FIRST_VIEW_MS:  # one more sample: the 2-core CI box is shared
        page.goto(path)
        page.wait_for_load_state("load")
        timings[name] = min(timings[name], page.evaluate(FIRST_VIEW))
    if timings[name] >= FIRST_VIEW_MS and name not in SLOW_UNTIL_PREPARED_AHEAD:
        problems.append(f"{name}: first view {timings[name]:.0f} ms")
    results = AXE.run(page).response
    for violation in results["violations"]:
        if violation["impact"] in ("critical", "serious"):
            nodes = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{name}: axe {violation['impact']} {violation['id']} {nodes}")
    for width in (320, 375):
        page.set_viewport_size({"width": width, "height": 812})
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            problems.append(f"{name} @{width}: {overflow} px sideways {page.evaluate(WIDE)}")
        small = page.evaluate(SMALL_TARGETS)
        if small:
            problems.append(f"{name} @{width}: targets under 24 px {small[:4]}")


def signed_in(browser, live_server, username: str, language: str = "zh-CN"):
    context = browser.new_context(locale=language, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').last.click()
    page.wait_for_load_state()
    return context, page


def test_every_page_of_every_role_passes_the_audit(
    browser, live_server, people, jinan, gov_platform, django_capture_on_commit_callbacks
):
    applicant, engineer, approver = people
    engineer.set_password(PASSWORD)
    engineer.save()
    clerk = UserFactory(username="b_clerk", clerk=True)
    supervisor = make_user("b_supervisor", Role.SUPERVISOR)
    for user in (clerk, supervisor):
        user.set_password(PASSWORD)
        user.save()
    call_command("loaddata", "departments", verbosity=0)
    permitting = to_permitting(applicant, engineer, django_capture_on_commit_callbacks)
    contract = to_contract(applicant, engineer, django_capture_on_commit_callbacks)
    task = ApprovalTask.objects.filter(application=permitting, department__code="planning").get()

    pages = {
        None: [
            ("home", "/"),
            ("privacy", "/privacy/"),
            ("accessibility", "/accessibility/"),
            ("sms-login", "/accounts/sms/"),
            ("staff-login", "/accounts/login/"),
            ("contract-verify", "/contracts/verify/"),
            ("progress", f"/progress/?number={permitting.number}&check_code=000000"),
            ("transparency", "/transparency/"),
            ("not-found", "/no-such-page/"),
        ],
        "b_applicant": [
            ("mine", "/applications/"),
            ("new-connection", "/applications/new/new_connection/"),
            ("application-permitting", f"/applications/{permitting.pk}/"),
            ("application-contract", f"/applications/{contract.pk}/"),
            ("contract", f"/applications/{contract.pk}/contract/"),
            ("identity", "/account/identity/"),
            ("inbox", "/inbox/"),
            ("data-views", "/my-data/views/"),
            ("forbidden", "/approvals/"),
        ],
        "b_engineer": [
            ("engineer-queue", "/engineer/"),
            ("engineer-application", f"/engineer/applications/{permitting.pk}/"),
        ],
        "b_approver": [
            ("approver-queue", "/approvals/"),
            ("approver-task", f"/approvals/tasks/{task.pk}/"),
        ],
        "b_clerk": [("counter", "/counter/")],
        "b_supervisor": [
            ("supervision", "/supervision/"),
            ("supervision-applications", "/supervision/applications/"),
            ("supervision-application", f"/supervision/applications/{permitting.pk}/"),
            ("access-log", "/supervision/access-log/"),
        ],
    }
    problems, timings = [], {}
    warm = browser.new_context(base_url=live_server.url).new_page()
    warm.goto("/")  # the live server's first request loads what every later one reuses
    warm.context.close()
    for username, role_pages in pages.items():
        for language in ("zh-CN", "en"):
            if username is None:
                context = browser.new_context(locale=language, base_url=live_server.url)
                page = context.new_page()
            else:
                context, page = signed_in(browser, live_server, username, language)
            for name, path in role_pages:
                audit(page, f"{name}/{language}", path, problems, timings)
            context.close()
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:5]
    print("first view, slowest:", [(name, round(ms)) for name, ms in slowest])
    assert not problems, "\n".join(problems)
