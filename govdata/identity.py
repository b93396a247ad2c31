"""Real-name binding online: the person's name and ID number against the identity service, and
their face against the ID photo, asked of the government platform through its one client; on a
match the account is bound (`portal.identity`). The photo is sent once and never stored."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.errors import ConditionNotMet, InvalidInput
from portal.identity import (
    FACE_CONSENT_VERSION,
    credit_code_clean,
    enterprise_may_bind,
    identity_bind,
    identity_bind_enterprise,
    identity_clean,
    identity_may_bind,
    identity_required,
)
from portal.models import IdentityBinding

from .client import GovDataError, RecordAnswer, get_client
from .records import business_license, face, id_card, record_service
from .records.registry import Subject


def _ask(code: str, subject: Subject) -> tuple[bool, RecordAnswer]:
    """Whether one record service passes `subject`, and its answer."""
    service = record_service(code)
    try:
        answer = get_client().look_up(
            code, service.request_for(subject), subject=subject.id_number or subject.credit_code
        )
    except GovDataError as error:
        raise ConditionNotMet(
            _(
                "The government platform cannot be reached now. Try again later, or bind your "
                "account in person at a service hall counter."
            )
        ) from error
    passed, _reason = service.judge(answer.result)
    return passed, answer


def identity_verify_online(
    *, user, name: str, id_number: str, face_consent: bool, photo: str
) -> IdentityBinding:
    """Check name + ID and the face, then bind. The face check needs its own consent (sensitive
    personal data): without it the person binds at a counter instead."""
    name, id_number = identity_clean(name=name, id_number=id_number)
    errors = {}
    if not face_consent:
        errors["face_consent"] = [
            _(
                "The online binding needs your separate consent to the face check. Without it, "
                "bind your account in person at a service hall counter."
            )
        ]
    if not photo:
        errors["face_photo"] = [_("Take or choose a photo of your face.")]
    if errors:
        raise InvalidInput(errors)
    identity_may_bind(user=user, id_number=id_number)
    subject = Subject(applicant_name=name, id_number=id_number, photo=photo)
    matched, identity_answer = _ask(id_card.CODE, subject)
    if not matched:
        raise InvalidInput(
            {"id_number": [_("The name and ID number do not match the identity register.")]}
        )
    matched, face_answer = _ask(face.CODE, subject)
    if not matched:
        raise InvalidInput(
            {
                "face_photo": [
                    _(
                        "The face does not match the ID photo. Try again in good light, or bind "
                        "in person at a service hall counter."
                    )
                ]
            }
        )
    return identity_bind(
        user=user,
        name=name,
        id_number=id_number,
        method=IdentityBinding.Method.ONLINE_FACE,
        face_consent_version=FACE_CONSENT_VERSION,
        evidence=f"{identity_answer.request_id} {face_answer.request_id}",
    )


def enterprise_verify_online(*, user, credit_code: str) -> IdentityBinding:
    """Bind an enterprise account to its credit code: the licence must be in force and name the
    account's bound person as its legal representative. An agent who is not binds at a counter
    with the enterprise's authorisation."""
    enterprise_may_bind(user)
    credit_code = credit_code_clean(credit_code)
    person = identity_required(user)
    in_force, answer = _ask(business_license.CODE, Subject(credit_code=credit_code))
    if not in_force:
        raise InvalidInput(
            {"credit_code": [_("The platform has no business licence in force for this code.")]}
        )
    if answer.result.get("legal_representative") != person.name:
        raise InvalidInput(
            {
                "credit_code": [
                    _(
                        "The licence names another legal representative. An agent binds the "
                        "enterprise at a service hall counter with its authorisation letter."
                    )
                ]
            }
        )
    return identity_bind_enterprise(
        user=user,
        credit_code=credit_code,
        enterprise_name=answer.result.get("name", ""),
        method=IdentityBinding.Method.BUSINESS_LICENCE,
    )
