"""The panel of matters filed together (and, for a buyer, the prepared transfer to confirm)."""

from applications.extensions import Panel
from applications.models import State

from .forms import ConfirmForm, MatterForm
from .models import LinkedMatter, PropertySale
from .services import may_file_matter


def cofiling_context(application, user, bound: dict) -> dict:
    sale = PropertySale.objects.filter(application=application).first()
    return {
        "application": application,
        "matters": list(LinkedMatter.objects.filter(application=application).order_by("id")),
        "may_file": may_file_matter(user, application),
        "matter_form": bound.get("matter") or MatterForm(),
        "sale": sale,
        "confirm": sale is not None
        and application.state == State.DRAFT
        and getattr(user, "pk", None) == application.applicant_id,
        "confirm_form": bound.get("confirm") or ConfirmForm(),
    }


COFILING_PANEL = Panel("cofiling/panel.html", cofiling_context)
