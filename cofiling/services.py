"""Matters filed together, and the property-sale link.

A clerk files a linked matter (water, gas, property registration) with the other agency through
the government platform, beside the electricity application; the application shows its status,
checked periodically. When the real-estate registry reports a completed sale of an address that
has an electricity account, a transfer is prepared for the buyer and they are invited by SMS:
the buyer confirms it (step 1: consent and submit) and later signs the contract (step 2) — no
separate filing.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import (
    TERMINAL_STATES,
    Application,
    Channel,
    ElectricityAccount,
    Kind,
    State,
)
from applications.selectors import application_get
from applications.services import application_create, application_transition
from applications.services.creation import CONSENT_VERSION
from applications.workflows import SUBMIT
from govdata.client import PlatformUnavailable
from govdata.linked import linked_matter_file, linked_matter_status, property_sales_since
from notifications.services import sms_notify
from portal.accounts import applicant_account_for_phone
from portal.errors import InvalidInput, NotPermitted, WrongState
from portal.models import CustomerType, Role
from portal.outbox import RetryLater, outbox_enqueue_many

from .models import Agency, LinkedMatter, PropertySale

logger = logging.getLogger(__name__)
OPEN = [LinkedMatter.Status.ACCEPTED, LinkedMatter.Status.IN_PROGRESS]
CHECK_EVERY = timedelta(minutes=10)
RESIDENT_ID = re.compile(r"\d{17}[\dX]")


# --- Linked matters -----------------------------------------------------------------------------


def may_file_matter(user, application: Application) -> bool:
    """A clerk who may see the application (its service hall's counter)."""
    return getattr(user, "role", "") == Role.CLERK and (
        application_get(user=user, pk=application.pk) is not None
    )


def matter_file(*, application_id: int, actor, agency: str) -> LinkedMatter:
    application = Application.objects.get(pk=application_id)
    if not may_file_matter(actor, application):
        raise NotPermitted(_("Matters are filed together at the counter."))
    if agency not in Agency.values:
        raise InvalidInput({"agency": [_("Choose water, gas or property registration.")]})
    if application.state in TERMINAL_STATES:
        raise WrongState(_("This application is closed."), application=application)
    with transaction.atomic():
        matter, created = LinkedMatter.objects.get_or_create(
            application=application, agency=agency, defaults={"filed_by": actor}
        )
        if created:
            outbox_enqueue_many(
                handler="cofiling.handlers.file_matter",
                payloads=[{"matter_id": matter.pk}],
                queue="govdata",
            )
    return matter


def matter_file_at_platform(*, matter_id: int) -> None:
    matter = LinkedMatter.objects.select_related("application__supply_county").get(pk=matter_id)
    if matter.number:
        return
    application = matter.application
    try:
        result = linked_matter_file(
            agency=matter.agency,
            reference=application.number,
            address=f"{application.supply_county.name}{application.supply_address}",
            application_id=application.pk,
        )
    except PlatformUnavailable as error:
        raise RetryLater(str(error)) from error
    LinkedMatter.objects.filter(pk=matter.pk, number="").update(
        number=result["number"], status=result["status"], checked_at=timezone.now()
    )


def matters_refresh(*, now: datetime | None = None) -> int:
    """The periodic job: ask again about every open matter not checked for CHECK_EVERY."""
    now = now or timezone.now()
    due = list(
        LinkedMatter.objects.filter(status__in=OPEN, checked_at__lte=now - CHECK_EVERY).values_list(
            "pk", flat=True
        )[:500]
    )
    if due:
        with transaction.atomic():
            LinkedMatter.objects.filter(pk__in=due).update(checked_at=now)
            outbox_enqueue_many(
                handler="cofiling.handlers.check_matter",
                payloads=[{"matter_id": pk} for pk in due],
                queue="govdata",
            )
    return len(due)


def matter_check(*, matter_id: int) -> str:
    matter = LinkedMatter.objects.get(pk=matter_id)
    if matter.status not in OPEN:
        return matter.status
    try:
        result = linked_matter_status(number=matter.number, application_id=matter.application_id)
    except PlatformUnavailable as error:
        raise RetryLater(str(error)) from error
    if result.get("found") and result["status"] in LinkedMatter.Status.values:
        LinkedMatter.objects.filter(pk=matter.pk).update(
            status=result["status"], checked_at=timezone.now()
        )
    return result.get("status", "")


# --- The property-sale link ---------------------------------------------------------------------


def property_sales_poll() -> int:
    """The periodic job: the sales completed since the last one seen, each prepared once."""
    latest = PropertySale.objects.aggregate(latest=Max("completed_at"))["latest"]
    since = latest.isoformat() if latest else ""
    try:
        sales = property_sales_since(since=since)
    except PlatformUnavailable as error:
        logger.warning("property sales not read: %s", error)
        return 0
    return sum(1 for sale in sales if sale_prepare(sale=sale) is not None)


def sale_prepare(*, sale: dict) -> PropertySale | None:
    """A reported sale: the transfer for the buyer when the address has an account someone
    else holds; the buyer is invited by SMS. None when the sale was seen before."""
    if PropertySale.objects.filter(sale_number=sale["sale_number"]).exists():
        return None
    account = ElectricityAccount.objects.filter(
        county_id=sale["county"], address=sale["address"]
    ).first()
    resident = bool(RESIDENT_ID.fullmatch(sale["buyer_id"]))
    record = {
        "sale_number": sale["sale_number"],
        "county": sale["county"],
        "address": sale["address"],
        "buyer_name": sale["buyer_name"],
        "buyer_id": sale["buyer_id"],
        "buyer_phone": sale["buyer_phone"],
        "completed_at": datetime.fromisoformat(sale["completed_at"]),
        "account": account,
    }
    try:
        with transaction.atomic():
            if account is None:
                return PropertySale.objects.create(
                    **record, outcome=PropertySale.Outcome.NO_ACCOUNT
                )
            buyer = applicant_account_for_phone(
                phone=sale["buyer_phone"],
                customer_type=CustomerType.RESIDENTIAL if resident else CustomerType.ENTERPRISE,
            )
            if buyer is None or account.holder_id == buyer.pk:
                return PropertySale.objects.create(
                    **record, outcome=PropertySale.Outcome.ALREADY_HOLDER
                )
            application, _created = application_create(
                actor=buyer,
                fields={
                    "kind": Kind.TRANSFER,
                    "applicant": buyer,
                    "customer_type": buyer.customer_type,
                    "applicant_name": sale["buyer_name"],
                    "id_number": sale["buyer_id"] if resident else "",
                    "credit_code": "" if resident else sale["buyer_id"],
                    "phone": sale["buyer_phone"],
                    "voltage": account.voltage,
                    "capacity_kva": None,
                    "supply_county_id": account.county_id,
                    "supply_address": account.address,
                    "account": account,
                    "channel": Channel.WEB,
                    # Given by the buyer when they confirm (step 1), not by the registry.
                    "consent_version": "",
                    "other_matter_ref": sale["sale_number"][:60],
                },
            )
            prepared = PropertySale.objects.create(
                **record, application=application, outcome=PropertySale.Outcome.PREPARED
            )
            sms_notify(
                phone=sale["buyer_phone"],
                kind="transfer_prepared",
                params={"address": account.address, "number": application.number},
            )
    except IntegrityError:  # another poll prepared it first
        return None
    return prepared


def is_prepared_transfer(application: Application) -> bool:
    return (
        application.kind == Kind.TRANSFER
        and PropertySale.objects.filter(application=application).exists()
    )


def prepared_transfer_confirm(
    *, application_id: int, actor, consent: bool, submit: dict | None = None
) -> Application:
    """Step 1 of the buyer: agree to the data-sharing consent and submit the prepared transfer
    (its record checks start; `submit` is the submit step's own input: the optional face
    check). Step 2 is signing the contract."""
    application = Application.objects.get(pk=application_id)
    if actor.pk != application.applicant_id or not is_prepared_transfer(application):
        raise NotPermitted(_("Only the buyer confirms the prepared transfer."))
    if application.state != State.DRAFT:
        raise WrongState(_("This transfer is confirmed already."), application=application)
    if not consent:
        raise InvalidInput(
            {"consent": [_("Agree to the sharing of your records to confirm the transfer.")]}
        )
    Application.objects.filter(pk=application.pk).update(
        consent_version=CONSENT_VERSION, consent_at=timezone.now()
    )
    return application_transition(
        application_id=application.pk, name=SUBMIT.name, actor=actor, payload=submit or {}
    )


def cofiling_summaries(application) -> list[dict]:
    return [
        {
            "agency": m.agency,
            "number": m.number,
            "status": m.status,
            "status_label": str(LinkedMatter.Status(m.status).label),
        }
        for m in LinkedMatter.objects.filter(application=application).order_by("id")
    ]
