import pytest
from django.core.exceptions import ValidationError

from portal.models import Department, Role, ServiceHall, User

pytestmark = pytest.mark.django_db


def test_role_fixtures_carry_their_scopes(
    applicant, clerk, engineer, approver, supervisor, outsider
):
    assert applicant.roles == ["applicant"] and applicant.customer_type == "residential"
    assert clerk.service_hall.division.code == "370100"
    assert engineer.division.code == "370100"
    assert approver.department == Department.PLANNING and approver.division.code == "370100"
    assert supervisor.roles == ["supervisor"]
    assert outsider.division.code == "370200"


@pytest.mark.parametrize(
    ("role", "missing"),
    [
        (Role.CLERK, "service_hall"),
        (Role.ENGINEER, "division"),
        (Role.APPROVER, "department"),
        (Role.APPLICANT, "customer_type"),
    ],
)
def test_a_role_without_its_scope_is_refused(role, missing, jinan):
    fields = {
        Role.CLERK: {},
        Role.ENGINEER: {},
        Role.APPROVER: {"division": jinan},
        Role.APPLICANT: {},
    }[role]
    user = User(username="x", role=role, **fields)
    user.set_unusable_password()
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert missing in error.value.message_dict


def test_a_scope_the_role_does_not_use_is_refused(jinan):
    user = User(
        username="x",
        role=Role.SUPERVISOR,
        service_hall=ServiceHall.objects.first(),
    )
    user.set_unusable_password()
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "service_hall" in error.value.message_dict
