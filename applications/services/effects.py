"""What steps set going inside their transaction (the `after` of a step or kind in the registry)
and what completing each kind does to the electricity account. Each takes keyword arguments
only and never calls the transition service."""

from __future__ import annotations

from portal.models import Role
from portal.outbox import outbox_cancel_pending, outbox_enqueue
from surveys.models import SurveyBooking
from surveys.services import survey_book, survey_booking_end, survey_reschedule

from ..commitment import COMMITMENT_TEXT, COMMITMENT_VERSION
from ..models import Application, ElectricityAccount, SettlementMethod, State
from ..signals import application_withdrawn, commitment_filed, contract_signed
from .contract import account_number_for, contract_record_signature
from .fees import fee_quote
from .temporary import (
    site_energize,
    site_extend,
    site_link_permanent,
    site_record_permit,
    site_remove,
    site_schedule_removal,
)
from .transfer import arrears_settle
from .verification import verification_start


def start_record_checks(*, application, actor, payload, client_address=None) -> None:
    verification_start(
        application=application,
        face_consent=bool(payload.get("face_consent")),
        face_photo=payload.get("face_photo") or "",
        in_person=actor is not None and actor.role == Role.CLERK,
    )


def ask_registry_for_ownership(*, application, actor, payload, client_address=None) -> None:
    outbox_enqueue(
        handler="applications.handoffs.run_ownership_check",
        payload={"application_id": application.pk},
        queue="govdata",
    )


def request_permits_when_needed(*, application, actor, payload, client_address=None) -> None:
    if application.state == State.WORKS_PERMITTING:
        outbox_enqueue(
            handler="applications.handoffs.request_permits",
            payload={"application_id": application.pk},
        )


def cancel_what_is_open(*, application, actor, payload, client_address=None) -> None:
    """A withdrawal leaves nothing waiting: this app's pending background work is settled
    unrun, and apps above are told (the approvals app cancels the open tasks)."""
    outbox_cancel_pending(payload={"application_id": application.pk}, note="withdrawn")
    survey_booking_end(
        application_id=application.pk,
        state=SurveyBooking.State.CANCELLED,
        actor=actor,
        reason=payload.get("reason") or "withdrawn",
    )
    application_withdrawn.send(sender=Application, application_id=application.pk)


def file_commitment_with_departments(*, application, actor, payload, client_address=None):
    commitment_filed.send(
        sender=Application,
        application_id=application.pk,
        actor_id=actor.pk if actor is not None else application.applicant_id,
        text_version=COMMITMENT_VERSION,
        text=COMMITMENT_TEXT,
    )


def record_contract_signature(*, application, actor, payload, client_address=None) -> None:
    contract_record_signature(application=application, actor=actor, address=client_address)
    contract_signed.send(sender=Application, application_id=application.pk)


def book_survey(*, application, actor, payload, client_address=None) -> None:
    survey_book(
        application=application,
        county=application.supply_county,
        start=payload["slot"],
        actor=actor,
    )


def rebook_survey(*, application, actor, payload, client_address=None) -> None:
    survey_reschedule(
        application=application,
        county=application.supply_county,
        start=payload["slot"],
        actor=actor,
        reason=payload.get("reason", ""),
    )


def cancel_survey(*, application, actor, payload, client_address=None) -> None:
    survey_booking_end(
        application_id=application.pk,
        state=SurveyBooking.State.CANCELLED,
        actor=actor,
        reason=payload.get("reason", ""),
    )


def survey_recorded(*, application, actor, payload, client_address=None) -> None:
    """The survey was made: its booking is done (no reminder, the seat is history) and the
    scheme drawn from it is priced."""
    survey_booking_end(application_id=application.pk, state=SurveyBooking.State.DONE, actor=actor)
    quote_fee(application=application, actor=actor, payload=payload)


def quote_fee(*, application, actor, payload, client_address=None) -> None:
    """The scheme just offered (or revised) is priced from the fee schedule."""
    fee_quote(application=application)


def settle_arrears(*, application, actor, payload, client_address=None) -> None:
    arrears_settle(
        application=application,
        actor=actor,
        method=payload["settlement_method"],
        reference=payload.get("payment_reference") or "",
    )


def settle_arrears_online(*, application, actor, payload, client_address=None) -> None:
    """Paid by the applicant through the payment platform: recorded as theirs, with the
    platform's trade number as the reference."""
    arrears_settle(
        application=application,
        actor=application.applicant,
        method=SettlementMethod.ONLINE,
        reference=payload.get("payment_reference") or "",
    )


def keep_permit_validity(*, application, actor, payload, client_address=None) -> None:
    site_record_permit(application=application)


def link_temporary_supply(*, application, actor, payload, client_address=None) -> None:
    site_link_permanent(application=application)


def schedule_temporary_removal(*, application, actor, payload, client_address=None) -> None:
    site_schedule_removal(application=application)


def open_temporary_account(*, application, actor, payload, client_address=None) -> None:
    """A temporary supply's account opens at power-on (it is closed at removal)."""
    site_energize(application=application, account=open_account(application))


def extend_temporary_supply(*, application, actor, payload, client_address=None) -> None:
    site_extend(application=application, new_end=payload["new_end_date"])


def remove_temporary_supply(*, application, actor, payload, client_address=None) -> None:
    site_remove(application=application, final_reading=payload["final_reading_kwh"])


def open_account(application: Application) -> ElectricityAccount:
    """A new account, made at power-on with the contract's number."""
    account = ElectricityAccount.objects.create(
        number=account_number_for(application),
        holder_id=application.applicant_id,
        holder_name=application.applicant_name,
        county_id=application.supply_county_id,
        address=application.supply_address,
        capacity_kva=application.capacity_kva,
        voltage=application.voltage,
    )
    application.account = account
    application.save(update_fields=["account"])
    return account


def raise_account_capacity(application: Application) -> None:
    ElectricityAccount.objects.filter(pk=application.account_id).update(
        capacity_kva=application.capacity_kva, voltage=application.voltage
    )


def transfer_account(application: Application) -> None:
    ElectricityAccount.objects.filter(pk=application.account_id).update(
        holder_id=application.applicant_id, holder_name=application.applicant_name
    )
