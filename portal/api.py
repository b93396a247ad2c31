"""What every app's API shares: the one exception handler (domain refusals and DRF's own errors
as RFC 9457 problem details), the error responses each operation documents, and the scoped
list view. Apps' API views raise; they never catch a domain error themselves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError, TooManyRequests

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_response(*, status: int, title: str, detail: str = "", **extra) -> Response:
    """An RFC 9457 problem: type/title/status/detail, with extension members (field errors at the
    top level, by field name, as clients of this API have always read them)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = Response(body, status=status)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_json(*, status: int, title: str, detail: str = "") -> JsonResponse:
    """The same problem, answered from outside DRF (a middleware, django-axes' lockout)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def domain_error_response(error: DomainError) -> Response:
    """A refusal as a problem: field errors beside a 400 or 429, the state and the steps
    allowed beside a 409, `Retry-After` with a 429."""
    extra: dict = dict(error.errors) if error.status in (400, 429) else {}
    if error.status == 409:
        extra = {"state": error.state, "allowed_transitions": error.allowed}
    response = problem_response(status=error.status, title=error.title, detail=str(error), **extra)
    if isinstance(error, TooManyRequests):
        response["Retry-After"] = str(error.retry_after)
    return response


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: domain errors by their status; DRF's own errors (validation,
    authentication, 404, throttling) with the same problem shape."""
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        first = next((m for v in fields.values() for m in (v if isinstance(v, list) else [v])), "")
        problem = problem_response(
            status=response.status_code, title="Invalid input", detail=str(first), **fields
        )
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else str(data)
        problem = problem_response(
            status=response.status_code,
            title=getattr(exc, "default_code", "error").replace("_", " ").capitalize(),
            detail=str(detail),
        )
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem


class ErrorSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()


class ConflictSerializer(ErrorSerializer):
    state = serializers.CharField()
    allowed_transitions = serializers.ListField(child=serializers.CharField())


FIELD_ERRORS = OpenApiResponse(
    ErrorSerializer, description="Field errors: problem details with {field: [messages]}"
)
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Your role may not do this")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such object for you")
CONFLICT = OpenApiResponse(ConflictSerializer, description="Not possible in the current state")
NO_SUCH_PAGE = OpenApiResponse(ErrorSerializer, description="No such page")
# What an action on one object can answer besides success.
ACTION_ERRORS = {
    400: FIELD_ERRORS,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
}


class ScopedListApi(GenericAPIView):
    """A paginated list of what a selector lets the caller see."""

    model: type

    def select(self, user):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.model.objects.none()
        return self.select(self.request.user)

    def list_response(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        serializer = self.get_serializer_class()(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)
