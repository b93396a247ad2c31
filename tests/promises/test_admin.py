"""Operators edit the commitments in the admin; a version an application was filed under stays
as it was, and is changed by copying it as a new version."""

import pytest

from promises.models import ApplicationPromise, Commitment, CommitmentSet
from tests.factories import new_application

pytestmark = pytest.mark.django_db


def test_a_version_in_use_is_read_only_and_copied_to_change(
    client, operator, applicant, reference_data
):
    version = CommitmentSet.objects.get(version="2024-verified")
    client.force_login(operator)
    url = f"/admin/promises/commitmentset/{version.pk}/change/"
    editable = client.get(url).content.decode()
    assert 'name="commitments-0-limit_days"' in editable  # not in use yet: editable
    application = new_application(applicant)
    ApplicationPromise.objects.create(
        application=application, commitment_set=version, filed_at=application.created_at
    )
    kept = client.get(url).content.decode()
    assert 'name="commitments-0-limit_days"' not in kept
    response = client.post(
        "/admin/promises/commitmentset/",
        {"action": "copy_as_new_version", "_selected_action": [version.pk]},
        follow=True,
    )
    assert response.status_code == 200
    copy = CommitmentSet.objects.exclude(version__in=["2020-default", "2024-verified"]).get()
    assert copy.commitments.count() == version.commitments.count()
    assert copy.effective_from > version.effective_from
    # The copy is editable; the original's rows are untouched.
    assert (
        'name="commitments-0-limit_days"'
        in client.get(f"/admin/promises/commitmentset/{copy.pk}/change/").content.decode()
    )
    assert Commitment.objects.filter(commitment_set=version).count() == 19


def test_ledger_entries_cannot_be_added_or_deleted_in_the_admin(client, operator):
    client.force_login(operator)
    assert client.get("/admin/promises/ledgerentry/add/").status_code == 403
