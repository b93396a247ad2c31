"""What approvals does when `applications` tells it something: each receiver calls one service.
Connected in `ApprovalsConfig.ready`."""

from django.dispatch import receiver

from applications.signals import application_withdrawn, commitment_filed, permits_requested

from .services import approval_tasks_cancel, approval_tasks_open, commitment_file


@receiver(permits_requested, dispatch_uid="approvals.open_tasks")
def _open_tasks(sender, application_id: int, **kwargs) -> None:
    approval_tasks_open(application_id=application_id)


@receiver(commitment_filed, dispatch_uid="approvals.file_commitment")
def _file_commitment(
    sender, application_id: int, actor_id: int, text_version: str, text: str, **kw
):
    commitment_file(
        application_id=application_id, actor_id=actor_id, text_version=text_version, text=text
    )


@receiver(application_withdrawn, dispatch_uid="approvals.cancel_tasks")
def _cancel_tasks(sender, application_id: int, **kwargs) -> None:
    approval_tasks_cancel(application_id=application_id)
