"""Addresses as the registry knows them: the normaliser, and the portal and the mock platform
agreeing on what matches (over real HTTP)."""

import pytest

from govdata.addresses import normalise_address, same_address
from govdata.mock import registry as reg
from govdata.mock.services import real_estate, tenancy
from govdata.records import Subject, record_service
from govdata.records import real_estate as real_estate_plugin

REGISTRY_FORM = "天桥区和平路3号"


@pytest.mark.parametrize(
    "typed",
    [
        "和平路3号",
        "和平路 3 号",  # spaces
        "和平路\u30003\u3000号",  # ideographic spaces
        "和平路\t3号\u200b",  # a tab, a zero-width space
        "和平路３号",  # a full-width digit
        "和平路３號",  # the traditional 號
        "和平路3",  # no 号 after the number
        "天桥区和平路3号",  # the county typed as well as chosen
        "天桥区 和平路 3 号",
        "济南市天桥区和平路3号",  # the city in front
        "山东省济南市天桥区和平路３号",  # the province too
        "济南市和平路3号",  # the city, the county only chosen
    ],
)
def test_a_typed_address_with_the_county_chosen_takes_the_registrys_form(typed):
    assert normalise_address(typed, county="天桥区") == REGISTRY_FORM


@pytest.mark.parametrize(
    "typed",
    [
        "天桥区和平路3号",
        "天桥区 和平路 3 号",
        "济南市天桥区和平路３号",
        "山东省济南市天桥区和平路3號",
    ],
)
def test_the_county_typed_in_front_is_recognised_without_a_choice(typed):
    assert normalise_address(typed) == REGISTRY_FORM


def test_full_width_letters_and_digits_become_half_width():
    assert normalise_address("经十路１２３号Ａ座", county="历下区") == "历下区经十路123号A座"


def test_a_county_whose_name_begins_with_city_is_not_taken_for_the_city():
    assert normalise_address("济南市市中区经十路88号") == "市中区经十路88号"
    assert normalise_address("市中区 经十路 88 号", county="市中区") == "市中区经十路88号"


def test_a_different_road_number_or_county_is_another_place():
    assert not same_address("和平路4号", REGISTRY_FORM, county="天桥区")
    assert not same_address("和平路3号", REGISTRY_FORM, county="历下区")
    assert not same_address("和平路33号", REGISTRY_FORM, county="天桥区")


def test_normalising_twice_changes_nothing():
    once = normalise_address("济南市天桥区 和平路３號", county="天桥区")
    assert normalise_address(once, county="天桥区") == once == REGISTRY_FORM


def test_the_mock_registry_matches_the_same_way():
    """In process: the mock's own rules with a typed address (and the county apart)."""
    registry = reg.build_registry()
    lease = tenancy(registry, {"tenant_id": reg.TENANT, "address": "天桥区和平路 ３ 号"})
    assert lease["found"]
    chosen = tenancy(registry, {"tenant_id": reg.TENANT, "address": "和平路3", "county": "370105"})
    assert chosen["found"]
    title = real_estate(registry, {"owner_id": reg.DEMO_RESIDENT, "address": "历下区 泉城路 1 號"})
    assert title["found"]
    elsewhere = real_estate(registry, {"owner_id": reg.DEMO_RESIDENT, "address": "泉城路1号"})
    assert not elsewhere["found"]  # without its county the road is anywhere


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["和平路 3 号", "和平路３号"])
def test_the_portals_request_is_found_by_the_mock_platform_over_http(govclient, typed):
    """What the portal sends for a walk-in (county 天桥区 chosen, the road typed) is what the
    mock platform, its own process, finds: the title check falls back to the lease."""
    address = normalise_address(typed, county="天桥区")
    subject = Subject(applicant_name="赵敏", id_number=reg.TENANT, supply_address=address)
    title = record_service(real_estate_plugin.CODE)
    request = title.request_for(subject)
    assert request["address"] == REGISTRY_FORM
    assert not govclient.look_up(title.code, request).result["found"]  # a tenant: no title
    lease = govclient.look_up(
        title.fallback.service, title.fallback.request(request), subject=reg.TENANT
    )
    assert lease.result["found"]
    raw = govclient.look_up("tenancy", {"tenant_id": reg.TENANT, "address": typed})
    assert not raw.result["found"], "without the chosen county the typed road is not enough"


@pytest.mark.django_db
def test_the_platform_lists_an_owners_titles_in_the_registrys_form(govclient):
    answer = govclient.look_up("real_estate_holdings", {"owner_id": reg.DEMO_ENTERPRISE})
    titles = answer.result["titles"]
    held = {(t["county"], t["address"]) for t in titles}
    assert {("370102", "历下区经十路9号"), ("370102", "历下区经十路11号")} <= held
    assert all(address == normalise_address(address) for _county, address in held)
    registry = reg.build_registry()
    assert len(titles) == len(registry.properties_of(reg.DEMO_ENTERPRISE))
    assert govclient.look_up("real_estate_holdings", {"owner_id": reg.NO_TITLE}).result == {
        "titles": []
    }
