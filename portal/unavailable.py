"""While the database or Redis cannot be reached, people and clients get a clean 503 with
`Retry-After` — JSON problem details for the API, a page in their language for people — never
a 500 that tells them nothing."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .api import problem_json

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
DEPENDENCY_ERRORS = (
    OperationalError,
    InterfaceError,
    BrokerError,
    RedisConnectionError,
    RedisTimeoutError,
)


def error_response(request, *, status: int, title: str, page_title: str, detail: str, again=False):
    """A refusal made before any view runs: RFC 9457 problem details for the API (`title` in
    English, as the API's titles are), the error page in the person's language for people."""
    if request.path.startswith("/api/"):
        return problem_json(status=status, title=title, detail=detail)
    context = {"title": page_title, "detail": detail, "again": again}
    return render(request, "error.html", context, status=status)


def unavailable_response(request):
    response = error_response(
        request,
        status=503,
        title="Service unavailable",
        page_title=_("Briefly unavailable"),
        detail=_("The service is briefly unavailable. Please try again in a few seconds."),
        again=True,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DependencyUnavailableMiddleware:
    """Turns a lost database or Redis connection in a view into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DEPENDENCY_ERRORS):
            logger.warning("503 for %s: %r", request.path, exception, exc_info=exception)
            return unavailable_response(request)
        return None


def server_error(request):
    """`handler500`: an outage met outside a view (a middleware reading the session, say) is a
    503 as well; anything else is a 500 — problem details for the API, the page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DEPENDENCY_ERRORS):
        return unavailable_response(request)
    return error_response(
        request,
        status=500,
        title="Server error",
        page_title=_("Something went wrong"),
        detail=_("The error was logged. Please try again later."),
    )


def not_found(request, exception=None):
    """`handler404`: any address that leads nowhere — an API path with a malformed id
    included — is problem details for the API, and the friendly page (`404.html`, in the
    person's language, with a way on) otherwise; never Django's HTML page for an API client."""
    if request.path.startswith("/api/"):
        return error_response(
            request,
            status=404,
            title="Not found",
            page_title=_("Page not found"),
            detail="There is nothing at this address.",
        )
    return render(request, "404.html", status=404)
