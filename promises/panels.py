"""What the promises app adds to the application's pages (applicant, engineer), to the public
progress page and to the API detail (registered from `PromisesConfig.ready`)."""

from __future__ import annotations

from applications.extensions import Panel

from .forms import ContactForm
from .interactions import may_record_contact
from .summary import promise_summary


def promise_panel_context(application, user, bound: dict) -> dict:
    return {
        "application": application,
        "promise": promise_summary(application),
        "contact_form": bound.get("contact") or ContactForm(),
        "may_record": may_record_contact(user, application),
    }


def public_panel_context(application) -> dict:
    return {"application": application, "promise": promise_summary(application, public=True)}


def promise_detail(application) -> dict:
    return promise_summary(application)


PROMISE_PANEL = Panel("promises/panel.html", promise_panel_context)
PUBLIC_PANEL = Panel("promises/public_panel.html", public_panel_context)
