from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovdataConfig(AppConfig):
    name = "govdata"
    verbose_name = _("Government data sharing")
