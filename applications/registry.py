"""The registry of steps and kinds: the containers and their look-ups.

Every step is declared once, in `applications/workflows.py`, as a `Step`: the kinds it belongs
to with its source and target states in each (`Edge`), who may take it (`Actor`), its input
fields with their validation (`Input`), its label, what it must prove before its transaction
(`before`), what it sets going inside it (`after`), and where a page offers it. django-fsm's
transition methods, the API's transition input and schema, the page forms, the "who holds the
next step" panel, the drawn graphs and the transition service all read these declarations.

This module holds no declaration itself, so the transition service can import it while the
declarations import the services whose effects they name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise

from .actors import Actor


class Page:
    """Where the pages offer a step."""

    FORM = "form"  # the generic step form on the application's page
    OWN = "own"  # a page or panel of its own (contract signing, commitment)
    NONE = "none"  # not offered on a page (the system's steps)


@dataclass(frozen=True)
class Input:
    """One input of a step. `field` builds the Django form field that parses and validates it;
    the API's schema and the page form are made from the same field. `required` means the step
    cannot be taken without it (checked by the transition service)."""

    name: str
    field: Callable[[], forms.Field]
    required: bool = False
    required_message: Promise | str | None = None
    # The page may ask for it differently (a camera photo instead of base64 text); the service
    # always receives the API's form of the value.
    page_field: Callable[[], forms.Field] | None = None
    from_page: Callable | None = None


@dataclass(frozen=True)
class Edge:
    """A step in one kind: from which states, to which (a state or django-fsm's RETURN_VALUE),
    and what it sets going in this kind only."""

    sources: tuple
    target: object
    after: Callable | None = None


@dataclass(eq=False)
class Step:
    name: str
    label: Promise | str
    actor: Actor
    edges: dict[str, Edge]
    apply: Callable | None = None  # pure: sets fields on the application; may return the target
    inputs: tuple[Input, ...] = ()
    conditions: tuple[Callable, ...] = ()
    condition_message: Promise | str = ""
    before: Callable | None = None  # (application, actor, payload) before the transaction
    after: Callable | None = None  # (application, actor, payload, client_address) inside it
    page: str = Page.FORM

    @property
    def system(self) -> bool:
        return self.actor.system

    @property
    def kinds(self) -> list[str]:
        return list(self.edges)

    def input_named(self, name: str) -> Input | None:
        return next((i for i in self.inputs if i.name == name), None)

    def __str__(self) -> str:
        return self.name


@dataclass(eq=False)
class KindSpec:
    """A request kind: its proxy model (built from its steps), the stages of its main path for
    the progress panel, and what completing it does to the electricity account. A kind with
    inputs of its own declares how filing judges them (`filing(data=, fields=, errors=)` puts
    every problem in `errors` by field and returns what it judged) and how they are kept once
    the row exists (`details(application=, judged=)`, in the filing's transaction)."""

    code: str
    class_name: str
    verbose_name: str
    main_path: list
    on_complete: Callable | None = None
    model: type | None = None
    filing: Callable | None = None
    details: Callable | None = None
    new_account: bool = False  # the account is opened by this application (numbered at contract)
    contract_lines: Callable | None = None  # (application) -> the contract's added clauses


STEPS: dict[str, Step] = {}
KINDS: dict[str, KindSpec] = {}


def edges(kinds: Iterable[str], source, target, after: Callable | None = None) -> dict[str, Edge]:
    """The same edge in several kinds: `{**edges(WORKS, ...), **edges([TRANSFER], ...)}`."""
    sources = tuple(source) if isinstance(source, list | tuple | set) else (source,)
    return {kind: Edge(sources, target, after) for kind in kinds}


def register_step(step: Step) -> Step:
    if step.name in STEPS:
        raise ValueError(f"step {step.name} is declared twice")
    STEPS[step.name] = step
    return step


def register_kind(spec: KindSpec) -> KindSpec:
    KINDS[spec.code] = spec
    return spec


def step_named(name: str) -> Step | None:
    return STEPS.get(name)


def steps_of(kind: str) -> list[Step]:
    return [step for step in STEPS.values() if kind in step.edges]


def person_steps() -> list[Step]:
    return [step for step in STEPS.values() if not step.system]


def kind_spec(kind: str) -> KindSpec:
    return KINDS[kind]


def as_kind(application):
    """The same row, as its kind's proxy, so that its own graph applies."""
    application.__class__ = KINDS[application.kind].model
    return application


def transition_names(kind: str) -> frozenset[str]:
    return frozenset(step.name for step in steps_of(kind))
