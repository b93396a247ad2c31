"""On PostgreSQL: two people acting on one application at the same moment — exactly one wins,
the other gets 409, nothing is half-written. Same for a create retried with one Idempotency-Key."""

import uuid
from functools import partial

import pytest

from applications.models import Application, IdempotencyKey, TimelineEntry
from applications.services import WrongState, application_transition
from tests.factories import new_application
from tests.workflow import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]


def test_conflicting_steps_at_the_same_moment_one_wins_50_times(applicant, engineer):
    for round_ in range(50):
        application = new_application(applicant)
        application_transition(application_id=application.pk, name="submit", actor=applicant)
        Application.objects.filter(pk=application.pk).update(state="pending_acceptance")
        # The engineer rejects while the applicant withdraws: either closes the application.
        results = race(
            partial(
                application_transition,
                application_id=application.pk,
                name="reject",
                actor=engineer,
                payload={"reason": "duplicate of an earlier filing"},  # a rejection needs one
            ),
            partial(
                application_transition,
                application_id=application.pk,
                name="withdraw",
                actor=applicant,
            ),
        )
        outcomes = sorted(kind for kind, _ in results)
        assert outcomes == ["error", "ok"], (round_, results)
        loser = next(value for kind, value in results if kind == "error")
        assert isinstance(loser, WrongState), loser
        application.refresh_from_db()
        steps = list(
            TimelineEntry.objects.filter(application=application)
            .exclude(transition__in=["submit", "verification_failed"])
            .values_list("transition", "to_state")
        )
        assert len(steps) == 1, steps
        assert steps[0][1] == application.state


def test_a_create_retried_concurrently_with_one_key_makes_one_application(api, applicant):
    from tests.workflow import application_body

    for _ in range(10):
        key = str(uuid.uuid4())
        body = application_body()

        create = partial(
            api(applicant).post,
            "/api/v1/applications/",
            body,
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        results = race(create, create, create)
        responses = [value for kind, value in results if kind == "ok"]
        assert len(responses) == 3, results
        ids = {r.json()["id"] for r in responses}
        assert len(ids) == 1
        assert sorted(r.status_code for r in responses) == [200, 200, 201]
        assert IdempotencyKey.objects.filter(key_hash=IdempotencyKey.digest(key)).count() == 1
    assert Application.objects.count() == 10
