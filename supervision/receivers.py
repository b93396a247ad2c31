"""What supervision does when `applications` tells it something. Connected in
`SupervisionConfig.ready`."""

from django.dispatch import receiver

from applications.signals import application_changed

from .counting import kpis_count


@receiver(application_changed, dispatch_uid="supervision.count")
def _count(sender, application_id: int, **kwargs) -> None:
    kpis_count(application_id=application_id)
