"""Addresses the registry knows: a typed address is matched in the registry's form, and the
applicant may choose the supply address from the titles the registry holds for them."""

import pytest

from applications.models import Application
from govdata.mock import registry as reg
from portal.crypto import phone_digest
from portal.models import PersonalDataAccess, User
from tests.workflow import application_body

pytestmark = pytest.mark.django_db

WALK_IN = {
    "customer_type": "residential", "applicant_name": "赵敏", "id_number": reg.TENANT,
    "phone": "13905318888", "voltage": "low", "capacity_kva": "8", "supply_county": "370105",
    "data_sharing_consent": "on",
}  # fmt: skip


def _register_walk_in(client, clerk) -> User:
    client.force_login(clerk)
    registered = client.post(
        "/counter/register/",
        {"first_name": "赵敏", "phone": WALK_IN["phone"], "customer_type": "residential"},
    )
    assert registered.status_code == 302
    return User.objects.get(phone_hash=phone_digest(WALK_IN["phone"]))


@pytest.mark.parametrize("typed", ["和平路 3 号", "和平路３号", "天桥区 和平路3號"])
def test_a_walk_in_whose_typed_address_differs_only_in_form_is_verified_without_documents(
    client, clerk, typed, django_capture_on_commit_callbacks
):
    """The issue's case: the clerk chooses 天桥区 and types the road; the registry holds
    天桥区和平路3号 (赵敏's registered lease)."""
    walk_in = _register_walk_in(client, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(
            f"/counter/file/{walk_in.pk}/new_connection/", {**WALK_IN, "supply_address": typed}
        )
    assert filed.status_code == 302
    application = Application.objects.get(applicant=walk_in)
    assert application.supply_address == "天桥区和平路3号"  # kept in the registry's form
    assert application.state == "pending_acceptance"
    assert application.documents_requested == []
    assert not application.documents.exists()


def test_an_address_in_another_county_than_the_registrys_still_asks_for_the_proof(
    client, clerk, django_capture_on_commit_callbacks
):
    walk_in = _register_walk_in(client, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/counter/file/{walk_in.pk}/new_connection/",
            {**WALK_IN, "supply_county": "370102", "supply_address": "和平路3号"},
        )
    application = Application.objects.get(applicant=walk_in)
    assert application.supply_address == "历下区和平路3号"
    assert application.documents_requested == ["property_proof"]


def test_the_api_keeps_a_typed_address_in_the_registrys_form(api, applicant):
    body = application_body(supply_address=" 济南市 历下区泉城路１号 ")
    response = api(applicant).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 201, response.json()
    assert Application.objects.get(pk=response.json()["id"]).supply_address == "历下区泉城路1号"


# Choose your property


def _addresses(body: dict) -> set[str]:
    return {p["supply_address"] for p in body["properties"]}


def _held(owner: str) -> set[str]:
    return {t.address for t in reg.build_registry().properties_of(owner)}


def test_an_applicant_lists_their_own_titles_with_consent(api, applicant, gov_platform):
    response = api(applicant).post(
        "/api/v1/properties/", {"data_sharing_consent": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    properties = response.json()["properties"]
    assert {
        "supply_county": "370102",
        "supply_county_name": "历下区",
        "supply_address": "历下区泉城路1号",
    }.items() <= properties[0].items()
    assert gov_platform.calls == ["real_estate_holdings"]


def test_without_consent_the_registry_is_not_asked(api, applicant, gov_platform):
    response = api(applicant).post("/api/v1/properties/", {}, format="json")
    assert response.status_code == 400
    assert "data_sharing_consent" in response.json()
    assert gov_platform.calls == []


def test_an_applicant_cannot_ask_for_another_persons_titles(api, applicant, gov_platform):
    body = {"data_sharing_consent": True, "id_number": reg.TENANT, "applicant": 1}
    properties = api(applicant).post("/api/v1/properties/", body, format="json").json()
    assert _addresses(properties) == _held(reg.DEMO_RESIDENT)


def test_staff_other_than_the_counter_may_not_list_properties(
    api, engineer, supervisor, gov_platform
):
    for person in (engineer, supervisor):
        response = api(person).post(
            "/api/v1/properties/", {"data_sharing_consent": True}, format="json"
        )
        assert response.status_code == 403
    assert api().post("/api/v1/properties/", {}, format="json").status_code in (401, 403)
    assert gov_platform.calls == []


def test_a_clerk_lists_a_walk_ins_titles_by_the_card_and_the_view_is_logged(
    api, clerk, gov_platform
):
    walk_in = User.objects.create(username="walkin", role="applicant", phone="13905319999")
    body = {"data_sharing_consent": True, "applicant": walk_in.pk, "id_number": reg.FACE_MISMATCH}
    response = api(clerk).post("/api/v1/properties/", body, format="json")
    assert response.status_code == 200, response.json()
    assert _addresses(response.json()) == _held(reg.FACE_MISMATCH) >= {"市中区经十路88号"}
    logged = PersonalDataAccess.objects.get(actor=clerk)
    assert (logged.subject_id, logged.what) == (walk_in.pk, "counter_lookup")
    bad = api(clerk).post(
        "/api/v1/properties/", {**body, "id_number": "370105199211024049"}, format="json"
    )
    assert bad.status_code == 400 and "id_number" in bad.json()
    nobody = api(clerk).post("/api/v1/properties/", {"data_sharing_consent": True}, format="json")
    assert nobody.status_code == 400 and "applicant" in nobody.json()


def test_an_unreachable_registry_is_a_refusal_to_try_later(api, applicant, gov_platform):
    gov_platform.unavailable = {"real_estate_holdings"}
    response = api(applicant).post(
        "/api/v1/properties/", {"data_sharing_consent": True}, format="json"
    )
    assert response.status_code == 409


def test_the_filing_page_offers_the_titles_and_a_choice_fills_the_address(client, applicant):
    client.force_login(applicant)
    page = client.get("/applications/new/new_connection/").content.decode()
    assert 'hx-post="/applications/new/properties/"' in page
    refused = client.post("/applications/new/properties/", {})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    offered = client.post("/applications/new/properties/", {"data_sharing_consent": "on"})
    assert 'value="370102|历下区泉城路1号"' in offered.content.decode()
    form = {
        "customer_type": "residential", "phone": "13905310001", "voltage": "low",
        "capacity_kva": "8", "data_sharing_consent": "on", "continue": "1",
        "supply_property": "370102|历下区泉城路1号", "supply_county": "", "supply_address": "",
    }  # fmt: skip
    filed = client.post("/applications/new/new_connection/", form)
    assert filed.status_code == 302, filed.content.decode()[:3000]
    application = Application.objects.get(applicant=applicant)
    assert (application.supply_county_id, application.supply_address) == (
        "370102",
        "历下区泉城路1号",
    )


def test_the_counter_page_lists_only_for_a_walk_in_the_clerk_found(client, clerk, applicant):
    walk_in = _register_walk_in(client, clerk)
    offered = client.post(
        f"/counter/file/{walk_in.pk}/properties/",
        {"data_sharing_consent": "on", "id_number": reg.DEMO_RESIDENT},
    )
    assert 'value="370102|历下区泉城路1号"' in offered.content.decode()
    page = client.get(f"/counter/file/{walk_in.pk}/new_connection/").content.decode()
    assert f'hx-post="/counter/file/{walk_in.pk}/properties/"' in page
    stranger = client.post(
        f"/counter/file/{applicant.pk}/properties/", {"data_sharing_consent": "on"}
    )
    assert stranger.status_code == 404
