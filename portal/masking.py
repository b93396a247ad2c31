"""One way to mask personal data wherever it is shown to someone who may not see it whole."""

from __future__ import annotations

import re


def mask(value: str, keep_start: int = 1, keep_end: int = 0) -> str:
    """Keep `keep_start` characters at the front and `keep_end` at the back; star the rest."""
    if not value:
        return value
    keep_end = min(keep_end, max(len(value) - keep_start, 0))
    hidden = max(len(value) - keep_start - keep_end, 0)
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


def mask_name(value: str) -> str:
    return mask(value, 1)


def mask_id_number(value: str) -> str:
    """ID numbers and credit codes: the region and the check digits stay readable; a value too
    short to hide anything in is starred whole."""
    if len(value or "") <= 8:
        return "*" * len(value or "")
    return mask(value, 4, 4)


def mask_phone(value: str) -> str:
    return mask(value, 3, 4)


def mask_address(value: str) -> str:
    return mask(value, 6)


_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def mask_codes(text: str) -> str:
    """Star every one-time code (a run of exactly six digits) in a message before it is logged
    or shown to anyone but its recipient."""
    return _CODE.sub("******", text or "")
