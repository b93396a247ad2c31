from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CofilingConfig(AppConfig):
    name = "cofiling"
    verbose_name = _("Matters filed together")

    def ready(self) -> None:
        # The panel (linked matters; a prepared transfer to confirm) and the API section.
        from applications.extensions import register_detail_section, register_panel

        from .panels import COFILING_PANEL
        from .services import cofiling_summaries

        register_panel(COFILING_PANEL)
        register_detail_section("linked_matters", cofiling_summaries)
