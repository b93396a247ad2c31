"""Investment project approval or record (development and reform), by project code."""

from django.utils.translation import gettext_lazy as _

from .registry import ProjectPermit, register

CODE = "project_approval"


@register
class ProjectApproval(ProjectPermit):
    code, label = CODE, _("Investment project approval")
    provider = "development_reform"
