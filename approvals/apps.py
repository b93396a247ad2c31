from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        # Connects the permits_requested and commitment_filed receivers, and adds the permits
        # panel and task summaries to the applications' page and API.
        from applications.extensions import register_detail_section, register_panel

        from . import receivers  # noqa: F401
        from .panels import PERMITS_PANEL, approval_summaries

        register_panel(PERMITS_PANEL)
        register_detail_section("approvals", approval_summaries)
