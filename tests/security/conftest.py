"""A transfer waiting for the current holder's consent, with the applicant's ID-card scan."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from applications.models import DocumentType, Kind
from applications.services import document_add
from approvals.models import ApprovalTask, OverdueItem
from portal.models import Department, Division, Role, ServiceHall
from tests.factories import JINAN_HALL, ask_for, make_user, new_application
from tests.workflow import TO_ACCEPTED, drive, to_permitting


@pytest.fixture(autouse=True)
def _platform(reference_data, gov_platform):
    """The province's divisions loaded; the government platform answering in process."""


@pytest.fixture
def draft_transfer(applicant, held_account):
    """A transfer of `held_account` filed at a Jinan hall, with the applicant's ID-card scan."""
    application = new_application(
        applicant,
        kind=Kind.TRANSFER,
        account=held_account,
        service_hall=ServiceHall.objects.get(code=JINAN_HALL),
    )
    scan = SimpleUploadedFile("id.pdf", b"%PDF-1.7\n" + b"0" * 200, content_type="application/pdf")
    ask_for(application, DocumentType.ID_CARD)
    document_add(
        application=application, actor=applicant, doc_type=DocumentType.ID_CARD, upload=scan
    )
    return application


@pytest.fixture
def transfer_awaiting_consent(
    draft_transfer, applicant, engineer, django_capture_on_commit_callbacks
):
    """The draft transfer submitted and accepted: the registry cannot prove ownership, so it
    waits for the current holder's consent."""
    people = {"applicant": applicant, "engineer": engineer}
    for step in TO_ACCEPTED:  # the ownership is looked up once accepted, after commit
        with django_capture_on_commit_callbacks(execute=True):
            drive(draft_transfer, [step], people)
    draft_transfer.refresh_from_db()
    assert draft_transfer.state == "consent_pending"
    return draft_transfer


@pytest.fixture
def overdue_item(applicant, engineer, django_capture_on_commit_callbacks):
    """An overdue planning task of another application of the same applicant (a 400 m line
    crossing nothing: planning is the only department asked)."""
    call_command("loaddata", "departments", verbosity=0)
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, crosses_urban_road=False
    )
    task = ApprovalTask.objects.get(application=application, department__code="planning")
    return OverdueItem.objects.create(task=task)


@pytest.fixture
def intruders(holder, outsider, supervisor, qingdao) -> dict:
    """Everyone with no business with the applicant's data, by who they are (None: nobody)."""
    return {
        "another applicant": make_user(
            "t_other_resident", Role.APPLICANT, customer_type="residential"
        ),
        "the account holder of the transfer": holder,
        "a clerk of another hall": make_user(
            "t_clerk_qingdao", Role.CLERK, service_hall=ServiceHall.objects.get(code="SH37020001")
        ),
        "an engineer of another city": outsider,
        "an approver of another department": make_user(
            "t_approver_housing",
            Role.APPROVER,
            department=Department.HOUSING,
            division=Division.objects.get(code="370100"),
        ),
        "a supervisor": supervisor,
        "nobody": None,
    }
