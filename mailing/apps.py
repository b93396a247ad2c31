from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "mailing"
    verbose_name = _("Mailing")

    def ready(self) -> None:
        # Shipments follow the contract's signature and the mailing address; the tracking panel
        # and the API's `shipments` section.
        from applications.extensions import register_detail_section, register_panel

        from . import receivers  # noqa: F401
        from .panels import TRACKING_PANEL
        from .services import shipment_summaries

        register_panel(TRACKING_PANEL)
        register_detail_section("shipments", shipment_summaries)
