"""What mailing does when `applications` tells it something (connected in `ready`)."""

from django.dispatch import receiver

from applications.signals import contract_signed, mailing_address_set

from .services import shipment_prepare


@receiver(contract_signed, dispatch_uid="mailing.on_contract_signed")
@receiver(mailing_address_set, dispatch_uid="mailing.on_address_set")
def _prepare(sender, application_id: int, **kwargs) -> None:
    shipment_prepare(application_id=application_id)
