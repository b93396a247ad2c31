"""The government platform's record services as plugins, one module each: the request a
service sends, how its answer is judged, the document that stands in for it and what is tried
when it does not pass. Importing this package registers them all."""

from django.core.exceptions import ImproperlyConfigured

from . import (
    business_license,
    construction_permit,
    construction_planning,
    face,
    id_card,
    land_planning,
    project_approval,
    real_estate,
    tenancy,
)
from .registry import (
    Fallback,
    ProjectPermit,
    RecordService,
    Subject,
    record_service,
    register,
    registered_codes,
)

# The order the services are listed in (model choices, admin filters): the design's table.
_LISTED = [
    id_card,
    face,
    business_license,
    real_estate,
    tenancy,
    land_planning,
    construction_planning,
    construction_permit,
    project_approval,
]


def all_services() -> list[RecordService]:
    return [record_service(module.CODE) for module in _LISTED]


def _check_registry() -> None:
    """Fail at start-up, not on the first check, when the plugins and the list disagree."""
    codes = [module.CODE for module in _LISTED]
    if sorted(codes) != sorted(registered_codes()):
        raise ImproperlyConfigured("every registered record service must be listed, once")
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
