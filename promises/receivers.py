"""Every step: keep the commitments version at submission, record the contact the step was, and
credit compensation at completion — inside the step's transaction."""

from django.dispatch import receiver

from applications.models import State
from applications.signals import application_changed
from applications.workflows import SUBMIT

from .commitments import promise_keep
from .compensation import accrual_keep, compensation_on_completion
from .interactions import interaction_from_step


@receiver(application_changed, dispatch_uid="promises.on_step")
def on_step(sender, application, entry, actor, **kwargs) -> None:
    if entry is None:  # a rating: no step, no contact
        return
    if entry.transition == SUBMIT.name:
        promise_keep(application=application)
    interaction_from_step(application=application, entry=entry, actor=actor)
    accrual_keep(application=application, at=entry.created_at)
    if entry.to_state == State.COMPLETED:
        compensation_on_completion(application=application)
