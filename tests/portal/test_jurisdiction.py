"""One jurisdiction rule: the predicate and the queryset filter give the same answer for every
division of the province, and approvers of a county act for their city's departments."""

import pytest

from applications.models import Application
from applications.selectors import application_visible_q
from approvals.models import ApprovalTask, Department
from approvals.permissions import can_decide
from approvals.selectors import approval_task_queue
from approvals.services import approval_task_decide, department_approvers
from portal.jurisdiction import city_code, covers, same_city, same_city_q, within_q
from portal.models import Division, Role, User
from tests.factories import make_user, new_application

pytestmark = pytest.mark.django_db

JINAN, LIXIA, LICHENG, QINGDAO, SHINAN = "370100", "370102", "370112", "370200", "370202"


def codes_covered(division: Division) -> set[str]:
    return {
        code for code in Division.objects.values_list("code", flat=True) if covers(division, code)
    }


def codes_within(division: Division) -> set[str]:
    return set(Division.objects.filter(within_q(division, "code")).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("staff", "reach"),
    [(JINAN, "the city and its counties"), (LIXIA, "itself"), (SHINAN, "itself")],
)
def test_the_predicate_and_the_filter_agree_on_every_division(reference_data, staff, reach):
    division = Division.objects.get(code=staff)
    jinan_and_counties = {
        JINAN,
        *Division.objects.filter(parent_id=JINAN).values_list("code", flat=True),
    }
    expected = jinan_and_counties if reach == "the city and its counties" else {staff}
    assert codes_covered(division) == codes_within(division) == expected


def test_a_city_covers_its_counties_and_not_another_citys(reference_data):
    jinan, lixia = Division.objects.get(code=JINAN), Division.objects.get(code=LIXIA)
    assert covers(jinan, LIXIA) and covers(jinan, JINAN)
    assert not covers(jinan, SHINAN) and not covers(jinan, QINGDAO)
    assert covers(lixia, LIXIA) and not covers(lixia, LICHENG) and not covers(lixia, JINAN)


@pytest.mark.parametrize("code", [JINAN, LIXIA, SHINAN])
def test_same_city_and_its_filter_agree_on_every_division(reference_data, code):
    everything = Division.objects.values_list("code", flat=True)
    in_python = {other for other in everything if same_city(code, other)}
    in_sql = set(Division.objects.filter(same_city_q(code, "code")).values_list("code", flat=True))
    assert in_python == in_sql
    city = Division.objects.get(code=code[:4] + "00")
    assert in_python == codes_covered(city)  # a city's reach is its city


def test_every_division_lies_in_its_city(reference_data):
    for division in Division.objects.all():
        assert same_city(division.code, city_code(division))
        assert covers(Division.objects.get(code=city_code(division)), division.code)
    assert city_code(Division.objects.get(code=LIXIA)) == JINAN


def test_the_filters_read_the_foreign_key_column_without_a_join(reference_data):
    jinan, lixia = Division.objects.get(code=JINAN), Division.objects.get(code=LIXIA)
    staff = {
        code: make_user(f"t_eng_{code}", Role.ENGINEER, division_id=code)
        for code in (JINAN, LIXIA, LICHENG, SHINAN)
    }
    for division in (jinan, lixia):
        query = User.objects.filter(within_q(division, "division__code"))
        assert "JOIN" not in str(query.query)
        assert set(query) == {u for u in staff.values() if covers(division, u.division_id)}
    in_jinan = User.objects.filter(same_city_q(LIXIA, "division__code"))
    assert set(in_jinan) == {staff[JINAN], staff[LIXIA], staff[LICHENG]}


def test_the_engineers_scope_written_in_applications_is_within_q(reference_data, applicant):
    """What `applications/selectors.py` writes by hand today, `within_q` gives: the switch to
    it changes nothing."""
    for county in (LIXIA, LICHENG, SHINAN):
        new_application(applicant, supply_county_id=county)
    for staff in (JINAN, LIXIA, SHINAN):
        engineer = make_user(f"t_eng_{staff}", Role.ENGINEER, division_id=staff)
        by_hand = Application.objects.filter(application_visible_q(engineer))
        by_rule = Application.objects.filter(within_q(engineer.division, "supply_county__code"))
        assert by_hand.exists() and set(by_hand) == set(by_rule)


def test_approvers_of_a_county_act_for_their_citys_departments(planning_task):
    def approver(name, division):
        return make_user(name, Role.APPROVER, department="planning", division_id=division)

    in_city, in_county, in_other_county = (
        approver("t_ap_city", JINAN),
        approver("t_ap_licheng", LICHENG),
        approver("t_ap_shinan", SHINAN),
    )
    jinan_planning = Department.objects.get(code="planning", city_id=JINAN)
    qingdao_planning = Department.objects.get(code="planning", city_id=QINGDAO)
    assert set(department_approvers(jinan_planning)) == {in_city, in_county}
    assert set(department_approvers(qingdao_planning)) == {in_other_county}
    for user in (in_city, in_county):
        assert can_decide(user, planning_task)
        assert list(approval_task_queue(user=user)) == [planning_task]
    assert not can_decide(in_other_county, planning_task)
    assert not approval_task_queue(user=in_other_county).exists()
    decided = approval_task_decide(
        task_id=planning_task.pk, actor=in_county, decision="approve", permit_number="GH-1"
    )
    assert decided.state == ApprovalTask.State.APPROVED and decided.decided_by == in_county
