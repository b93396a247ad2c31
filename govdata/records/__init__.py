"""The government platform's record services as plugins, one module each: the request a
service sends, how its answer is judged, the document that stands in for it and what is tried
when it does not pass. Importing this package imports every module beside this one, so a new
service is one new module here; nothing else lists it."""

import importlib
import pkgutil

from django.core.exceptions import ImproperlyConfigured

from .registry import (
    Fallback,
    ProjectPermit,
    RecordService,
    Subject,
    record_service,
    register,
    registered_codes,
)

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "registry":
        importlib.import_module(f"{__name__}.{_module.name}")

# The order the services are listed in (model choices, admin filters): the design's table; a
# service not named here comes after these, in the order of its code.
_ORDER = [
    "id_card",
    "face",
    "business_license",
    "real_estate",
    "tenancy",
    "land_planning",
    "construction_planning",
    "construction_permit",
    "project_approval",
]


def all_services() -> list[RecordService]:
    def position(code: str) -> tuple[int, str]:
        return (_ORDER.index(code) if code in _ORDER else len(_ORDER), code)

    return [record_service(code) for code in sorted(registered_codes(), key=position)]


def _check_registry() -> None:
    """Fail at start-up, not on the first check, when a plugin names an unknown fallback."""
    codes = set(registered_codes())
    for service in all_services():
        if service.fallback is not None and service.fallback.service not in codes:
            raise ImproperlyConfigured(
                f"{service.code} falls back to an unknown service {service.fallback.service!r}"
            )


_check_registry()


__all__ = [
    "Fallback",
    "ProjectPermit",
    "RecordService",
    "Subject",
    "all_services",
    "record_service",
    "register",
]
