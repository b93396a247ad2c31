"""Who sees what, masking for supervisors, filters, and a list whose query count is flat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Kind
from portal.models import Role, ServiceHall
from tests.factories import make_user, new_application

pytestmark = pytest.mark.django_db


def ids(client, **params):
    response = client.get("/api/v1/applications/", params)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_each_role_sees_its_own_scope(
    api, applicant, enterprise_applicant, clerk, engineer, outsider, supervisor, approver
):
    mine = new_application(applicant)
    theirs = new_application(enterprise_applicant)
    at_counter = new_application(
        enterprise_applicant, channel="counter", service_hall=clerk.service_hall, filed_by=clerk
    )
    qingdao = new_application(
        applicant, supply_county_id="370202", supply_address="市南区香港中路1号"
    )
    assert ids(api(applicant)) == {mine.pk, qingdao.pk}
    assert ids(api(clerk)) == {at_counter.pk}
    assert ids(api(engineer)) == {mine.pk, theirs.pk, at_counter.pk}
    assert ids(api(outsider)) == {qingdao.pk}
    assert ids(api(supervisor)) == {mine.pk, theirs.pk, at_counter.pk, qingdao.pk}
    assert ids(api(approver)) == set()
    other_hall = make_user(
        "t_clerk2", Role.CLERK, service_hall=ServiceHall.objects.get(code="SH37020001")
    )
    assert ids(api(other_hall)) == set()


def test_supervisor_sees_personal_data_masked(api, applicant, supervisor):
    application = new_application(applicant)
    own = api(applicant).get(f"/api/v1/applications/{application.pk}/").json()
    masked = api(supervisor).get(f"/api/v1/applications/{application.pk}/").json()
    assert own["id_number"] == application.id_number and own["applicant_name"] == "张伟"
    assert masked["id_number"] == application.id_number[:4] + "*" * 10 + application.id_number[-4:]
    assert masked["applicant_name"] == "张*"
    assert masked["phone"] == "139****0001"
    assert masked["check_code"] is None and own["check_code"] == application.check_code


def test_filters_by_state_kind_channel_and_date(api, applicant, held_account):
    draft = new_application(applicant)
    transfer = new_application(
        applicant, kind=Kind.TRANSFER, account=held_account, channel="wechat"
    )
    client = api(applicant)
    assert ids(client, kind="transfer") == {transfer.pk}
    assert ids(client, channel="web") == {draft.pk}
    assert ids(client, state="draft") == {draft.pk, transfer.pk}
    assert ids(client, created_from="2000-01-01", created_to="2000-01-02") == set()
    assert client.get("/api/v1/applications/", {"state": "nonsense"}).status_code == 400


def count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/applications/").status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_1_and_50(api, applicant, supervisor):
    new_application(applicant)
    one = count_list_queries(api(supervisor))
    for _ in range(49):
        new_application(applicant)
    fifty = count_list_queries(api(supervisor))
    assert one == fifty


def test_me_names_the_user_and_roles(api, clerk):
    body = api(clerk).get("/api/v1/me/").json()
    assert body["username"] == "t_clerk" and body["roles"] == ["clerk"]
    assert api().get("/api/v1/me/").status_code == 401


def test_a_token_signs_a_channel_in(client, applicant):
    from tests.factories import PASSWORD

    response = client.post("/api/v1/auth/token/", {"username": "t_resident", "password": PASSWORD})
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == "t_resident"
    assert (
        client.post("/api/v1/auth/token/", {"username": "t_resident", "password": "x"}).status_code
        == 400
    )
