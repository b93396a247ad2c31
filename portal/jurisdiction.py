"""Jurisdiction: does a staff member's area cover a place. One rule, in two forms.

Places are administrative divisions keyed by their six-digit GB/T 2260 code. The first four
digits name the prefecture-level city (a city's own code is those four digits and "00"); each
county-level division has its own code under its city's four digits.

The rule:

- A city covers itself and all its counties; a county covers itself only (`covers`).
- Two codes lie in the same city when they share the city's four digits (`same_city`).
  Approval departments are per city, so an approver registered at a city or at one of its
  counties acts for that city's departments.

Each question comes as a Python predicate (one object in memory) and as a queryset filter (many
rows), both built from one description of the codes an area reaches (`_Reach`), so the two
forms cannot disagree:

| question | predicate | queryset filter |
|---|---|---|
| does this division cover a code? | `covers(division, code)` | `within_q(division, field_path)` |
| do two codes lie in one city? | `same_city(code, other)` | `same_city_q(code, field_path)` |
| which city is a division in? | `city_code(division)` | |

`field_path` is a lookup path ending at a division code: a foreign key to `Division` followed by
`__code` (`"supply_county__code"`, `"division__code"`, `"department__city__code"`); Django reads
the code from the foreign-key column, without a join. A bare foreign key (`"supply_county"`)
refuses the prefix lookup a city needs.

Callers:

- `portal.models.Division.covers` delegates to `covers`.
- `approvals`: `department_approvers` (users whose division lies in a department's city:
  `same_city_q(department.city_id, "division__code")`), `permissions.in_jurisdiction`
  (`same_city`), `selectors.approval_task_queue` (`same_city_q(..., "department__city__code")`).
- For `applications/` (to switch to this module): the engineer's scope in
  `selectors.application_visible_q` is `within_q(user.division, "supply_county__code")` — the
  city prefix and the county equality written there today, in one call; the engineer predicate
  in `workflows` is `covers(user.division, application.supply_county_id)` (today through
  `Division.covers`, which gives the same answer).

This module imports no model, so `portal.models` can call into it: a division's level is read
through the instance (`division.Level`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Q


class Division(Protocol):
    """What the rule reads of an administrative division (`portal.models.Division`): its code
    and its level. Described here rather than imported, so the model can ask this module."""

    code: str
    level: str
    Level: Any


_CITY_DIGITS = 4  # the leading digits of a code that name its prefecture-level city


@dataclass(frozen=True)
class _Reach:
    """The codes an area reaches: every code starting with `value` (a whole city), or exactly
    `value` (one county). Both forms of the rule read it, nothing else decides."""

    value: str
    whole_city: bool

    def contains(self, code: str) -> bool:
        return code.startswith(self.value) if self.whole_city else code == self.value

    def q(self, field_path: str) -> Q:
        lookup = "startswith" if self.whole_city else "exact"
        return Q(**{f"{field_path}__{lookup}": self.value})


def _city_reach(code: str) -> _Reach:
    return _Reach(code[:_CITY_DIGITS], whole_city=True)


def _division_reach(division: Division) -> _Reach:
    if division.level == division.Level.CITY:
        return _city_reach(division.code)
    return _Reach(division.code, whole_city=False)


def covers(division: Division, code: str) -> bool:
    """True when the division with `code` lies in `division`: itself, or a county of a city."""
    return _division_reach(division).contains(code)


def within_q(division: Division, field_path: str) -> Q:
    """Rows whose division code at `field_path` lies in `division` (what `covers` says of one)."""
    return _division_reach(division).q(field_path)


def same_city(code: str, other: str) -> bool:
    """True when the divisions with these codes lie in one city (a city and its counties)."""
    return _city_reach(code).contains(other)


def same_city_q(code: str, field_path: str) -> Q:
    """Rows whose division code at `field_path` lies in the city of `code` (what `same_city`
    says of one): with a department's city, the users whose division is that city or one of
    its counties."""
    return _city_reach(code).q(field_path)


def city_code(division: Division) -> str:
    """The code of the city `division` lies in: its own for a city."""
    if division.level == division.Level.CITY:
        return division.code
    return division.code[:_CITY_DIGITS] + "00"
