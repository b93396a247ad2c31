"""What payments does when `applications` tells it something (connected in `ready`)."""

from django.dispatch import receiver

from applications.signals import application_withdrawn

from .services import payments_withdrawn


@receiver(application_withdrawn, dispatch_uid="payments.refund_on_withdrawal")
def _refund(sender, application_id: int, **kwargs) -> None:
    payments_withdrawn(application_id=application_id)
