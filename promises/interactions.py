"""The record of every contact with the applicant: each step they take online, each visit to a
counter, each site visit, call and SMS answered. From it, each application shows how many
procedures it took and how many trips the applicant made (the reform's "zero trips")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, TimelineEntry
from applications.selectors import application_get
from applications.workflows import (
    COMPLETE_SURVEY,
    ENERGIZE,
    FAIL_INSPECTION,
    PASS_INSPECTION,
    RESURVEY,
)
from portal.errors import InvalidInput, NotFound, NotPermitted
from portal.models import Role

from .models import ContactChannel, Interaction

# Engineers' steps taken at the applicant's premises.
SITE_STEPS = frozenset(
    s.name for s in (COMPLETE_SURVEY, RESURVEY, PASS_INSPECTION, FAIL_INSPECTION, ENERGIZE)
)
# What staff record by hand: the steps record the rest themselves.
RECORDABLE = (ContactChannel.CALL, ContactChannel.SMS, ContactChannel.COUNTER, ContactChannel.SITE)
RECORDERS = (Role.CLERK, Role.ENGINEER)


def channel_of_step(application: Application, entry: TimelineEntry, actor) -> str | None:
    """The contact a step was, or None for the utility's and the system's own work."""
    if actor is None:
        return None
    if actor.role == Role.CLERK:
        return ContactChannel.COUNTER  # the applicant stands at the window
    if actor.role == Role.APPLICANT:
        return ContactChannel.ONLINE
    if actor.role == Role.ENGINEER and entry.transition in SITE_STEPS:
        return ContactChannel.SITE
    return None


def interaction_from_step(*, application: Application, entry: TimelineEntry, actor) -> None:
    channel = channel_of_step(application, entry, actor)
    if channel is not None:
        Interaction.objects.create(
            application=application,
            channel=channel,
            at=entry.created_at,
            step=entry.transition,
            actor=actor,
        )


def may_record_contact(user, application: Application) -> bool:
    return (
        getattr(user, "role", None) in RECORDERS
        and application_get(user=user, pk=application.pk) is not None
    )


def interaction_record(*, application_id: int, actor, channel: str, note: str = "") -> Interaction:
    """A contact staff record by hand (a call, an SMS answered, a counter or site visit)."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None or application_get(user=actor, pk=application_id) is None:
        raise NotFound(_("No such application."))
    if not may_record_contact(actor, application):
        raise NotPermitted(_("Only counter clerks and engineers record contacts."))
    if channel not in RECORDABLE:
        raise InvalidInput({"channel": [_("Choose how the applicant was in contact.")]})
    return Interaction.objects.create(
        application=application, channel=channel, at=timezone.now(), actor=actor, note=note[:500]
    )


@dataclass(frozen=True)
class ContactSummary:
    procedures: int  # every contact
    trips: int  # days the applicant came to a counter
    by_channel: dict[str, int]


def summarise(interactions) -> ContactSummary:
    by_channel: dict[str, int] = {}
    counter_days = set()
    for item in interactions:
        by_channel[item.channel] = by_channel.get(item.channel, 0) + 1
        if item.channel == ContactChannel.COUNTER:
            counter_days.add(timezone.localdate(item.at))
    return ContactSummary(sum(by_channel.values()), len(counter_days), by_channel)


def contact_summary(application: Application) -> ContactSummary:
    return summarise(Interaction.objects.filter(application=application).only("channel", "at"))
