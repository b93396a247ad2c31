"""The applications app's part of the demo data (registered with `portal.demo` and run by
`seed_demo`): the demo enterprise's two building sites, each a draft temporary supply ready to
submit — one project whose construction permit is valid (it goes through with no document),
one whose permit has expired (the platform's answer asks for the permit, naming why). The
project codes are the mock platform's (`govdata/mock/registry.py`)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.models import User

from .models import Application, Kind, State
from .services import application_create, application_filing_clean

DEMO_ENTERPRISE_LOGIN = "enterprise"
# project code -> the site's address (Lixia district)
DEMO_SITES = {
    "2026-370102-44-01-000001": "历下区经十路100号（泉能大厦工地）",  # permit valid to 2028-10-01
    "2025-370102-47-01-000003": "历下区经十路120号（泉能二期工地）",  # permit expired
}


def seed_demo_sites() -> str:
    """A draft temporary supply of the demo enterprise for each demo site that has none."""
    enterprise = User.objects.filter(username=DEMO_ENTERPRISE_LOGIN).first()
    if enterprise is None:
        return "No demo enterprise: no demo building sites."
    today = timezone.localdate()
    created = 0
    for project_code, address in DEMO_SITES.items():
        drafts = Application.objects.filter(
            applicant=enterprise,
            kind=Kind.TEMPORARY_SUPPLY,
            project_code=project_code,
            state=State.DRAFT,
        )
        if drafts.exists():
            continue
        fields = application_filing_clean(
            actor=enterprise,
            data={
                "kind": Kind.TEMPORARY_SUPPLY,
                "customer_type": "enterprise",
                "phone": enterprise.phone,
                "voltage": "low",
                "capacity_kva": "160",
                "supply_county": "370102",
                "supply_address": address,
                "project_code": project_code,
                "starts_on": (today + timedelta(days=7)).isoformat(),
                "ends_on": (today + timedelta(days=187)).isoformat(),
                "site_contact_name": "王建国",
                "site_contact_phone": "13905310077",
                "data_sharing_consent": True,
            },
        )
        application_create(actor=enterprise, fields=fields)
        created += 1
    return f"{len(DEMO_SITES)} demo building sites of `enterprise` ({created} drafts added)."
