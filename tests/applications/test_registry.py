"""The step registry is the only list of steps: the API schema's transition names and input,
the page step forms, the next-holder panel and django-fsm's graphs are all derived from it."""

import pytest
from rest_framework.test import APIClient

from applications import actors
from applications.api.serializers import TransitionSerializer
from applications.forms import StepForm, step_forms
from applications.models import State
from applications.progress import next_holders
from applications.registry import KINDS, STEPS, Page, steps_of
from tests.factories import new_application

pytestmark = pytest.mark.django_db


def schema(supervisor) -> dict:
    client = APIClient()
    client.force_authenticate(supervisor)
    return client.get("/api/schema/?format=json").json()


def test_the_schema_names_exactly_the_registered_steps(supervisor):
    operation = schema(supervisor)["paths"]["/api/v1/applications/{id}/transitions/{name}/"]
    (name,) = [p for p in operation["post"]["parameters"] if p["name"] == "name"]
    assert sorted(name["schema"]["enum"]) == sorted(STEPS)


def test_the_transition_input_is_the_steps_declared_inputs():
    declared = {spec.name for step in STEPS.values() if not step.system for spec in step.inputs}
    assert set(TransitionSerializer().fields) == declared | {"comment"}


def test_every_step_a_person_takes_has_a_form_and_nothing_else_does():
    everything = sorted(STEPS)
    on_forms = {form.name for form in step_forms(everything)}
    assert on_forms == {n for n, s in STEPS.items() if s.page == Page.FORM}
    for name, step in STEPS.items():
        assert (step.page == Page.NONE) == step.system, name
        if not step.system:  # own-page steps use the same form class, fields from the inputs
            form = StepForm(step)
            assert set(form.fields) == {spec.name for spec in step.inputs} | {"comment"}


def test_every_kind_graph_is_its_steps(applicant):
    for code, spec in KINDS.items():
        field = spec.model._meta.get_field("state")
        names = {t.name for t in field.get_all_transitions(spec.model)}
        assert names == {step.name for step in steps_of(code)}
        assert all(code in STEPS[n].edges for n in names)


@pytest.mark.parametrize(
    ("state", "holder"),
    [
        (State.DRAFT, actors.APPLICANT_OR_CLERK),
        (State.PENDING_ACCEPTANCE, actors.ENGINEER),
        (State.SCHEME_OFFERED, actors.APPLICANT),  # withdrawing holds nothing up
        (State.WORKS_PERMITTING, actors.SYSTEM),
    ],
)
def test_the_next_holder_panel_names_the_actor_of_the_steps_possible(applicant, state, holder):
    application = new_application(applicant)
    type(application).objects.filter(pk=application.pk).update(state=state)
    application.refresh_from_db()
    assert next_holders(application) == [holder.holder]
