"""The temporary supply's pages: the applicant's guided form and page (extension), the
engineer's queue and page (removal), the counter's filing and application page; both
languages; the wrong user, role and state refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application, Kind, SiteSupply, State
from applications.views.counter import FOUND_KEY
from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_PROJECT, SITE_PERMIT_EXPIRED
from portal.models import CustomerType
from tests.factories import new_application
from tests.workflow import SLOT, drive

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "customer_type": "enterprise",
        "phone": "13905310002",
        "voltage": "low",
        "capacity_kva": "100",
        "supply_county": "370102",
        "supply_address": "历下区经十路100号（泉能大厦工地）",
        "project_code": DEMO_PROJECT,
        "starts_on": (today + timedelta(days=3)).isoformat(),
        "ends_on": (today + timedelta(days=180)).isoformat(),
        "site_contact_name": "王建国",
        "site_contact_phone": "13905310077",
        "data_sharing_consent": "on",
        "continue": "1",
        **overrides,
    }


def energized(enterprise_applicant, engineer, callbacks) -> Application:
    application = new_application(
        enterprise_applicant,
        kind=Kind.TEMPORARY_SUPPLY,
        customer_type=CustomerType.ENTERPRISE,
        applicant_name="济南泉能科技有限公司",
        id_number="",
        credit_code=DEMO_ENTERPRISE,
        project_code=DEMO_PROJECT,
        details={
            "starts_on": timezone.localdate() + timedelta(days=3),
            "ends_on": timezone.localdate() + timedelta(days=120),
            "contact_name": "王建国",
            "contact_phone": "13905310077",
        },
    )
    people = {"applicant": enterprise_applicant, "engineer": engineer}
    with callbacks(execute=True):
        drive(application, [("submit", "applicant", {})], people)
    steps = [
        ("accept", "engineer", {}),
        ("schedule_survey", "applicant", {"slot": SLOT}),
        ("complete_survey", "engineer", {"line_length_m": 0}),
        ("confirm_scheme", "applicant", {}),
    ]
    drive(application, steps, people)
    # The contract's SMS code is the contract tests' business: signed here as the service does.
    Application.objects.filter(pk=application.pk).update(state=State.CONNECTING)
    drive(application, [("energize", "engineer", {})], people)
    assert application.state == State.ENERGIZED
    return application


def test_the_enterprise_files_a_temporary_supply_on_its_guided_form(
    client, enterprise_applicant, applicant
):
    client.force_login(enterprise_applicant)
    mine = client.get("/applications/").content.decode()
    assert 'href="/applications/new/temporary_supply/"' in mine
    url = "/applications/new/temporary_supply/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for field in ("starts_on", "ends_on", "site_contact_name", "site_contact_phone"):
        assert f'name="{field}"' in page
    assert 'name="account_number"' not in page and "Construction project code" in page
    assert "施工临时用电" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    refused = client.post(url, form_data(project_code="", ends_on=""))
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="id_project_code-error"' in body and 'id="id_ends_on-error"' in body
    filed = client.post(url, form_data())
    application = Application.objects.get(applicant=enterprise_applicant)
    assert filed.status_code == 302 and filed["Location"] == f"/applications/{application.pk}/"
    assert application.kind == Kind.TEMPORARY_SUPPLY
    page = client.get(filed["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="site-supply"' in page and "王建国" in page
    # A resident is not offered the kind, and is refused it.
    client.force_login(applicant)
    assert "new/temporary_supply" not in client.get("/applications/").content.decode()
    refused = client.post(url, form_data(customer_type="residential"))
    assert refused.status_code == 400


def test_the_applicant_sees_the_permit_reason_on_the_page(
    client, enterprise_applicant, django_capture_on_commit_callbacks
):
    client.force_login(enterprise_applicant)
    client.post("/applications/new/temporary_supply/", form_data(project_code=SITE_PERMIT_EXPIRED))
    application = Application.objects.get(applicant=enterprise_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, [("submit", "applicant", {})], {"applicant": enterprise_applicant})
    page = client.get(f"/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'data-reason="expired"' in body and "(expired)" in body
    assert 'value="construction_permit"' in body  # the one document asked for
    zh = client.get(f"/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "（已过期）" in zh.content.decode() or "(已过期)" in zh.content.decode()


def test_extension_on_the_applicants_page_and_removal_on_the_engineers(
    client, enterprise_applicant, engineer, outsider, django_capture_on_commit_callbacks
):
    application = energized(enterprise_applicant, engineer, django_capture_on_commit_callbacks)
    page_url = f"/applications/{application.pk}/"
    client.force_login(enterprise_applicant)
    page = client.get(page_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="extend_supply-new_end_date"' in page
    assert "remove_supply" not in page
    beyond = client.post(
        f"{page_url}steps/extend_supply/", {"extend_supply-new_end_date": "2030-01-01"}
    )
    assert beyond.status_code == 400
    assert 'id="id_extend_supply-new_end_date-error"' in beyond.content.decode()
    new_end = (timezone.localdate() + timedelta(days=300)).isoformat()
    done = client.post(f"{page_url}steps/extend_supply/", {"extend_supply-new_end_date": new_end})
    assert done.status_code == 302
    assert SiteSupply.objects.get(application=application).extensions == 1
    # The applicant cannot remove; the engineer's pages are not theirs.
    removal = client.post(
        f"{page_url}steps/remove_supply/", {"remove_supply-final_reading_kwh": "1"}
    )
    assert removal.status_code in (400, 403)
    engineer_url = f"/engineer/applications/{application.pk}/"
    assert client.get(engineer_url).status_code == 403
    # Another city's engineer does not see it.
    client.force_login(outsider)
    assert client.get(engineer_url).status_code == 404
    assert client.post(f"{engineer_url}steps/remove_supply/").status_code == 404
    client.force_login(engineer)
    page = client.get(engineer_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="remove_supply-final_reading_kwh"' in page and 'id="site-supply"' in page
    assert client.get(page_url).status_code == 404  # the applicant's page is not the engineer's
    missing = client.post(f"{engineer_url}steps/remove_supply/", {})
    assert missing.status_code == 400
    done = client.post(
        f"{engineer_url}steps/remove_supply/", {"remove_supply-final_reading_kwh": "1523.4"}
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.state == State.REMOVED
    # Removed: a replay is refused, the page says so.
    again = client.post(
        f"{engineer_url}steps/remove_supply/", {"remove_supply-final_reading_kwh": "1"}
    )
    assert again.status_code == 400
    assert 'id="site-removed"' in client.get(engineer_url).content.decode()


def test_the_counter_files_a_temporary_supply_and_shows_it(client, clerk, enterprise_applicant):
    client.force_login(clerk)
    session = client.session
    session[FOUND_KEY] = [enterprise_applicant.pk]  # found at the counter by their mobile
    session.save()
    url = f"/counter/file/{enterprise_applicant.pk}/temporary_supply/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="ends_on"' in page.content.decode()
    data = form_data(credit_code=DEMO_ENTERPRISE, applicant_name="济南泉能科技有限公司")
    filed = client.post(url, data)
    assert filed.status_code == 302, filed.content.decode()[-2000:]
    application = Application.objects.get(applicant=enterprise_applicant)
    assert application.channel == "counter" and application.kind == Kind.TEMPORARY_SUPPLY
    shown = client.get(f"/counter/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="site-supply"' in shown.content.decode()
