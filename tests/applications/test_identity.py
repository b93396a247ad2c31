"""Real-name accounts: binding online (identity service + face match, with its own consent), in
person at a counter, an enterprise through its licence; unbinding by a supervisor; filing with
the bound identity, or for another person with their authorisation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, DocumentType
from govdata.mock.registry import (
    DEMO_ENTERPRISE,
    DEMO_LEGAL_REP,
    DEMO_RESIDENT,
    FACE_MISMATCH,
    NO_TITLE,
)
from govdata.mock.registry import REVOKED_COMPANY as REVOKED
from notifications.models import SmsMessage
from portal.identity import FACE_CONSENT_VERSION, identity_of
from portal.models import IdentityBinding
from tests.factories import UserFactory
from tests.helpers import sms_messages_to
from tests.workflow import FACE, application_body

pytestmark = pytest.mark.django_db

WANG_FANG = {"name": "王芳", "id_number": NO_TITLE}


def bind(client, expect=201, **body):
    response = client.post("/api/v1/identity/", {**WANG_FANG, **FACE, **body}, format="json")
    assert response.status_code == expect, response.json()
    return response.json()


def test_an_applicant_binds_online_with_a_face_match_and_separate_consent(api, gov_platform):
    person = UserFactory(identity=False)
    client = api(person)
    assert client.get("/api/v1/identity/").json()["bound"] is False
    body = bind(client)
    assert body["bound"] and body["method"] == "online_face" and body["name"] == "王芳"
    assert body["id_number"] != NO_TITLE  # shown masked
    binding = identity_of(person)
    assert binding.id_number == NO_TITLE and binding.face_consent_version == FACE_CONSENT_VERSION
    assert binding.face_consent_at is not None and binding.evidence
    assert gov_platform.calls == ["id_card", "face"]
    # Bound once: the applicant cannot change it.
    again = bind(client, expect=409, name="张伟", id_number=DEMO_RESIDENT)
    assert "supervisor" in again["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"face_consent": False}, "face_consent"),
        ({"face_photo": ""}, "face_photo"),
        ({"id_number": "370102199001011234"}, "id_number"),
        ({"name": ""}, "name"),
    ],
)
def test_binding_without_consent_photo_or_valid_id_is_refused_before_any_call(
    api, gov_platform, body, field
):
    person = UserFactory(identity=False)
    assert field in bind(api(person), expect=400, **body)
    assert gov_platform.calls == [] and identity_of(person) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "张三"}, "id_number"),  # the name does not go with the ID number
        ({"name": "李强", "id_number": FACE_MISMATCH}, "face_photo"),
    ],
)
def test_a_mismatch_on_the_platform_leaves_the_account_unbound(api, gov_platform, body, field):
    person = UserFactory(identity=False)
    assert field in bind(api(person), expect=400, **body)
    assert identity_of(person) is None


def test_an_unavailable_platform_points_to_the_counter(api, gov_platform):
    gov_platform.unavailable.add("id_card")
    assert "counter" in bind(api(UserFactory(identity=False)), expect=409)["detail"]


def test_only_applicants_have_a_binding(api, clerk, supervisor):
    for user in (clerk, supervisor):
        assert api(user).get("/api/v1/identity/").status_code == 403
        assert api(user).post("/api/v1/identity/", WANG_FANG, format="json").status_code == 403
    assert api().get("/api/v1/identity/").status_code == 401


def test_an_enterprise_is_bound_through_its_legal_representative(api, gov_platform):
    li_na = UserFactory(enterprise=True, identity={"name": "李娜", "id_number": DEMO_LEGAL_REP})
    client = api(li_na)
    response = client.post(
        "/api/v1/identity/enterprise/", {"credit_code": DEMO_ENTERPRISE}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["enterprise_name"] == "济南泉能科技有限公司"
    assert identity_of(li_na).enterprise_method == IdentityBinding.Method.BUSINESS_LICENCE
    # Bound once.
    again = client.post("/api/v1/identity/enterprise/", {"credit_code": DEMO_ENTERPRISE})
    assert again.status_code == 409


def test_an_enterprise_binding_is_refused_to_others(api, gov_platform, applicant):
    agent = UserFactory(enterprise=True, identity={"name": "周杰", "id_number": FACE_MISMATCH})
    post = api(agent).post
    not_rep = post("/api/v1/identity/enterprise/", {"credit_code": DEMO_ENTERPRISE})
    assert not_rep.status_code == 400 and "counter" in not_rep.json()["credit_code"][0]
    revoked = post("/api/v1/identity/enterprise/", {"credit_code": REVOKED})
    assert revoked.status_code == 400 and "credit_code" in revoked.json()
    unbound = UserFactory(enterprise=True, identity=False)
    assert (
        api(unbound).post("/api/v1/identity/enterprise/", {"credit_code": DEMO_ENTERPRISE})
    ).status_code == 409
    resident = api(applicant).post("/api/v1/identity/enterprise/", {"credit_code": REVOKED})
    assert resident.status_code == 403


def test_a_clerk_binds_a_walk_in_in_person(api, clerk, engineer, applicant):
    walk_in = UserFactory(identity=False)
    body = {"applicant": walk_in.pk, **WANG_FANG}
    assert api(engineer).post("/api/v1/identity/counter/", body).status_code == 403
    missing = {**body, "applicant": clerk.pk}
    assert api(clerk).post("/api/v1/identity/counter/", missing).status_code == 404
    taken = {**body, "name": "张伟", "id_number": DEMO_RESIDENT}  # bound to `applicant`
    response = api(clerk).post("/api/v1/identity/counter/", taken)
    assert response.status_code == 400 and "id_number" in response.json()
    response = api(clerk).post("/api/v1/identity/counter/", body)
    assert response.status_code == 201, response.json()
    assert clerk.service_hall.name in response.json()["how"]
    binding = identity_of(walk_in)
    assert binding.method == "counter" and binding.verified_by == clerk
    assert api(clerk).post("/api/v1/identity/counter/", body).status_code == 409


def test_only_a_supervisor_unbinds_with_a_reason(api, applicant, clerk, supervisor):
    body = {"user": applicant.pk, "reason": "ID card reported stolen"}
    for user in (applicant, clerk):
        assert api(user).post("/api/v1/identity/unbind/", body).status_code == 403
    no_reason = api(supervisor).post("/api/v1/identity/unbind/", {"user": applicant.pk})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert api(supervisor).post("/api/v1/identity/unbind/", body).status_code == 200
    assert identity_of(applicant) is None
    ended = IdentityBinding.objects.get(user=applicant)
    assert ended.unbound_by == supervisor and ended.unbind_reason == body["reason"]
    assert api(supervisor).post("/api/v1/identity/unbind/", body).status_code == 409
    unknown = {**body, "user": clerk.pk}  # not an applicant
    assert api(supervisor).post("/api/v1/identity/unbind/", unknown).status_code == 404


def test_filing_for_oneself_takes_the_bound_identity(api, applicant):
    body = application_body()
    del body["applicant_name"], body["id_number"]
    response = api(applicant).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 201, response.json()
    application = Application.objects.get()
    assert (application.applicant_name, application.id_number) == ("张伟", DEMO_RESIDENT)
    assert not application.filed_for_other


def test_an_unbound_applicant_is_told_to_bind_in_their_language(api):
    stranger = UserFactory(identity=False)
    english = api(stranger).post("/api/v1/applications/", application_body(), format="json")
    chinese = api(stranger, language="zh-hans").post(
        "/api/v1/applications/", application_body(), format="json"
    )
    assert english.status_code == chinese.status_code == 409
    assert "Bind it first" in english.json()["detail"]
    assert "绑定" in chinese.json()["detail"]


def authorisation():
    return SimpleUploadedFile("auth.pdf", b"%PDF-1.7\nsigned", content_type="application/pdf")


def test_filing_for_another_person_needs_their_authorisation_and_tells_them(
    api, applicant, django_capture_on_commit_callbacks
):
    other = {"applicant_name": "王芳", "id_number": NO_TITLE, "phone": "13905318888"}
    body = {**application_body(**other), "for_other": "true"}
    client = api(applicant)
    missing = client.post("/api/v1/applications/", body)
    assert missing.status_code == 400 and "authorisation" in missing.json()
    me = client.post(
        "/api/v1/applications/",
        {**body, "id_number": DEMO_RESIDENT, "authorisation": authorisation()},
    )
    assert me.status_code == 400 and "id_number" in me.json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/applications/", {**body, "authorisation": authorisation()})
    assert response.status_code == 201, response.json()
    application = Application.objects.get()
    assert application.filed_for_other and application.id_number == NO_TITLE
    assert application.applicant == applicant
    assert application.documents.get().doc_type == DocumentType.AUTHORISATION
    (sms,) = [m for m in SmsMessage.objects.all() if m.phone == "13905318888"]  # encrypted
    assert application.number in sms.text


def test_a_clerk_filing_for_a_walk_in_binds_them_in_person(api, clerk, applicant):
    walk_in = UserFactory(identity=False)
    body = application_body(
        applicant=walk_in.pk, **{"applicant_name": "王芳", "id_number": NO_TITLE}
    )
    response = api(clerk).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 201, response.json()
    binding = identity_of(walk_in)
    assert binding.method == "counter" and binding.service_hall == clerk.service_hall
    # Another walk-in with the same ID number is refused; the bound one files as bound.
    second = UserFactory(identity=False)
    refused = api(clerk).post(
        "/api/v1/applications/", {**body, "applicant": second.pk}, format="json"
    )
    assert refused.status_code == 400 and "id_number" in refused.json()
    assert identity_of(second) is None
    mismatch = {**body, "applicant": applicant.pk}  # bound to 张伟, not 王芳
    assert api(clerk).post("/api/v1/applications/", mismatch, format="json").status_code == 400


def test_the_identity_page_binds_and_then_only_shows_the_binding(client, gov_platform):
    person = UserFactory(identity=False)
    client.force_login(person)
    new = client.get("/applications/new/new_connection/")
    assert new.status_code == 302 and new["Location"] == "/account/identity/"
    page = client.get("/account/identity/").content.decode()
    assert FACE_CONSENT_VERSION in page and 'name="face_consent"' in page
    photo = SimpleUploadedFile("me.jpg", b"\xff\xd8\xff" + b"x" * 64, content_type="image/jpeg")
    refused = client.post("/account/identity/bind/", {**WANG_FANG, "face_photo": photo})
    assert refused.status_code == 400 and 'id="id_face_consent-error"' in refused.content.decode()
    photo.seek(0)
    done = client.post(
        "/account/identity/bind/", {**WANG_FANG, "face_consent": "on", "face_photo": photo}
    )
    assert done.status_code == 302
    shown = client.get("/account/identity/").content.decode()
    assert 'id="bound-how"' in shown and 'name="face_consent"' not in shown
    form = client.get("/applications/new/new_connection/").content.decode()
    assert "王芳" in form and "disabled" in form


def test_identity_pages_are_for_applicants(client, clerk):
    client.force_login(clerk)
    assert client.get("/account/identity/").status_code == 403
    assert client.post("/account/identity/bind/", WANG_FANG).status_code == 403
    assert client.post("/account/identity/enterprise/", {}).status_code == 403


def test_a_clerk_binds_in_person_from_the_counter_page(client, clerk, engineer, applicant):
    walk_in = UserFactory(identity=False, phone="13905317778")
    client.force_login(clerk)
    url = f"/counter/identity/{walk_in.pk}/"
    assert client.get(url).status_code == 404  # not found by this clerk yet
    found = client.post("/counter/lookup/", {"q": "13905317778"}).content.decode()
    assert f'href="/counter/identity/{walk_in.pk}/"' in found
    taken = client.post(url, {"name": "张伟", "id_number": DEMO_RESIDENT})
    assert taken.status_code == 400 and 'id="id_id_number-error"' in taken.content.decode()
    done = client.post(url, WANG_FANG)
    assert done.status_code == 302 and identity_of(walk_in).verified_by == clerk
    # Found by the bound ID number now, with no link to bind again.
    found = client.post("/counter/lookup/", {"q": NO_TITLE}).content.decode()
    assert f'data-user="{walk_in.pk}"' in found and url not in found
    assert 'id="bound-how"' in client.get(url).content.decode()
    assert client.get(f"/counter/identity/{engineer.pk}/").status_code == 404
    for person in (applicant, engineer):
        client.force_login(person)
        assert client.post(url, WANG_FANG).status_code == 403


def test_the_page_files_for_another_person_with_their_authorisation(
    client, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    url = "/applications/new/new_connection/?for=other"
    form = client.get(url).content.decode()
    assert 'name="authorisation"' in form and 'name="for_other"' in form
    typed = {
        "customer_type": "residential", "applicant_name": "王芳", "id_number": NO_TITLE,
        "phone": "13905318889", "voltage": "low", "capacity_kva": "8",
        "supply_county": "370102", "supply_address": "历下区泉城路1号",
        "data_sharing_consent": "on", "for_other": "True", "continue": "1",
    }  # fmt: skip
    missing = client.post(url, typed)
    assert missing.status_code == 400 and 'id="id_authorisation-error"' in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(url, {**typed, "authorisation": authorisation()})
    assert filed.status_code == 302, filed.content.decode()[:2000]
    application = Application.objects.get()
    assert application.filed_for_other and application.applicant_name == "王芳"
    assert sms_messages_to("13905318889")


def test_an_unbound_applicant_is_asked_to_bind_on_their_list(client, api):
    stranger = UserFactory(identity=False)
    client.force_login(stranger)
    assert 'id="bind-first"' in client.get("/applications/").content.decode()
    assert api(stranger).get("/api/v1/me/").json()["identity_bound"] is False


def test_an_operator_ends_a_binding_in_the_admin_and_cannot_edit_one(client, applicant):
    operator = UserFactory(operator=True)
    client.force_login(operator)
    binding = identity_of(applicant)
    changelist = "/admin/portal/identitybinding/"
    assert client.get(changelist).status_code == 200
    assert client.get(f"{changelist}add/").status_code == 403
    done = client.post(changelist, {"action": "unbind", "_selected_action": [binding.pk]})
    assert done.status_code == 302
    binding.refresh_from_db()
    assert binding.unbound_by == operator and identity_of(applicant) is None


def test_a_typed_identity_other_than_the_bound_one_is_refused_in_the_language_asked(api, applicant):
    body = application_body(applicant_name="王芳", id_number=NO_TITLE)
    chinese = api(applicant, language="zh-hans").post("/api/v1/applications/", body, format="json")
    assert chinese.status_code == 400 and "代他人申请" in chinese.json()["id_number"][0]
    english = api(applicant).post("/api/v1/applications/", body, format="json")
    assert "another person" in english.json()["applicant_name"][0]
