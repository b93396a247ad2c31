"""The privacy findings of the trust issue, each reproduced as the attacker tried it and shown
refused: the account holder reading the record of whoever asks to take the account over, the
supervisors' downloads and usernames, views nobody recorded, and the counter's look-up."""

import pytest

from govdata.mock.registry import DEMO_RESIDENT
from portal.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

CONSENT_VIEW = {
    "id", "number", "kind", "state", "applicant_name", "available_transitions",
    "holder_answer", "answered_at",
}  # fmt: skip


def _document_url(application) -> str:
    document = application.documents.get()
    return f"/api/v1/applications/{application.pk}/documents/{document.pk}/"


def test_the_current_holder_sees_only_number_masked_name_and_decision_of_a_transfer(
    api, client, holder, transfer_awaiting_consent
):
    application = transfer_awaiting_consent
    body = api(holder).get(f"/api/v1/applications/{application.pk}/").json()
    assert set(body) == CONSENT_VIEW
    assert body["applicant_name"] == "张*"
    assert body["available_transitions"] == ["give_consent", "refuse_consent"]
    listed = api(holder).get("/api/v1/applications/").json()["results"]
    assert [set(row) for row in listed] == [CONSENT_VIEW]
    client.force_login(holder)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    for secret in (application.id_number, application.phone, "张伟", "id.pdf", "timeline"):
        assert secret not in page
    assert application.number in page and 'data-step="give_consent"' in page


def test_the_current_holder_cannot_download_the_applicants_id_card_scan(
    api, holder, transfer_awaiting_consent
):
    assert api(holder).get(_document_url(transfer_awaiting_consent)).status_code == 404


def test_the_current_holder_sees_nothing_of_a_draft_transfer(api, client, holder, draft_transfer):
    assert api(holder).get(f"/api/v1/applications/{draft_transfer.pk}/").status_code == 404
    assert api(holder).get(_document_url(draft_transfer)).status_code == 404
    assert api(holder).get("/api/v1/applications/").json()["results"] == []
    client.force_login(holder)
    assert client.get(f"/applications/{draft_transfer.pk}/").status_code == 404


def test_supervisors_cannot_download_documents_nor_see_usernames_built_from_phones(
    api, supervisor, applicant, transfer_awaiting_consent
):
    application = transfer_awaiting_consent
    client = api(supervisor)
    assert client.get(_document_url(application)).status_code == 404
    body = client.get(f"/api/v1/applications/{application.pk}/").json()
    text = str(body)
    assert applicant.username not in text and application.phone not in text
    assert application.id_number not in text and "id.pdf" not in text
    assert all(entry["actor"] != applicant.username for entry in body["timeline"])


def test_nobody_recorded_who_viewed_a_persons_data_now_the_person_sees_each_view(
    api, client, applicant, supervisor, engineer, transfer_awaiting_consent
):
    application = transfer_awaiting_consent
    api(applicant).get(f"/api/v1/applications/{application.pk}/")  # their own: not recorded
    assert not PersonalDataAccess.objects.exists()
    api(supervisor).get(f"/api/v1/applications/{application.pk}/")
    client.force_login(applicant)
    page = client.get("/my-data/views/").content.decode()
    assert page.count("data-access=") == 1
    assert application.number in page and "监督检查" in page
    api(engineer).get(_document_url(application))
    row = PersonalDataAccess.objects.first()
    assert (row.actor, row.role, row.what, row.purpose) == (
        engineer,
        "engineer",
        "document_download",
        "handling",
    )
    assert row.subject == applicant and row.application_id == application.pk
    assert row.unit == engineer.division.name
    page = client.get("/my-data/views/").content.decode()
    assert page.count("data-access=") == 2
    assert engineer.username not in page and supervisor.username not in page


def test_the_counter_search_no_longer_puts_the_id_number_in_the_url(
    client, clerk, transfer_awaiting_consent
):
    client.force_login(clerk)
    by_url = client.get(f"/counter/?q={DEMO_RESIDENT}").content.decode()
    assert "data-user=" not in by_url and 'method="get"' not in by_url
    posted = client.post("/counter/lookup/", {"q": DEMO_RESIDENT})
    page = posted.content.decode()
    assert posted.status_code == 200 and "data-user=" in page
    assert DEMO_RESIDENT not in page.replace(f'value="{DEMO_RESIDENT}"', "")
    assert transfer_awaiting_consent.phone not in page  # masked: filing needs no more


def test_a_clerks_look_up_of_any_applicant_by_id_number_is_throttled_and_logged(
    client, clerk, applicant, transfer_awaiting_consent, settings
):
    settings.COUNTER_LOOKUP_RATE = "3/h"
    client.force_login(clerk)
    for _ in range(3):
        assert client.post("/counter/lookup/", {"q": DEMO_RESIDENT}).status_code == 200
    assert client.post("/counter/lookup/", {"q": DEMO_RESIDENT}).status_code == 429
    rows = PersonalDataAccess.objects.filter(actor=clerk)
    assert rows.count() == 3
    assert {(r.subject_id, r.what, r.purpose) for r in rows} == {
        (applicant.pk, "counter_lookup", "counter_filing")
    }
    # Opening the filing form for the person found shows their name and mobile: recorded too.
    assert client.get(f"/counter/file/{applicant.pk}/new_connection/").status_code == 200
    assert PersonalDataAccess.objects.filter(actor=clerk).count() == 4


def test_the_current_holder_still_decides_from_the_consent_page(
    client, holder, transfer_awaiting_consent
):
    application = transfer_awaiting_consent
    client.force_login(holder)
    for action in ("mailing", "rating", "documents", "contract", "checks"):
        assert client.get(f"/applications/{application.pk}/{action}/").status_code in {404, 405}
    refused = client.post(f"/applications/{application.pk}/steps/withdraw/")
    assert refused.status_code in {400, 403} and application.phone not in refused.content.decode()
    taken = client.post(f"/applications/{application.pk}/steps/give_consent/")
    page = f"/applications/{application.pk}/"
    assert taken.status_code == 302 and taken["Location"] == page
    application.refresh_from_db()
    assert application.state != "consent_pending"
    # Once answered, a read-only status: no step, nothing of the applicant's record.
    answered = client.get(page).content.decode()
    assert 'id="consent-answered"' in answered and "data-step" not in answered
    assert application.phone not in answered and "张伟" not in answered
    for action in ("mailing", "rating", "documents", "contract", "checks"):
        assert client.get(f"{page}{action}/").status_code in {404, 405}
