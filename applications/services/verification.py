"""Zero-certificate verification: open the record checks an application needs (the roll-up,
when the last one settles, is in `applications.handoffs`)."""

from __future__ import annotations

from govdata.records import Subject, face, record_service
from govdata.rules import required_checks
from govdata.services import checks_open

from ..models import Application


def _requests(application: Application, face_photo: str, in_person: bool) -> dict[str, dict]:
    services = required_checks(
        kind=application.kind, customer_type=application.customer_type, voltage=application.voltage
    )
    if in_person:  # a counter clerk saw the ID card and the person: no face check needed
        services = [service for service in services if service != face.CODE]
    # Only the face check puts the photo in its request.
    subject = Subject.of(application, photo=face_photo, supply_address=application.registry_address)
    return {service: record_service(service).request_for(subject) for service in services}


def verification_start(
    *, application: Application, face_consent: bool, face_photo: str, in_person: bool = False
) -> None:
    """In the submit transaction: one check row (and outbox row) per required record.
    Face recognition runs only with its own consent and a photo; otherwise it is declined and
    the applicant uploads the ID (or verifies at a counter) instead — never a dead end."""
    requests = _requests(application, face_photo, in_person)
    declined = () if (face_consent and face_photo) else (face.CODE,)
    checks_open(application_id=application.pk, requests=requests, declined=declined)
