"""Which departments must permit the connection works (DESIGN section 5): one rule table."""

from __future__ import annotations

from applications.workflows import COMMITMENT_MAX_LINE_M

# (needed when, department)
ROUTES = [
    (lambda a: (a.line_length_m or 0) > COMMITMENT_MAX_LINE_M, "planning"),
    (lambda a: a.crosses_urban_road, "housing"),
    (lambda a: a.crosses_urban_road, "traffic_police"),
    (lambda a: a.crosses_highway, "transport"),
    (lambda a: a.crosses_green_space, "greening"),
]


def departments_needed(application) -> list[str]:
    """Departments the works touch. For a line of 150 m or less these are told of the filed
    commitment for information; above it, each must approve."""
    return sorted({code for needed, code in ROUTES if needed(application)})
