"""The API's request parsers (imported by DRF's settings: nothing of DRF's views here)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser


def json_depth(value) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON bodies nested deeper than `JSON_MAX_DEPTH` are a 400 naming the body, never a
    `RecursionError` (the parser's own limit) answered as a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = exceptions.ParseError(
            _("The request body nests deeper than %(n)s levels.") % {"n": settings.JSON_MAX_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if json_depth(data) > settings.JSON_MAX_DEPTH:
            raise too_deep
        return data
