"""Addresses as the registry knows them: one normaliser for the portal and the mock platform.

A person types an address the way they say it — the county chosen from a list or typed in
front, "和平路 3 号" with spaces, full-width "和平路３号", "號" for "号", the province and city
before it — while the real-estate registry holds one form: county + road + number
("天桥区和平路3号"). Both sides put an address into that form before comparing, so they agree
on what matches. Pure Python (no Django, no app): the mock platform imports it too.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces of every kind (NFKC turns the ideographic space into a plain one, not these).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_VARIANTS = str.maketrans({"號": "号", "—": "-", "－": "-", "–": "-"})
_PROVINCE = re.compile(r"^(?:山东省|山东)")
# A prefecture-level city ("济南市") in front of a county-level division ("天桥区").
_CITY_NAME = r"^(?:(?!市)[\u4e00-\u9fff]){2,3}市"
_CITY = re.compile(_CITY_NAME + r"(?=[\u4e00-\u9fff]{1,4}[区县市])")
# With the county chosen apart, a city typed in front of the road is the county's own city.
_CITY_BEFORE_ROAD = re.compile(_CITY_NAME)
# Whatever stands before the county when the county is found in the text: province, city.
_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}[省市])*$")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_INVISIBLE).translate(_VARIANTS)
    return "".join(text.split()).upper()


def normalise_address(text: str, *, county: str = "") -> str:
    """The registry's form of an address: county + road + number, half-width, no spaces.

    `county` is the county-level division's name when it was chosen apart from the typed
    text; typed in front (with or without the province and city) it is recognised either
    way. A house number typed without "号" gets it."""
    address = _PROVINCE.sub("", _clean(text))
    county = _clean(county)
    if county:
        at = address.find(county)
        if at >= 0 and _PREFIX.match(address[:at]):
            address = address[at:]
        else:
            address = county + _CITY_BEFORE_ROAD.sub("", address)
    else:
        address = _CITY.sub("", address)
    if address and address[-1].isdigit():
        address += "号"
    return address


def same_address(typed: str, known: str, *, county: str = "") -> bool:
    """Do two addresses name the same place once both are in the registry's form?"""
    return normalise_address(typed, county=county) == normalise_address(known, county=county)
