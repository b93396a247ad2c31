"""The fee of a supply scheme, from the fee schedule (`FeeRate`): computed when the survey is
recorded, itemised, and shown to the applicant before they confirm the scheme. Low-voltage
residential and small-enterprise rates are zero, as the reform promises; a high-voltage scheme
is charged per kVA and per metre of line (the defaults come with a data migration; operators
change them in the admin)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from portal.errors import ConditionNotMet

from ..models import Application, FeeBasis, FeeItem, FeeRate, Kind, Voltage

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Quantities:
    kva: Decimal
    metres: Decimal


def fee_quantities(application: Application) -> Quantities:
    """What the scheme is charged on: the capacity connected (for an increase, only the added
    kVA) and the external line."""
    kva = Decimal(application.capacity_kva or 0)
    if application.kind == Kind.CAPACITY_INCREASE and application.account_id:
        kva = max(kva - application.account.capacity_kva, Decimal(0))
    return Quantities(kva=kva, metres=Decimal(application.line_length_m or 0))


def fee_rates_for(application: Application):
    return FeeRate.objects.filter(
        Q(customer_type="") | Q(customer_type=application.customer_type),
        voltage=application.voltage,
        active=True,
    ).order_by("position", "code")


def fee_quote(*, application: Application) -> Decimal:
    """Compute the scheme's itemised fee from the schedule in force, replacing any earlier
    quote (a revised scheme is quoted again), and keep its total on the application. A
    high-voltage scheme the schedule cannot price is refused, never left without a fee."""
    quantities = {
        FeeBasis.FIXED: Decimal(1),
        FeeBasis.PER_KVA: fee_quantities(application).kva,
        FeeBasis.PER_METRE: fee_quantities(application).metres,
    }
    items = []
    for rate in fee_rates_for(application):
        quantity = quantities[rate.basis]
        if not quantity:
            continue
        items.append(
            FeeItem(
                application=application,
                code=rate.code,
                label=rate.label,
                basis=rate.basis,
                quantity=quantity,
                unit_price=rate.unit_price,
                amount=(quantity * rate.unit_price).quantize(CENT, rounding=ROUND_HALF_UP),
            )
        )
    if application.voltage == Voltage.HIGH and not items:
        raise ConditionNotMet(
            _("The fee schedule has no rate for this high-voltage scheme; ask an operator."),
            application=application,
        )
    FeeItem.objects.filter(application=application).delete()
    FeeItem.objects.bulk_create(items)
    total = sum((item.amount for item in items), Decimal("0.00"))
    application.scheme_fee = total
    Application.objects.filter(pk=application.pk).update(scheme_fee=total)
    return total


def fee_quoted(application: Application) -> bool:
    """A scheme may be confirmed once its fee is known: a high-voltage one needs its items."""
    if application.voltage != Voltage.HIGH:
        return True
    return application.scheme_fee is not None and application.fee_items.exists()


def fee_summary(application: Application) -> dict | None:
    """The quote as the applicant sees it (page and API): items and total, in CNY; None before
    the survey."""
    if application.scheme_fee is None:
        return None
    items = list(application.fee_items.all())
    total = sum((item.amount for item in items), Decimal("0.00"))
    return {"currency": "CNY", "total": total, "items": items}
