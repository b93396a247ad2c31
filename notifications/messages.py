"""Every notification text in one table: a kind, and its text with named parameters."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.models import Department

# The sender's name opens every SMS, as Chinese SMS carry it: the reader knows which portal to
# answer in.
SMS_SIGNATURE = _("[Getting Electricity portal] ")

KINDS = {
    "task_assigned": _(
        "New permit task for application %(number)s: decide by %(due_date)s (%(department)s)."
    ),
    "task_answered": _(
        "The applicant answered your question on application %(number)s; the clock runs again, "
        "new due date %(due_date)s."
    ),
    "task_overdue": _(
        "The permit task for application %(number)s (%(department)s) is overdue since %(due_date)s."
    ),
    "commitment_filed": _(
        "For information: the applicant of %(number)s filed a commitment for a line of "
        "%(line_length_m)s m (%(department)s); no approval is needed."
    ),
    "task_returned": _(
        "%(department)s asks about your application %(number)s: %(question)s. Answer on the "
        "Getting Electricity portal; the five-day clock waits for you."
    ),
    "task_approved": _(
        "%(department)s approved the permit for your application %(number)s (permit "
        "%(permit_number)s)."
    ),
    "task_rejected": _(
        "%(department)s refused the permit for your application %(number)s: %(reason)s"
    ),
    "overdue_assigned": _("You are asked to follow up the overdue task on application %(number)s."),
    "application_moved": _("Your application %(number)s is now at: %(state_label)s."),
    "filed_in_your_name": _(
        "An application for electricity (%(number)s) was filed in your name on the Getting "
        "Electricity portal by someone you authorised. If you did not, call 95598."
    ),
    "temporary_ends_soon": _(
        "The temporary supply of application %(number)s ends on %(ends_on)s. To keep it, ask "
        "for an extension on the Getting Electricity portal before then (within your "
        "construction permit's validity); otherwise the meter and line are removed."
    ),
    "temporary_overdue": _(
        "The temporary supply of application %(number)s passed its end date (%(ends_on)s) and "
        "is still on: remove it or have it extended."
    ),
    "temporary_removal_scheduled": _(
        "The permanent connection %(permanent)s is on: the temporary supply of %(number)s is to "
        "be removed with it."
    ),
    "survey_reminder": _(
        "Reminder: the site survey for your application %(number)s is tomorrow, %(time)s. To "
        "move or cancel it, sign in to the Getting Electricity portal."
    ),
    "transfer_prepared": _(
        "The real-estate registry reports that you bought %(address)s. The transfer of its "
        "electricity account to you is prepared as %(number)s: sign in to the Getting Electricity "
        "portal with this mobile number to confirm it."
    ),
    "consent_requested": _(
        "Application %(number)s asks to transfer your electricity account %(account)s. Sign in "
        "to the Getting Electricity portal with this mobile number to give or refuse your consent."
    ),
}


def render(kind: str, params: dict) -> str:
    """The text in the active language; a department is kept as its code and named here."""
    template = KINDS.get(kind)
    if template is None:
        return kind
    if params.get("department") in Department.values:
        params = {**params, "department": Department(params["department"]).label}
    # `*_label` parameters are kept as their English message ids and translated when shown.
    params = {k: gettext(v) if k.endswith("_label") else v for k, v in params.items()}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
