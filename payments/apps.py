from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The withdrawal receiver (refunds), and the payment panel and API section on the
        # applications' page and detail.
        from applications.extensions import register_detail_section, register_panel

        from . import receivers  # noqa: F401
        from .panels import PAYMENT_PANEL
        from .selectors import payment_summaries

        register_panel(PAYMENT_PANEL)
        register_detail_section("payments", payment_summaries)
