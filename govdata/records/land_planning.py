"""Land-use planning permit (natural resources and planning), by project code."""

from django.utils.translation import gettext_lazy as _

from .registry import ProjectPermit, register

CODE = "land_planning"


@register
class LandPlanning(ProjectPermit):
    code, label = CODE, _("Land-use planning permit")
    provider = "natural_resources_planning"
