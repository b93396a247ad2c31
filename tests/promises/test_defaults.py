"""The default commitments are what docs/clocks.md cites, and the verified version was added
as a new version: the one applications were filed under before is unchanged."""

import re
from datetime import date
from pathlib import Path

import pytest

from promises.commitments import commitment_set_in_force
from promises.models import Commitment, CommitmentSet
from tests.promises.moments import at

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "clocks.md"
ROW = re.compile(r"^\| `(\w+)` \| (\w+) \| (\w+) \| (\w+) \| (\d+) \| (\d+) \|")


def documented() -> set[tuple]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### Version 2024-verified", 1)[1].split("\n\n", 2)[1]
    rows = set()
    for line in section.splitlines():
        found = ROW.match(line)
        if found:
            phase, kind, voltage, customer, limit, rate = found.groups()
            any_ = {"any": ""}
            rows.add(
                (phase, any_.get(kind, kind), voltage, any_.get(customer, customer), int(limit),
                 int(rate))
            )  # fmt: skip
    return rows


def stored(version: str) -> set[tuple]:
    return set(
        Commitment.objects.filter(commitment_set__version=version).values_list(
            "phase", "kind", "voltage", "customer_type", "limit_days", "compensation_fen_per_day"
        )
    )


def test_the_verified_defaults_are_the_ones_the_doc_cites():
    cited = documented()
    assert len(cited) == 19
    assert stored("2024-verified") == cited


def test_the_verified_version_is_in_force_since_the_2024_rules_and_the_old_one_unchanged():
    verified = CommitmentSet.objects.get(version="2024-verified")
    assert verified.effective_from == date(2024, 6, 1)
    assert commitment_set_in_force(at(2026, 11, 2, 9)) == verified
    assert commitment_set_in_force(at(2024, 5, 31, 9)).version == "2020-default"
    old = stored("2020-default")
    assert len(old) == 19
    # The stricter high-voltage figures are new; the 2020 rows kept theirs.
    assert ("scheme_reply", "", "high", "", 20, 0) in old
    assert ("scheme_reply", "", "high", "", 15, 0) in stored("2024-verified")
    assert "《供电营业规则》" in verified.source
