import pytest

from tests.factories import new_application
from tests.workflow import FACE

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_state_and_steps_but_no_personal_data(
    client, applicant, engineer, django_capture_on_commit_callbacks
):
    from applications.services import application_transition

    application = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, name="submit", actor=applicant, payload=FACE
        )
    body = client.get(
        "/progress/", {"number": application.number, "check_code": application.check_code}
    ).content.decode()
    assert application.number in body and "待受理" in body and "信息核验中" in body
    assert "张伟" not in body and application.id_number not in body and "13905310001" not in body


def test_a_wrong_check_code_finds_nothing(client, applicant):
    application = new_application(applicant)
    wrong = "000000" if application.check_code != "000000" else "111111"
    body = client.get(
        "/progress/", {"number": application.number, "check_code": wrong}
    ).content.decode()
    assert "没有与该申请编号和查询码相符的申请" in body
    assert application.get_state_display() not in body.split("</form>")[1]
