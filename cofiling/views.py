"""Pages and API of matters filed together and of the prepared transfer's confirmation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.selectors import application_get_or_404
from portal.api import CONFLICT, FIELD_ERRORS, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED
from portal.errors import DomainError, InvalidInput
from portal.models import Role
from portal.pages import role_required, show_refusal

from .forms import ConfirmForm, MatterForm
from .services import cofiling_summaries, matter_file, prepared_transfer_confirm


def _page(pk: int) -> HttpResponse:
    return redirect("applications:page", pk=pk)


@require_POST
@role_required(Role.CLERK)
def file_matter(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_or_404(user=request.user, pk=pk)
    form = MatterForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(form.errors)
        matter_file(
            application_id=application.pk, actor=request.user, agency=form.cleaned_data["agency"]
        )
        messages.success(request, _("The matter is filed with the agency."))
    except DomainError as error:
        show_refusal(request, error)
    return _page(application.pk)


@require_POST
@role_required(Role.APPLICANT)
def confirm_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_or_404(user=request.user, pk=pk, own=True)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        prepared_transfer_confirm(
            application_id=application.pk,
            actor=request.user,
            consent=bool(form.cleaned_data.get("consent")),
        )
        messages.success(request, _("Confirmed: the transfer is submitted."))
    except DomainError as error:
        show_refusal(request, error)
    return _page(application.pk)


class MatterFileSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=30)


class ConfirmSerializer(serializers.Serializer):
    consent = serializers.BooleanField(default=False)
    face_consent = serializers.BooleanField(required=False, default=False)
    face_photo = serializers.CharField(required=False, default="", max_length=2_000_000)


MATTER = inline_serializer(
    "LinkedMatter",
    {
        "agency": serializers.CharField(),
        "number": serializers.CharField(),
        "status": serializers.CharField(),
        "status_label": serializers.CharField(),
    },
)


class LinkedMattersApi(APIView):
    @extend_schema(
        summary="File a matter with another agency together with this application (counter)",
        request=MatterFileSerializer,
        responses={
            201: MATTER,
            400: FIELD_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        operation_id="application_linked_matters_file",
    )
    def post(self, request, pk: int):
        application = application_get_or_404(user=request.user, pk=pk)
        body = MatterFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        matter_file(
            application_id=application.pk, actor=request.user, agency=body.validated_data["agency"]
        )
        return Response(cofiling_summaries(application), status=status.HTTP_201_CREATED)


class PreparedTransferConfirmApi(APIView):
    @extend_schema(
        summary="Confirm the transfer prepared from a property sale (the buyer's first step)",
        request=inline_serializer(
            "PreparedTransferConfirm", {"consent": serializers.BooleanField()}
        ),
        responses={
            200: inline_serializer("Confirmed", {"state": serializers.CharField()}),
            400: FIELD_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        operation_id="application_prepared_transfer_confirm",
    )
    def post(self, request, pk: int):
        application = application_get_or_404(user=request.user, pk=pk)
        body = ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        application = prepared_transfer_confirm(
            application_id=application.pk,
            actor=request.user,
            consent=data["consent"],
            submit={"face_consent": data["face_consent"], "face_photo": data["face_photo"]},
        )
        return Response({"state": application.state})


app_name = "cofiling"
urlpatterns = [
    path("applications/<int:pk>/linked-matters/", file_matter, name="file"),
    path("applications/<int:pk>/confirm-transfer/", confirm_transfer, name="confirm"),
]
api_urlpatterns = [
    path(
        "applications/<int:pk>/linked-matters/",
        LinkedMattersApi.as_view(),
        name="api-linked-matters",
    ),
    path(
        "applications/<int:pk>/prepared-transfer/confirm/",
        PreparedTransferConfirmApi.as_view(),
        name="api-prepared-transfer-confirm",
    ),
]
