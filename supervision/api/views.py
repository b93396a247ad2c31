"""GET /api/v1/stats/kpis/: the dashboard's figures for partner systems, with its filters."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import FIELD_ERRORS, FORBIDDEN, UNAUTHENTICATED
from portal.errors import InvalidInput, NotPermitted
from portal.models import Role

from ..forms import KpiFilterForm
from ..selectors import kpis


def _parameters() -> list[OpenApiParameter]:
    """The query parameters, read off the page's filter form: one description of both."""
    parameters = []
    for name, field in KpiFilterForm.base_fields.items():
        choices = (
            [c for c, _ in field.choices if c] if isinstance(field, forms.ChoiceField) else None
        )
        parameters.append(
            OpenApiParameter(
                name,
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description=str(field.label),
                enum=choices,
            )
        )
    return parameters


class KpisSerializer(serializers.Serializer):
    filters = serializers.DictField(help_text="The filters applied.")
    totals = serializers.DictField(help_text="Counts, shares (%), money (yuan), satisfaction.")
    world_bank = serializers.DictField(
        help_text="Procedures, calendar and working days to power-on (count, median, p75, "
        "p90, mean) and cost to the applicant."
    )
    channels = serializers.ListField(child=serializers.DictField())
    cities = serializers.ListField(child=serializers.DictField())
    months = serializers.ListField(child=serializers.DictField())
    gov_calls = serializers.DictField(
        help_text="Calls in total and per service, failures, latency."
    )
    approvals = serializers.DictField(help_text="Department decisions within the limit.")
    overdue = serializers.DictField(help_text="Overdue items opened, closed, time to close.")


class KpisApi(APIView):
    @extend_schema(
        parameters=_parameters(),
        responses={200: KpisSerializer, 400: FIELD_ERRORS, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    )
    def get(self, request):
        if request.user.role != Role.SUPERVISOR:
            raise NotPermitted(_("Only supervisors read the figures."))
        form = KpiFilterForm(request.query_params)
        if not form.is_valid():
            raise InvalidInput(form.errors)
        return Response(_exact(kpis(form.filters())))


def _exact(value):
    """Money is exact in the API: yuan amounts (Decimal) as strings with two places, as
    everywhere else in the API, never as JSON floats."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return value
