"""Moving applications through their workflow in tests: the steps (with who takes them) that
bring an application to a given state, taking a step through the API, the body of a new
application, and running calls at the same moment."""

import threading
from datetime import datetime
from decimal import Decimal

from django.db import close_old_connections, connection

from applications.models import Application
from applications.services import application_transition
from govdata.mock import registry as reg
from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_PROJECT, DEMO_RESIDENT
from surveys.services import survey_slots_free
from tests.factories import new_application
from tests.helpers import sms_code

FACE = {"face_consent": True, "face_photo": "data:image/jpeg;base64," + "A" * 64}


class _FirstFreeSlot:
    """In a `drive` step's payload: the first free survey slot of the application driven."""

    def __repr__(self) -> str:
        return "SLOT"


SLOT = _FirstFreeSlot()


def first_free_slot(application: Application | int) -> datetime:
    if not isinstance(application, Application):
        application = Application.objects.select_related("supply_county").get(pk=application)
    return survey_slots_free(application.supply_county)[0].start


TO_ACCEPTED = [("submit", "applicant", FACE), ("accept", "engineer", {})]
TO_SCHEME = TO_ACCEPTED + [
    ("schedule_survey", "applicant", {"slot": SLOT}),
    ("complete_survey", "engineer", {"line_length_m": 400, "crosses_urban_road": True}),
]

# An enterprise whose business licence the platform reports revoked.
REVOKED = {
    "customer_type": "enterprise",
    "applicant_name": "济南旧城商贸有限公司",
    "id_number": "",
    "credit_code": reg.REVOKED_COMPANY,
    "supply_county_id": "370112",
    "supply_address": "历城区工业南路77号",
}


def drive(application, steps, people):
    """Take `steps` — (transition, who, payload) — with `people[who]` as the actor."""
    for name, who, payload in steps:
        if payload.get("slot") is SLOT:
            payload = {**payload, "slot": first_free_slot(application)}
        application_transition(
            application_id=application.pk, name=name, actor=people.get(who), payload=payload
        )
    application.refresh_from_db()
    return application


def to_permitting(applicant, engineer, callbacks, **survey):
    """A new application of `applicant` waiting for its permits (surveyed: 400 m crossing an
    urban road, unless `survey` says otherwise); `callbacks` is
    django_capture_on_commit_callbacks."""
    application = new_application(applicant)
    people = {"applicant": applicant, "engineer": engineer}
    with callbacks(execute=True):
        drive(application, TO_ACCEPTED[:1], people)
    facts = {"line_length_m": 400, "crosses_urban_road": True, **survey}
    survey_steps = [
        ("schedule_survey", "applicant", {"slot": SLOT}),
        ("complete_survey", "engineer", facts),
    ]
    drive(application, TO_ACCEPTED[1:] + survey_steps, people)
    with callbacks(execute=True):
        drive(application, [("confirm_scheme", "applicant", {})], people)
    return application


HIGH = {
    "customer_type": "enterprise",
    "applicant_name": "济南泉能科技有限公司",
    "id_number": "",
    "credit_code": DEMO_ENTERPRISE,
    "voltage": "high",
    "capacity_kva": Decimal("630"),
    "project_code": DEMO_PROJECT,
    "supply_address": "历下区经十路9号",  # the enterprise's title in the registry
}


def surveyed(applicant, engineer, callbacks, line_length_m=0, **fields):
    """An application of `applicant` with its survey recorded (no external line unless said)."""
    application = new_application(applicant, **fields)
    people = {"applicant": applicant, "engineer": engineer}
    with callbacks(execute=True):
        drive(application, TO_ACCEPTED[:1], people)
    application.refresh_from_db()
    assert application.state == "pending_acceptance", application.documents_requested
    return drive(
        application,
        [
            *TO_ACCEPTED[1:],
            ("schedule_survey", "applicant", {"slot": SLOT}),
            ("complete_survey", "engineer", {"line_length_m": line_length_m}),
        ],
        people,
    )


TRANSFER = {"kind": "transfer", "capacity_kva": None, "supply_county": None, "supply_address": None}


def filed(client, account, **overrides):
    body = application_body(**{**TRANSFER, "account_number": account.number, **overrides})
    response = client.post("/api/v1/applications/", body, format="json")
    return response


def to_settlement(api, applicant, holder, account, engineer, callbacks) -> int:
    """A transfer of `account` waiting for its arrears to be settled (the holder consented)."""
    me = api(applicant)
    response = filed(me, account)
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    with callbacks(execute=True):
        step(me, pk, "submit", **FACE)
    # The buyer does not own the account's address in the registry yet: a title is asked for.
    supply_asked_documents(me, pk)
    with callbacks(execute=True):
        step(api(engineer), pk, "accept")
    assert step(api(holder), pk, "give_consent")["state"] == "settlement_pending"
    return pk


def to_contract(applicant, engineer, callbacks):
    """A new connection of `applicant` without external works, waiting for the contract."""
    application = new_application(applicant)
    people = {"applicant": applicant, "engineer": engineer}
    with callbacks(execute=True):
        drive(application, TO_ACCEPTED[:1], people)
    drive(
        application,
        TO_ACCEPTED[1:]
        + [
            ("schedule_survey", "applicant", {"slot": SLOT}),
            ("complete_survey", "engineer", {"line_length_m": 0}),
            ("confirm_scheme", "applicant", {}),
        ],
        people,
    )
    assert application.state == "contract_pending"
    return application


def step(client, application_id, name, expect=200, **payload):
    """Take a step through the API; the response must have status `expect`."""
    response = client.post(
        f"/api/v1/applications/{application_id}/transitions/{name}/", payload, format="json"
    )
    assert response.status_code == expect, (name, response.status_code, response.json())
    return response.json()


def supply_asked_documents(client, application_id) -> dict:
    """Upload a scan for each document asked for (if any) and send the application on."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/v1/applications/{application_id}/"
    body = client.get(url).json()
    if body["state"] != "needs_documents":
        return body
    for doc_type in body["documents_requested"]:
        upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
        response = client.post(f"{url}documents/", {"doc_type": doc_type, "file": upload})
        assert response.status_code == 201, response.json()
    return step(client, application_id, "supply_documents")


def sign(client, application_id, callbacks):
    """Sign the contract as the applicant does: ask for the code, read it off the SMS."""
    with callbacks(execute=True):
        sent = client.post(f"/api/v1/applications/{application_id}/contract/code/")
    assert sent.status_code == 202, sent.json()
    code = sms_code()
    return step(client, application_id, "sign_contract", sms_code=code)


def application_body(**overrides) -> dict:
    """The API body of a resident's new connection."""
    return {
        "kind": "new_connection",
        "applicant_name": "张伟",
        "id_number": DEMO_RESIDENT,
        "phone": "13905310001",
        "voltage": "low",
        "capacity_kva": "10",
        "supply_county": "370102",
        "supply_address": "历下区泉城路1号",
        "data_sharing_consent": True,
        **overrides,
    }


def race(*calls):
    """Run the calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = ("ok", call())
        except Exception as exc:  # the loser's error is the result
            results[i] = ("error", exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results
