from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # Connects the receiver that keeps the KPI counters in each step's transaction.
        from . import receivers  # noqa: F401
