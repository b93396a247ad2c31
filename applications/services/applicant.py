"""What the applicant keeps up to date outside the state graph: where to mail documents, and
the satisfaction rating once the application is done."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.errors import NotPermitted, WrongState

from ..models import TERMINAL_STATES, Application, State
from ..signals import application_changed_send, mailing_address_set


def application_set_mailing_address(*, application: Application, actor, address: str) -> None:
    if actor.pk != application.applicant_id:
        raise NotPermitted(_("Only the applicant sets the mailing address."))
    updated = (
        Application.objects.filter(pk=application.pk)
        .exclude(state__in=TERMINAL_STATES)
        .update(mailing_address=address.strip())
    )
    if not updated:
        raise WrongState(_("This application is closed."), state=application.state)
    mailing_address_set.send(sender=Application, application_id=application.pk)


def application_rate(*, application: Application, actor, rating: int, comment: str = "") -> None:
    """Once, when completed."""
    if actor.pk != application.applicant_id:
        raise NotPermitted(_("Only the applicant rates the service."))
    with transaction.atomic():  # the rating and the counters that include it, together
        updated = Application.objects.filter(
            pk=application.pk, state=State.COMPLETED, rating__isnull=True
        ).update(rating=rating, rating_comment=comment.strip())
        if not updated:
            raise WrongState(
                _("Rating is possible once, after completion."), state=application.state
            )
        application_changed_send(application, actor=actor)
