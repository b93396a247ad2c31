"""Issue #12, real-name accounts: "Anyone can file with somebody else's ID number: the account
is not bound to a verified person." """

import pytest

from applications.models import Application
from govdata.mock.registry import DEMO_RESIDENT, NO_TITLE
from tests.factories import UserFactory
from tests.workflow import FACE, application_body

pytestmark = pytest.mark.django_db


def test_filing_with_somebody_elses_id_number_is_refused(api, applicant, gov_platform):
    # The attacker's account is bound to them (王芳); they file as the demo resident 张伟.
    attacker = UserFactory(identity={"name": "王芳", "id_number": NO_TITLE})
    response = api(attacker).post(
        "/api/v1/applications/",
        application_body(applicant_name="张伟", id_number=DEMO_RESIDENT),
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert "id_number" in response.json() and "applicant_name" in response.json()
    # An account bound to nobody cannot file at all: it is told to bind first.
    stranger = UserFactory(identity=False)
    refused = api(stranger).post("/api/v1/applications/", application_body(), format="json")
    assert refused.status_code == 409
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "/account/identity/" in refused.json()["detail"]
    # Nor can it bind itself to 张伟, whose ID number is bound to his own account.
    bind = api(stranger).post(
        "/api/v1/identity/",
        {"name": "张伟", "id_number": DEMO_RESIDENT, **FACE},
        format="json",
    )
    assert bind.status_code == 400 and "id_number" in bind.json()
    assert gov_platform.calls == []  # refused before the platform was asked
    assert not Application.objects.exists()
