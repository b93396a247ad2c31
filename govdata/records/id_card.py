"""Resident identity card (public security): name and ID number match."""

from django.utils.translation import gettext_lazy as _

from .registry import Matching, register

CODE = "id_card"


@register
class IdCard(Matching):
    code, label = CODE, _("Resident identity card")
    provider, document = "public_security", "id_card"
    asks = {"name": "applicant_name", "id_number": "id_number"}
