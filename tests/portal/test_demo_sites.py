"""Right after seed_demo, the demo enterprise has two building sites to try the temporary
supply with: one whose construction permit is valid, one whose permit has expired."""

import pytest

from applications.demo import DEMO_SITES
from applications.models import Application, Kind, State
from govdata.mock.registry import DEMO_PROJECT, SITE_PERMIT_EXPIRED, build_registry
from tests.workflow import step

pytestmark = pytest.mark.django_db


def test_the_demo_sites_are_the_mock_platforms_projects_of_the_enterprise():
    registry = build_registry()
    assert set(DEMO_SITES) == {DEMO_PROJECT, SITE_PERMIT_EXPIRED}
    valid = registry.permits_for(DEMO_PROJECT, "construction_permit")[0]
    expired = registry.permits_for(SITE_PERMIT_EXPIRED, "construction_permit")[0]
    assert (valid.status, expired.status) == ("valid", "expired")


def test_seed_demo_gives_the_enterprise_a_draft_per_site_once(demo_people):
    drafts = Application.objects.filter(
        applicant=demo_people["enterprise"], kind=Kind.TEMPORARY_SUPPLY, state=State.DRAFT
    )
    # seed_demo ran twice: still one draft per site.
    assert sorted(drafts.values_list("project_code", flat=True)) == sorted(DEMO_SITES)


def test_the_valid_site_passes_and_the_expired_one_asks_for_the_permit(
    demo_people, api, gov_platform, django_capture_on_commit_callbacks
):
    me = api(demo_people["enterprise"])
    states = {}
    for application in Application.objects.filter(
        applicant=demo_people["enterprise"], kind=Kind.TEMPORARY_SUPPLY
    ):
        with django_capture_on_commit_callbacks(execute=True):
            step(me, application.pk, "submit")
        application.refresh_from_db()
        states[application.project_code] = (application.state, application.documents_requested)
    assert states == {
        DEMO_PROJECT: ("pending_acceptance", []),
        SITE_PERMIT_EXPIRED: ("needs_documents", ["construction_permit"]),
    }
