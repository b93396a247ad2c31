from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TemporaryConfig(AppConfig):
    """The clock of temporary supplies: the reminder before the end date and the overdue flag
    after it, counted on the working-day calendar (which is why it sits above approvals)."""

    name = "temporary"
    verbose_name = _("Temporary supply")
