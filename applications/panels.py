"""The parts of an application's page a kind adds, registered with `extensions` from
`ApplicationsConfig.ready` like the apps above do: a temporary supply's period, site contact,
permit validity, extension and removal; and, on a permanent connection, the temporary supply of
the same project it is linked to."""

from __future__ import annotations

from .extensions import Panel
from .models import SiteSupply
from .selectors import personal_data_masked_for


def site_panel_context(application, user, bound: dict) -> dict:
    site = SiteSupply.objects.select_related("permanent").filter(application=application).first()
    linked = list(
        SiteSupply.objects.filter(permanent=application).select_related("application__account")
    )
    return {
        "application": application,
        "site": site,
        "linked": linked,
        "masked": personal_data_masked_for(user, application),
    }


SITE_PANEL = Panel("applications/site_supply_panel.html", site_panel_context)
