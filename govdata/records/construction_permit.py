"""Construction permit (housing and construction), by project code."""

from django.utils.translation import gettext_lazy as _

from .registry import ProjectPermit, register

CODE = "construction_permit"


@register
class ConstructionPermit(ProjectPermit):
    code, label = CODE, _("Construction permit")
    provider = "housing_construction"
