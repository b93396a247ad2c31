"""Temporary supply for a construction site (issue #20): filed by an enterprise for a project
code, verified with the business licence, the project approval and the construction permit,
built like a new connection, energized, then extended within the permit's validity or removed.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import (
    Application,
    Document,
    ElectricityAccount,
    SiteSupply,
    State,
    TimelineEntry,
)
from applications.services import application_transition
from applications.services.contract import _lines as contract_lines
from applications.services.contract import account_number_for
from govdata.mock.registry import (
    DEMO_ENTERPRISE,
    DEMO_PROJECT,
    SITE_PERMIT_EXPIRED,
    SITE_PERMIT_REVOKED,
)
from govdata.models import RecordCheck
from notifications.models import Notification
from tests.factories import UserFactory
from tests.workflow import (
    application_body,
    first_free_slot,
    sign,
    step,
    supply_asked_documents,
)

pytestmark = pytest.mark.django_db

# DEMO_PROJECT's construction permit, in the mock registry: valid 700 days after 2026-11-01.
PERMIT_VALID_UNTIL = date(2026, 11, 1) + timedelta(days=700)


def site_body(**overrides) -> dict:
    today = timezone.localdate()
    site = {
        "kind": "temporary_supply",
        "customer_type": "enterprise",
        "applicant_name": "济南泉能科技有限公司",
        "id_number": "",
        "credit_code": DEMO_ENTERPRISE,
        "capacity_kva": "100",
        "supply_address": "历下区经十路100号（泉能大厦工地）",
        "project_code": DEMO_PROJECT,
        "starts_on": (today + timedelta(days=3)).isoformat(),
        "ends_on": (today + timedelta(days=180)).isoformat(),
        "site_contact_name": "王建国",
        "site_contact_phone": "13905310077",
    }
    return application_body(**{**site, **overrides})


def file_site(client, **overrides) -> int:
    response = client.post("/api/v1/applications/", site_body(**overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def to_energized(me, eng, pk, callbacks, line_length_m=100):
    """From filing to power-on through the API, each step by its role."""
    with callbacks(execute=True):
        step(me, pk, "submit")
    step(eng, pk, "accept")
    step(me, pk, "schedule_survey", slot=first_free_slot(pk).isoformat())
    step(eng, pk, "complete_survey", line_length_m=line_length_m)
    assert step(me, pk, "confirm_scheme")["state"] == "works_filing"
    step(me, pk, "file_commitment", accept_commitment=True)
    step(eng, pk, "complete_construction")
    step(eng, pk, "pass_inspection")
    sign(me, pk, callbacks)
    return step(eng, pk, "energize")


def test_from_filing_to_energized_to_removed_with_zero_certificates(
    api, enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    me, eng = api(enterprise_applicant), api(engineer)
    pk = file_site(me)
    with django_capture_on_commit_callbacks(execute=True):
        step(me, pk, "submit")
    body = me.get(f"/api/v1/applications/{pk}/").json()
    assert body["state"] == "pending_acceptance"
    assert {c["service"]: c["state"] for c in body["checks"]} == {
        "business_license": "passed",
        "project_approval": "passed",
        "construction_permit": "passed",
    }
    # Zero certificates: nothing asked for, nothing uploaded (the enterprise gave its code).
    assert body["documents_requested"] == [] and body["documents"] == []
    assert not Document.objects.filter(application_id=pk).exists()
    assert body["verification_outcome"] == "one_certificate"
    assert body["site_supply"]["permit_valid_until"] == PERMIT_VALID_UNTIL.isoformat()
    assert body["site_supply"]["contact_name"] == "王建国"

    step(eng, pk, "accept")
    step(me, pk, "schedule_survey", slot=first_free_slot(pk).isoformat())
    step(eng, pk, "complete_survey", line_length_m=100)
    step(me, pk, "confirm_scheme")
    step(me, pk, "file_commitment", accept_commitment=True)
    step(eng, pk, "complete_construction")
    step(eng, pk, "pass_inspection")
    sign(me, pk, django_capture_on_commit_callbacks)
    body = step(eng, pk, "energize")
    assert body["state"] == "energized"
    account = ElectricityAccount.objects.get(number=body["account_number"])
    assert account.holder == enterprise_applicant and account.closed_at is None
    assert account.capacity_kva == Decimal("100")
    detail = me.get(f"/api/v1/applications/{pk}/").json()
    assert detail["available_transitions"] == ["extend_supply"]
    assert eng.get(f"/api/v1/applications/{pk}/").json()["available_transitions"] == [
        "remove_supply"
    ]
    assert detail["site_supply"]["energized_at"]

    refused = step(eng, pk, "remove_supply", expect=400)
    assert "final_reading_kwh" in refused
    body = step(eng, pk, "remove_supply", final_reading_kwh="1523.4")
    assert body["state"] == "removed"
    account.refresh_from_db()
    assert account.closed_at is not None
    site = SiteSupply.objects.get(application_id=pk)
    assert site.final_reading_kwh == Decimal("1523.4") and site.removed_at is not None
    # Ended: nothing more to do, for anyone; the record checks keep only their evidence.
    assert (
        api(enterprise_applicant).get(f"/api/v1/applications/{pk}/").json()["available_transitions"]
        == []
    )
    rows = list(TimelineEntry.objects.filter(application_id=pk).values_list("transition", "role"))
    assert rows[0] == ("submit", "applicant") and rows[1] == ("verification_passed", "system")
    assert rows[-2:] == [("energize", "engineer"), ("remove_supply", "engineer")]
    assert Notification.objects.filter(
        recipient=enterprise_applicant,
        kind="application_moved",
        params__state_label="Temporary supply removed",
    ).exists()


def test_extended_once_within_the_permits_validity_and_refused_beyond_it(
    api, enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    me, eng = api(enterprise_applicant), api(engineer)
    pk = file_site(me)
    assert to_energized(me, eng, pk, django_capture_on_commit_callbacks)["state"] == "energized"
    site = SiteSupply.objects.get(application_id=pk)
    site_before = site.ends_on.isoformat()

    beyond = PERMIT_VALID_UNTIL + timedelta(days=1)
    refused = step(me, pk, "extend_supply", expect=400, new_end_date=beyond.isoformat())
    assert "new_end_date" in refused
    assert PERMIT_VALID_UNTIL.isoformat() in refused["new_end_date"][0]
    earlier = step(me, pk, "extend_supply", expect=400, new_end_date=site.ends_on.isoformat())
    assert "new_end_date" in earlier
    assert step(me, pk, "extend_supply", expect=400)["new_end_date"]  # required

    body = step(me, pk, "extend_supply", new_end_date=PERMIT_VALID_UNTIL.isoformat())
    assert body["state"] == "energized"
    site.refresh_from_db()
    assert site.ends_on == PERMIT_VALID_UNTIL and site.extensions == 1
    # Nothing of a refused extension was kept: one timeline row for the one extension.
    extension = TimelineEntry.objects.get(application_id=pk, transition="extend_supply")
    assert extension.comment == f"{site_before} → {PERMIT_VALID_UNTIL.isoformat()}"
    assert me.get(f"/api/v1/applications/{pk}/").json()["site_supply"]["extensions"] == 1
    assert step(eng, pk, "remove_supply", final_reading_kwh="88")["state"] == "removed"


@pytest.mark.parametrize(
    ("project", "reason"),
    [
        (DEMO_PROJECT, "expires_before_end"),  # valid, but ends before the period asked
        (SITE_PERMIT_EXPIRED, "expired"),
        (SITE_PERMIT_REVOKED, "revoked"),
    ],
)
def test_a_permit_that_does_not_cover_the_period_asks_for_the_permit_naming_why(
    api, enterprise_applicant, django_capture_on_commit_callbacks, project, reason
):
    me = api(enterprise_applicant)
    start = timezone.localdate() + timedelta(days=30)
    end = (
        PERMIT_VALID_UNTIL + timedelta(days=30)
        if project == DEMO_PROJECT
        else start + timedelta(days=90)
    )
    pk = file_site(me, project_code=project, starts_on=start.isoformat(), ends_on=end.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        step(me, pk, "submit")
    body = me.get(f"/api/v1/applications/{pk}/").json()
    assert body["state"] == "needs_documents"
    assert body["documents_requested"] == ["construction_permit"]
    permit = next(c for c in body["checks"] if c["service"] == "construction_permit")
    assert (permit["state"], permit["reason"], permit["document"]) == (
        "failed",
        reason,
        "construction_permit",
    )
    check = RecordCheck.objects.get(application_id=pk, service="construction_permit")
    assert check.reason == reason


def test_filing_judges_the_kinds_own_fields(api, enterprise_applicant, applicant):
    me = api(enterprise_applicant)
    today = timezone.localdate()
    response = me.post(
        "/api/v1/applications/",
        site_body(
            project_code="",
            starts_on=(today - timedelta(days=1)).isoformat(),
            ends_on=(today - timedelta(days=2)).isoformat(),
            site_contact_phone="12345",
            site_contact_name="",
        ),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert {
        "project_code",
        "starts_on",
        "ends_on",
        "site_contact_phone",
        "site_contact_name",
    } <= set(errors)
    too_long = me.post(
        "/api/v1/applications/",
        site_body(ends_on=(today + timedelta(days=3 + 3 * 365 + 1)).isoformat()),
        format="json",
    )
    assert too_long.status_code == 400 and "ends_on" in too_long.json()
    # A resident does not file for a construction site.
    resident = api(applicant).post(
        "/api/v1/applications/",
        application_body(
            kind="temporary_supply",
            project_code=DEMO_PROJECT,
            starts_on=(today + timedelta(days=3)).isoformat(),
            ends_on=(today + timedelta(days=30)).isoformat(),
            site_contact_name="张伟",
            site_contact_phone="13905310001",
        ),
        format="json",
    )
    assert resident.status_code == 400 and "customer_type" in resident.json()


def test_the_new_steps_refuse_the_wrong_user_role_and_state(
    api, enterprise_applicant, engineer, outsider, supervisor, applicant,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    me, eng = api(enterprise_applicant), api(engineer)
    pk = file_site(me)
    # Wrong state: neither step before the power is on.
    step(me, pk, "extend_supply", expect=409, new_end_date="2027-06-01")
    step(eng, pk, "remove_supply", expect=409, final_reading_kwh="1")
    to_energized(me, eng, pk, django_capture_on_commit_callbacks)
    end = (timezone.localdate() + timedelta(days=200)).isoformat()
    # Wrong role: the engineer does not extend, the applicant does not remove.
    step(eng, pk, "extend_supply", expect=403, new_end_date=end)
    step(me, pk, "remove_supply", expect=403, final_reading_kwh="1")
    # Wrong user: not theirs to see (404) or not theirs to act on (403).
    step(api(applicant), pk, "extend_supply", expect=404, new_end_date=end)
    step(api(outsider), pk, "remove_supply", expect=404, final_reading_kwh="1")
    step(api(supervisor), pk, "remove_supply", expect=403, final_reading_kwh="1")
    other = UserFactory(username="t_other_enterprise", enterprise=True)
    step(api(other), pk, "extend_supply", expect=404, new_end_date=end)
    # Signed out.
    assert api().post(f"/api/v1/applications/{pk}/transitions/extend_supply/").status_code == 401
    # Removed: nothing more.
    step(eng, pk, "remove_supply", final_reading_kwh="10")
    step(me, pk, "extend_supply", expect=409, new_end_date=end)
    step(eng, pk, "remove_supply", expect=409, final_reading_kwh="1")


def test_an_extension_after_the_end_date_is_refused(
    api, enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    me, eng = api(enterprise_applicant), api(engineer)
    pk = file_site(me)
    to_energized(me, eng, pk, django_capture_on_commit_callbacks)
    SiteSupply.objects.filter(application_id=pk).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    refused = step(me, pk, "extend_supply", expect=400, new_end_date="2027-09-01")
    assert "new_end_date" in refused
    assert Application.objects.get(pk=pk).state == State.ENERGIZED


def test_the_permanent_connection_links_to_the_temporary_account_and_schedules_its_removal(
    api, enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    me, eng = api(enterprise_applicant), api(engineer)
    temporary = file_site(me)
    to_energized(me, eng, temporary, django_capture_on_commit_callbacks)
    temporary_account = Application.objects.get(pk=temporary).account.number
    permanent = me.post(
        "/api/v1/applications/",
        application_body(
            kind="new_connection",
            customer_type="enterprise",
            applicant_name="济南泉能科技有限公司",
            id_number="",
            credit_code=DEMO_ENTERPRISE,
            voltage="high",
            capacity_kva="800",
            supply_address="历下区经十路100号（泉能大厦）",
            project_code=DEMO_PROJECT,
        ),
        format="json",
    ).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        step(me, permanent, "submit")
    supply_asked_documents(me, permanent)  # the building has no title on record yet
    body = me.get(f"/api/v1/applications/{permanent}/").json()
    assert body["temporary_supplies"] == [
        {
            "number": Application.objects.get(pk=temporary).number,
            "state": "energized",
            "account_number": temporary_account,
            "ends_on": SiteSupply.objects.get(application_id=temporary).ends_on.isoformat(),
        }
    ]
    assert (
        me.get(f"/api/v1/applications/{temporary}/").json()["site_supply"]["permanent"]
        == (body["number"])
    )
    step(eng, permanent, "accept")
    step(me, permanent, "schedule_survey", slot=first_free_slot(permanent).isoformat())
    step(eng, permanent, "complete_survey", line_length_m=0)
    if step(me, permanent, "confirm_scheme")["state"] == "payment_pending":
        # The building's high-voltage scheme has a fee: paid on the payment platform (its own
        # tests), whose notification takes this system step.
        application_transition(application_id=permanent, name="fee_paid", actor=None, payload={})
    sign(me, permanent, django_capture_on_commit_callbacks)
    assert step(eng, permanent, "energize")["state"] == "completed"
    site = SiteSupply.objects.get(application_id=temporary)
    assert site.removal_with_permanent and site.ends_on == timezone.localdate()
    told = Notification.objects.filter(kind="temporary_removal_scheduled")
    assert set(told.values_list("recipient", flat=True)) == {enterprise_applicant.pk, engineer.pk}
    # The removal itself is the engineer's step, on the same visit.
    assert step(eng, temporary, "remove_supply", final_reading_kwh="4021")["state"] == "removed"


def test_a_permanent_connection_of_another_project_links_nothing(
    api, enterprise_applicant, django_capture_on_commit_callbacks
):
    me = api(enterprise_applicant)
    temporary = file_site(me)
    with django_capture_on_commit_callbacks(execute=True):
        step(me, temporary, "submit")
    body = application_body(
        kind="new_connection",
        customer_type="enterprise",
        applicant_name="济南泉能科技有限公司",
        id_number="",
        credit_code=DEMO_ENTERPRISE,
        supply_address="历下区经十路9号",
    )
    pk = me.post("/api/v1/applications/", body, format="json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        step(me, pk, "submit")
    assert SiteSupply.objects.get(application_id=temporary).permanent is None


def test_the_contract_states_the_period(api, enterprise_applicant):
    pk = file_site(api(enterprise_applicant))
    application = Application.objects.get(pk=pk)
    site = SiteSupply.objects.get(application_id=pk)
    text = "\n".join(contract_lines(application, "x"))
    assert f"{site.ends_on:%Y年%m月%d日}" in text and "临时用电期限" in text
    # The account the contract names is the one opened at power-on.
    assert account_number_for(application) == f"370102{pk:08d}"
