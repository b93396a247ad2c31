"""The payments API: start paying what is due (the platform's pay page comes back), and the
application's orders. Refusals come from the services (`portal.api.exception_handler`)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.selectors import application_get_or_404
from portal.api import CONFLICT, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED

from .selectors import order_summary, payment_summaries
from .services import may_see_payments, payment_start


class OrderSerializer(serializers.Serializer):
    """An order: the amount in fen (integer) and in yuan (exact decimal), never a float."""

    order_no = serializers.CharField()
    purpose = serializers.CharField()
    status = serializers.CharField()
    amount_fen = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    paid_at = serializers.DateTimeField(allow_null=True)
    pay_url = serializers.CharField()
    refunded_at = serializers.DateTimeField(allow_null=True)
    invoice_number = serializers.CharField()


class PaymentsApi(APIView):
    @extend_schema(
        summary="The application's payment orders",
        responses={200: OrderSerializer(many=True), 401: UNAUTHENTICATED, 404: NOT_FOUND},
        operation_id="application_payments_list",
    )
    def get(self, request, pk: int):
        application = application_get_or_404(user=request.user, pk=pk)
        if not may_see_payments(request.user, application):
            return Response([])
        return Response(payment_summaries(application))

    @extend_schema(
        summary="Pay what is due: the order and its pay page",
        request=None,
        responses={
            201: OrderSerializer,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
            503: OpenApiResponse(description="The payment platform cannot be reached"),
        },
        operation_id="application_payments_start",
    )
    def post(self, request, pk: int):
        application = application_get_or_404(user=request.user, pk=pk)
        order = payment_start(application_id=application.pk, actor=request.user)
        return Response(order_summary(order), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("applications/<int:pk>/payments/", PaymentsApi.as_view(), name="api-payments"),
]
