from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # The steps and kinds are declared in `workflows` (which builds the kinds' proxy models);
        # load them, and the receivers, with the app registry.
        from portal.demo import register_demo_seeder

        from . import receivers, workflows  # noqa: F401
        from .demo import seed_demo_sites
        from .extensions import register_panel
        from .panels import SITE_PANEL

        register_panel(SITE_PANEL)  # a temporary supply's part of the page
        register_demo_seeder(seed_demo_sites)  # the enterprise's building sites
