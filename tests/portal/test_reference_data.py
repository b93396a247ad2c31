import pytest

from portal.models import Division, ServiceHall

pytestmark = pytest.mark.django_db


def test_the_province_has_16_cities_and_their_county_level_divisions(reference_data):
    cities = Division.objects.filter(level=Division.Level.CITY)
    counties = Division.objects.filter(level=Division.Level.COUNTY)
    assert cities.count() == 16
    assert counties.count() == 136
    assert set(cities.values_list("code", flat=True)) == {
        "370100", "370200", "370300", "370400", "370500", "370600", "370700", "370800",
        "370900", "371000", "371100", "371300", "371400", "371500", "371600", "371700",
    }  # fmt: skip


def test_every_county_belongs_to_the_city_its_code_names(reference_data):
    for county in Division.objects.filter(level=Division.Level.COUNTY).select_related("parent"):
        assert county.parent.level == Division.Level.CITY
        assert county.code[:4] == county.parent.code[:4]
        assert len(county.code) == 6 and county.code.isdigit()


def test_known_divisions_carry_their_official_codes(reference_data):
    # Laiwu became two districts of Jinan in 2019; Changdao county merged into Penglai in 2020.
    assert Division.objects.get(code="370116").name == "莱芜区"
    assert Division.objects.get(code="370614").name == "蓬莱区"
    assert not Division.objects.filter(code="371200").exists()
    assert Division.objects.get(code="371324").name == "兰陵县"


def test_every_city_has_a_service_hall(reference_data):
    for city in Division.objects.filter(level=Division.Level.CITY):
        assert ServiceHall.objects.filter(division__code__startswith=city.code[:4]).exists(), city


def test_a_city_covers_its_counties_and_a_county_only_itself(reference_data):
    jinan = Division.objects.get(code="370100")
    lixia = Division.objects.get(code="370102")
    assert jinan.covers("370102") and jinan.covers("370100")
    assert not jinan.covers("370202")
    assert lixia.covers("370102") and not lixia.covers("370103")
    assert lixia.city_code == "370100"
