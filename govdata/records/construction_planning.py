"""Construction-works planning permit (natural resources and planning), by project code."""

from django.utils.translation import gettext_lazy as _

from .registry import ProjectPermit, register

CODE = "construction_planning"


@register
class ConstructionPlanning(ProjectPermit):
    code, label = CODE, _("Construction-works planning permit")
    provider = "natural_resources_planning"
