from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Service commitments")

    def ready(self) -> None:
        # Receives every step; adds the promises panel to the application's pages, the public
        # panel to the progress page and the `promise` section to the API detail.
        from applications.extensions import (
            register_detail_section,
            register_panel,
            register_public_panel,
        )

        from . import receivers  # noqa: F401
        from .panels import PROMISE_PANEL, PUBLIC_PANEL, promise_detail

        register_panel(PROMISE_PANEL)
        register_public_panel(PUBLIC_PANEL)
        register_detail_section("promise", promise_detail)
