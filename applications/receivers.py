from django.dispatch import receiver

from govdata.signals import checks_settled

from .handoffs import application_roll_up_checks


@receiver(checks_settled, dispatch_uid="applications.roll_up_checks")
def roll_up_checks(sender, application_id: int, **kwargs) -> None:
    application_roll_up_checks(application_id=application_id)
