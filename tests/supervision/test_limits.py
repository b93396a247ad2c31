""" "Within the published limit" is measured against the commitments table (issue #13 → #14):
the whole-process limit of the version the application was filed under, most specific row."""

from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from applications.models import Voltage
from portal.models import CustomerType
from promises.limits import WholeLimits
from supervision.counting import fact_of, published_limits

pytestmark = pytest.mark.django_db


def completed(submitted: date, completed_on: date, **fields) -> dict:
    zone = timezone.get_current_timezone()
    return {
        "pk": 1,
        "submitted_at": datetime(submitted.year, submitted.month, submitted.day, 9, tzinfo=zone),
        "completed_at": datetime(
            completed_on.year, completed_on.month, completed_on.day, 15, tzinfo=zone
        ),
        "supply_county_id": "370102",
        "kind": "new_connection",
        "voltage": "low",
        "customer_type": "residential",
        "channel": "online",
        "state": "completed",
        "verification_outcome": "verified",
        "documents_requested": [],
        "scheme_fee": None,
        "rating": None,
        **fields,
    }


def test_the_version_in_force_at_submission_and_its_most_specific_row_decide(stricter_2026):
    limits = WholeLimits()
    default = limits.limit(
        kind="new_connection", voltage="low", customer_type="residential", on=date(2025, 6, 2)
    )
    assert default is not None and default != 3  # the 2020 version's row
    # Mon 2 Mar → Thu 5 Mar 2026: 3 working days; Fri 6 Mar: 4.
    assert fact_of(completed(date(2026, 3, 2), date(2026, 3, 5)), 1, limits=limits)["within_limit"]
    assert not fact_of(completed(date(2026, 3, 2), date(2026, 3, 6)), 1, limits=limits)[
        "within_limit"
    ]
    # The same four working days for an enterprise: its own row (20) in the same version.
    enterprise = completed(date(2026, 3, 2), date(2026, 3, 6), customer_type="enterprise")
    assert fact_of(enterprise, 1, limits=limits)["within_limit"]
    # Filed before the 2026 version: the 2020 version's limit measures it.
    before = completed(date(2025, 6, 2), date(2025, 6, 6))
    assert fact_of(before, 1, limits=limits)["within_limit"] == (default >= 4)


def test_no_version_in_force_means_not_within_and_the_public_list_reads_the_table(
    stricter_2026,
):
    too_early = completed(date(2019, 3, 4), date(2019, 3, 5))
    assert fact_of(too_early, 1)["within_limit"] is False
    with translation.override("en"):
        listed = {(r["voltage"], r["customer_type"]): r["workdays"] for r in published_limits()}
        low = str(Voltage.LOW.label)
        resident, enterprise = (
            str(CustomerType.RESIDENTIAL.label),
            str(CustomerType.ENTERPRISE.label),
        )
    assert listed == {(low, resident): 3, (low, enterprise): 20}
