from datetime import date

import pytest

from promises.models import Commitment, CommitmentSet, Phase


@pytest.fixture(autouse=True)
def _divisions(reference_data):
    """Figures are kept per city and county: the province's divisions are loaded."""


@pytest.fixture(autouse=True)
def _in_process_platform(gov_platform):
    """The government platform answers in process."""


@pytest.fixture
def stricter_2026(commitment_defaults):
    """A later version: low-voltage residential connections in 3 working days, enterprises 20."""
    version = CommitmentSet.objects.create(version="2026-test", effective_from=date(2026, 1, 1))
    for customer_type, days in (("residential", 3), ("enterprise", 20)):
        Commitment.objects.create(
            commitment_set=version, phase=Phase.WHOLE, kind="", voltage="low",
            customer_type=customer_type, limit_days=days, compensation_fen_per_day=0,
        )  # fmt: skip
    return version
