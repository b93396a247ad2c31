from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # The kinds' proxy models live with their graphs; load them with the app registry.
        from . import receivers, workflows  # noqa: F401
