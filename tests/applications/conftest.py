from unittest import mock

import pytest

from applications.models import Application, Kind
from portal.models import Role, ServiceHall
from tests.factories import JINAN_HALL, make_account, make_user, new_application
from tests.workflow import FACE, TO_ACCEPTED, drive, step, to_contract


@pytest.fixture(autouse=True)
def _divisions(reference_data):
    """Applications need the province's divisions for their supply address."""


@pytest.fixture(autouse=True)
def _in_process_platform(gov_platform):
    """Unit tests of applications never reach for HTTP: the platform answers in process."""


@pytest.fixture
def ownership_shown():
    with mock.patch("applications.handoffs.ownership_provable", return_value=True) as double:
        yield double


@pytest.fixture
def operator(db):
    return make_user("t_operator", Role.OPERATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def ready(applicant, engineer, django_capture_on_commit_callbacks):
    """A new connection without external works, waiting for the contract."""
    return to_contract(applicant, engineer, django_capture_on_commit_callbacks)


@pytest.fixture
def allow_async_unsafe(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def people(applicant, engineer, holder, supervisor):
    return {
        "applicant": applicant,
        "engineer": engineer,
        "holder": holder,
        "supervisor": supervisor,
    }


@pytest.fixture
def cases(people, held_account, django_capture_on_commit_callbacks):
    """A draft new connection, an accepted new connection and an accepted-then-routed transfer."""
    draft = new_application(people["applicant"])
    accepted = new_application(people["applicant"])
    with django_capture_on_commit_callbacks(execute=True):
        drive(accepted, TO_ACCEPTED[:1], people)
    drive(accepted, TO_ACCEPTED[1:], people)
    transfer = new_application(people["applicant"], kind=Kind.TRANSFER, account=held_account)
    return {"draft": draft, "accepted": accepted, "transfer": transfer}


@pytest.fixture
def own_account(applicant, jinan):
    """An account the resident applicant holds (what a capacity increase starts from)."""
    return make_account(applicant, "37010200000031", "张伟", "历下区泉城路1号")


@pytest.fixture
def transfer_asking_title(
    api, applicant, held_account, django_capture_on_commit_callbacks
) -> Application:
    """A transfer filed at a Jinan hall whose buyer the registry does not show as the owner:
    a title proof is asked for."""
    hall = ServiceHall.objects.get(code=JINAN_HALL)
    application = new_application(
        applicant, kind=Kind.TRANSFER, account=held_account, service_hall=hall,
        supply_county_id=held_account.county_id, supply_address=held_account.address,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        step(api(applicant), application.pk, "submit", **FACE)
    application.refresh_from_db()
    assert application.state == "needs_documents"
    assert application.documents_requested == ["property_proof"]
    return application
