from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from portal.management.commands.seed_demo import DEMO_PASSWORD
from portal.models import Division, User
from surveys.models import SurveyHours
from surveys.services import survey_slots_free

pytestmark = pytest.mark.django_db

EXPECTED = {
    "resident": "applicant",
    "enterprise": "applicant",
    "clerk": "clerk",
    "engineer": "engineer",
    "approver_planning": "approver",
    "approver_housing": "approver",
    "approver_transport": "approver",
    "approver_traffic_police": "approver",
    "approver_greening": "approver",
    "supervisor": "supervisor",
    "seller": "applicant",
    "admin": "operator",
}


def test_demo_data_creates_one_login_per_role_in_jinan_and_is_safe_to_run_twice():
    call_command("seed_demo")
    User.objects.filter(username="clerk").update(first_name="changed")
    call_command("seed_demo")
    people = User.objects.exclude(username__startswith="seed-applicant-")  # the history's
    users = {u.username: u for u in people.select_related("division", "service_hall")}
    assert {name: u.role for name, u in users.items()} == EXPECTED
    assert users["clerk"].first_name == "王芳"  # brought back to the demo state
    assert users["clerk"].service_hall.division.code == "370100"
    assert users["engineer"].division.code == "370100"
    for name in EXPECTED:
        if name.startswith("approver_"):
            assert users[name].department == name.removeprefix("approver_")
            assert users[name].division.code == "370100"
    assert users["resident"].customer_type == "residential"
    assert users["enterprise"].customer_type == "enterprise"
    assert users["admin"].is_superuser and users["admin"].is_staff
    for name in EXPECTED:
        assert users[name].check_password(DEMO_PASSWORD), name


def test_demo_applicants_are_bound_to_the_platforms_seeded_records():
    from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_RESIDENT, build_registry
    from portal.identity import identity_of

    call_command("seed_demo")
    call_command("seed_demo")  # safe twice: one binding in force each
    resident = identity_of(User.objects.get(username="resident"))
    enterprise = identity_of(User.objects.get(username="enterprise"))
    registry = build_registry()
    assert resident.id_number == DEMO_RESIDENT
    assert registry.people[DEMO_RESIDENT].name == resident.name
    assert enterprise.credit_code == DEMO_ENTERPRISE
    assert registry.companies[DEMO_ENTERPRISE].legal_representative == enterprise.name
    assert registry.people[enterprise.id_number].name == enterprise.name


def test_demo_survey_hours_offer_slots_in_every_jinan_county(time_machine):
    time_machine.move_to(datetime(2026, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    call_command("seed_demo")
    SurveyHours.objects.filter(division__code="370100").update(capacity=5)
    call_command("seed_demo")  # brought back to the demo's
    rows = SurveyHours.objects.filter(division__code="370100").order_by("start")
    assert [(r.start, r.end, r.slot_minutes, r.capacity) for r in rows] == [
        (time(9, 0), time(12, 0), 90, 2),
        (time(14, 0), time(17, 30), 90, 2),
    ]
    for county in Division.objects.filter(parent__code="370100"):
        slots = survey_slots_free(county, days=1)
        assert [s.start.isoformat() for s in slots][:1] == ["2026-10-08T09:00:00+08:00"], county
