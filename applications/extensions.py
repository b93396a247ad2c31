"""Where apps above this one add to an application's page and API detail without this app
importing them: the approvals app registers its permits panel and the summary of its tasks
here from its `ready()`. Nothing is registered by default, so applications stands alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    """A part of the application's page: `template` is included with `context(application,
    user, bound)` as its context (`bound` holds the page's refused forms, by name)."""

    template: str
    context: Callable


PANELS: list[Panel] = []
# Parts of the public progress page: `context(application)` only, and nothing personal in it.
PUBLIC_PANELS: list[Panel] = []
# name -> provider(application) -> list of dicts, shown in the API's application detail.
DETAIL_SECTIONS: dict[str, Callable] = {}


def register_panel(panel: Panel) -> None:
    if panel not in PANELS:
        PANELS.append(panel)


def register_public_panel(panel: Panel) -> None:
    if panel not in PUBLIC_PANELS:
        PUBLIC_PANELS.append(panel)


def register_detail_section(name: str, provider: Callable) -> None:
    DETAIL_SECTIONS[name] = provider


def panels_for(application, user, bound: dict | None = None) -> list[dict]:
    return [
        {"template": p.template, "context": p.context(application, user, bound or {})}
        for p in PANELS
    ]


def detail_section(name: str, application) -> list:
    provider = DETAIL_SECTIONS.get(name)
    return provider(application) if provider is not None else []


def public_panels_for(application) -> list[dict]:
    return [{"template": p.template, "context": p.context(application)} for p in PUBLIC_PANELS]
