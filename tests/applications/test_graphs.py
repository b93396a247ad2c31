"""The state graphs in docs/graphs are drawn from the code and kept current."""

from pathlib import Path

import pytest

from applications.management.commands.draw_graphs import dot_source
from applications.workflows import KIND_MODELS

GRAPHS = Path(__file__).resolve().parents[2] / "docs" / "graphs"


@pytest.mark.parametrize("kind", list(KIND_MODELS))
def test_committed_graph_matches_the_code(kind):
    committed = (GRAPHS / f"{kind}.dot").read_text(encoding="utf-8")
    # django-fsm emits nodes and edges from sets, so compare the lines, not their order.
    assert sorted(committed.splitlines()) == sorted(dot_source(kind).splitlines()), (
        "run `python manage.py draw_graphs` and commit docs/graphs/"
    )
    assert (GRAPHS / f"{kind}.png").stat().st_size > 10_000


def test_a_transfer_graph_has_no_works_states():
    source = dot_source("transfer")
    for state in ("survey_scheduled", "scheme_offered", "permits_rejected", "construction"):
        assert f"state.{state}" not in source
