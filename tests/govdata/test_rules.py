"""The rule table (`govdata/rules.py`) over the record-service registry."""

from govdata.records import all_services, record_service
from govdata.rules import RULES, required_checks


def test_every_record_service_is_requested_by_at_least_one_rule():
    named = {service for checks in RULES.values() for service in checks}
    # A fallback (a registered lease for a title) is requested through the check it stands in
    # for, whenever that check does not pass.
    fallbacks = {
        record_service(code).fallback.service
        for code in named
        if record_service(code).fallback is not None
    }
    requested = named | fallbacks
    registered = {service.code for service in all_services()}
    assert len(registered) == 9
    assert registered == requested, sorted(registered ^ requested)
    assert "construction_permit" in named  # the ninth, in use since the temporary supply


def test_a_temporary_supply_checks_the_licence_the_project_and_the_construction_permit():
    for voltage in ("low", "high"):
        assert required_checks(
            kind="temporary_supply", customer_type="enterprise", voltage=voltage
        ) == ["business_license", "project_approval", "construction_permit"]
    # A building site has no title yet: no property record is asked for.
    assert "real_estate" not in required_checks(
        kind="temporary_supply", customer_type="enterprise", voltage="low"
    )
