"""Fixtures of the temporary-supply clock tests."""

from datetime import date

import pytest

from applications.models import Application, Kind, SiteSupply, State
from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_PROJECT
from portal.models import CustomerType
from tests.factories import new_application


@pytest.fixture
def site(enterprise_applicant, engineer, outsider):
    """A temporary supply that is on, ending Friday 9 October 2026."""
    application = new_application(
        enterprise_applicant,
        kind=Kind.TEMPORARY_SUPPLY,
        customer_type=CustomerType.ENTERPRISE,
        applicant_name="济南泉能科技有限公司",
        id_number="",
        credit_code=DEMO_ENTERPRISE,
        project_code=DEMO_PROJECT,
        details={
            "starts_on": date(2026, 6, 1),
            "ends_on": date(2026, 10, 9),
            "contact_name": "王建国",
            "contact_phone": "13905310077",
        },
    )
    Application.objects.filter(pk=application.pk).update(state=State.ENERGIZED)
    return SiteSupply.objects.get(application=application)
