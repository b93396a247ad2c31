"""The tracking panel on an application's page (registered from `MailingConfig.ready`)."""

from applications.extensions import Panel

from .models import Shipment


def tracking_context(application, user, bound: dict) -> dict:
    shipment = Shipment.objects.filter(application=application).prefetch_related("events").first()
    visible = shipment is not None and (
        getattr(user, "pk", None) == application.applicant_id
        or getattr(user, "role", "") in {"clerk", "engineer", "supervisor"}
    )
    return {"shipment": shipment if visible else None}


TRACKING_PANEL = Panel("mailing/panel.html", tracking_context)
