"""Matters filed together: a linked matter filed at the counter with another agency and its
status shown; a property sale the registry reports prepares a transfer for the buyer, who is
invited by SMS and confirms it in two steps."""

import pytest

from applications.models import Application, ElectricityAccount
from cofiling.models import LinkedMatter, PropertySale
from cofiling.services import matters_refresh, property_sales_poll
from portal.models import User
from tests.factories import new_application
from tests.helpers import sms_messages_to
from tests.workflow import FACE, sign, step

pytestmark = pytest.mark.django_db


def test_a_reported_sale_prepares_a_transfer_the_buyer_confirms_in_two_steps(
    api, sold_account, engineer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert property_sales_poll() == 2  # this sale, and the seeded one (no account here)
    sale = PropertySale.objects.get(sale_number="济不动产交易2026-009001")
    application = sale.application
    buyer = application.applicant
    assert sale.outcome == "prepared" and application.state == "draft"
    assert application.kind == "transfer" and application.account == sold_account
    assert buyer.phone == sale.buyer_phone and application.applicant_name == "王芳"
    (invitation,) = sms_messages_to(sale.buyer_phone)
    assert application.number in invitation.text
    # Polling again prepares nothing twice.
    assert property_sales_poll() == 0
    assert Application.objects.filter(kind="transfer").count() == 1

    # Step 1: the buyer confirms (consent, submit); the records are checked.
    me = api(buyer)
    url = f"/api/v1/applications/{application.pk}/prepared-transfer/confirm/"
    assert me.post(url, {"consent": False}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = me.post(url, {"consent": True, **FACE}, format="json")
    assert confirmed.json()["state"] == "verifying"
    application.refresh_from_db()
    assert application.state == "pending_acceptance" and application.consent_version
    assert me.post(url, {"consent": True}, format="json").status_code == 409
    # The utility accepts; the registry shows the buyer owns it: straight to the contract.
    with django_capture_on_commit_callbacks(execute=True):
        step(api(engineer), application.pk, "accept")
    application.refresh_from_db()
    assert application.state == "contract_pending"
    # Step 2: the buyer signs; the account is theirs.
    with django_capture_on_commit_callbacks(execute=True):
        sign(me, application.pk, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert application.state == "completed"
    assert ElectricityAccount.objects.get(pk=sold_account.pk).holder == buyer


def test_only_the_buyer_confirms(
    api, sold_account, applicant, holder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        property_sales_poll()
    application = PropertySale.objects.get(outcome="prepared").application
    url = f"/api/v1/applications/{application.pk}/prepared-transfer/confirm/"
    assert api(holder).post(url, {"consent": True}, format="json").status_code == 404
    assert api(applicant).post(url, {"consent": True}, format="json").status_code == 404
    ordinary = new_application(applicant)
    other = f"/api/v1/applications/{ordinary.pk}/prepared-transfer/confirm/"
    assert api(applicant).post(other, {"consent": True}, format="json").status_code == 403


def test_a_sale_without_an_account_prepares_nothing(platform, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        property_sales_poll()
    assert list(PropertySale.objects.values_list("outcome", flat=True)) == ["no_account"]
    assert not Application.objects.exists()
    assert not User.objects.filter(role="applicant").exists()


def test_the_counter_files_a_linked_matter_and_the_application_shows_its_status(
    api, client, applicant, clerk, engineer, platform, django_capture_on_commit_callbacks
):
    hall = {"channel": "counter", "service_hall": clerk.service_hall, "filed_by": clerk}
    application = new_application(applicant, **hall)
    url = f"/api/v1/applications/{application.pk}/linked-matters/"
    assert api(applicant).post(url, {"agency": "water"}, format="json").status_code == 403
    assert api(engineer).post(url, {"agency": "water"}, format="json").status_code == 403
    assert api(clerk).post(url, {"agency": "oil"}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(clerk).post(url, {"agency": "water"}, format="json")
    assert answer.status_code == 201
    matter = LinkedMatter.objects.get()
    assert matter.number == f"WA-{application.number}" and matter.status == "accepted"
    later = matter.checked_at + matters_refresh.__globals__["CHECK_EVERY"]
    with django_capture_on_commit_callbacks(execute=True):
        assert matters_refresh(now=later) == 1
    matter.refresh_from_db()
    assert matter.status == "in_progress"
    detail = api(applicant).get(f"/api/v1/applications/{application.pk}/").json()
    assert detail["linked_matters"] == [
        {"agency": "water", "number": matter.number, "status": "in_progress",
         "status_label": "In progress"}
    ]  # fmt: skip
    client.force_login(applicant)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert matter.number in page
