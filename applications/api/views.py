"""REST API for partner channels and the pages' live parts. One class per operation; refusals
are raised by the services and answered by `portal.api.exception_handler`."""

import hashlib

import django_filters
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.access_log import What, personal_data_viewed
from portal.api import (
    ACTION_ERRORS,
    CONFLICT,
    FIELD_ERRORS,
    FORBIDDEN,
    NO_SUCH_PAGE,
    NOT_FOUND,
    UNAUTHENTICATED,
    ErrorSerializer,
    ScopedListApi,
)
from portal.client import client_ip
from portal.parsers import BoundedJSONParser
from portal.pdf import pdf_response

from ..commitment import COMMITMENT_TEXT, COMMITMENT_TEXT_EN, COMMITMENT_VERSION
from ..downloads import document_of, document_response
from ..models import Application, Channel, Kind, State
from ..selectors import application_get, application_get_or_404, application_list
from ..services import (
    application_file,
    application_transition,
    document_add,
)
from ..services.accounts import account_lookup
from ..services.contract import (
    contract_prepare,
    contract_send_code,
    contract_verify,
)
from ..services.properties import CONSENT_FIELD, properties_for_filing
from ..survey import booking_held, days_asked, free_slot_days
from ..workflows import STEPS
from .serializers import (
    AccountLookupSerializer,
    AccountSummarySerializer,
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    MeSerializer,
    PropertyListSerializer,
    PropertyLookupSerializer,
    SurveySlotsSerializer,
    TransitionSerializer,
)


class MeApi(APIView):
    @extend_schema(responses={200: MeSerializer, 401: UNAUTHENTICATED})
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class CommitmentSerializer(serializers.Serializer):
    version = serializers.CharField()
    text = serializers.CharField(help_text="The binding Chinese text, the one signed and hashed.")
    text_en = serializers.CharField(help_text="English reading aid.")
    sha256 = serializers.CharField()


class CommitmentApi(APIView):
    """The commitment text the filing step signs (lines of 150 m or less)."""

    @extend_schema(responses={200: CommitmentSerializer, 401: UNAUTHENTICATED})
    def get(self, request):
        return Response(
            {
                "version": COMMITMENT_VERSION,
                "text": COMMITMENT_TEXT,
                "text_en": COMMITMENT_TEXT_EN,
                "sha256": hashlib.sha256(COMMITMENT_TEXT.encode()).hexdigest(),
            }
        )


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    created_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Application
        fields = ["state", "kind", "channel", "created_from", "created_to"]


class ApplicationListCreateApi(ScopedListApi):
    model = Application
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter

    def select(self, user):
        return application_list(user=user)

    @extend_schema(
        responses={
            200: ApplicationSerializer(many=True),
            400: FIELD_ERRORS,
            401: UNAUTHENTICATED,
            404: NO_SUCH_PAGE,
        }
    )
    def get(self, request):
        response = self.list_response(request)
        # The rows just shown, in full for staff: one access per application on the page.
        personal_data_viewed(request, what=What.APPLICATION_LIST, applications=self.shown)
        return response

    def paginate_queryset(self, queryset):
        self.shown = super().paginate_queryset(queryset) or []
        return self.shown

    @extend_schema(
        request=ApplicationCreateSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                location=OpenApiParameter.HEADER,
                required=False,
                description=(
                    "A retried create with the same key (at most 255 characters) and the same "
                    "body returns the first application; the caller's key reused with another "
                    "body is refused with 422."
                ),
            )
        ],
        responses={
            201: ApplicationDetailSerializer,
            200: OpenApiResponse(
                ApplicationDetailSerializer,
                description="Replayed: the first application for this key",
            ),
            400: FIELD_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            422: OpenApiResponse(
                ErrorSerializer, description="The Idempotency-Key was used for another request"
            ),
            409: CONFLICT,
        },
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip() or None
        application, created = application_file(
            actor=request.user, data=request.data, idempotency_key=key
        )
        body = ApplicationDetailSerializer(application, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ApplicationDetailApi(APIView):
    @extend_schema(
        responses={200: ApplicationDetailSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND}
    )
    def get(self, request, pk: int):
        application = application_get_or_404(user=request.user, pk=pk)
        personal_data_viewed(request, what=What.API_DETAIL, applications=[application])
        return Response(ApplicationDetailSerializer(application, context={"request": request}).data)


class ApplicationTransitionApi(APIView):
    @extend_schema(
        request=TransitionSerializer,
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=sorted(STEPS))],
        responses={
            200: ApplicationDetailSerializer,
            **ACTION_ERRORS,
        },
    )
    def post(self, request, pk: int, name: str):
        application = application_get_or_404(user=request.user, pk=pk)
        if name not in STEPS:
            raise Http404
        # The service refuses a wrong role or state before it judges the payload.
        body = request.data if hasattr(request.data, "get") else {}
        application = application_transition(
            application_id=application.pk,
            name=name,
            actor=request.user,
            payload=dict(body.items()),
            client_address=client_ip(request),
        )
        fresh = application_get(user=request.user, pk=pk)
        if fresh is None:  # e.g. a transfer completed: the former holder no longer sees it
            return Response({"detail": "done", "state": application.state})
        personal_data_viewed(request, what=What.API_DETAIL, applications=[fresh])
        return Response(ApplicationDetailSerializer(fresh, context={"request": request}).data)


class SurveySlotsApi(APIView):
    """The free site-survey slots of the application's area for the next working days, for the
    applicant or the area's engineer while a survey can be booked or moved. Book one with the
    `schedule_survey` step (`reschedule_survey` once booked, with a reason) and its `start`."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "days", int, description="Working days ahead, from tomorrow: 1 to 30 (10)."
            )
        ],
        responses={
            200: SurveySlotsSerializer,
            400: FIELD_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def get(self, request, pk: int):
        application = application_get_or_404(user=request.user, pk=pk)
        days = free_slot_days(
            application=application,
            actor=request.user,
            days=days_asked(request.query_params.get("days")),
        )
        data = {"booked": booking_held(application), "days": days}
        return Response(SurveySlotsSerializer(data).data)


class DocumentUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            201: DocumentSerializer,
            **ACTION_ERRORS,
        },
    )
    def post(self, request, pk: int):
        application = application_get_or_404(user=request.user, pk=pk, whole=True)
        document = document_add(
            application=application,
            actor=request.user,
            doc_type=request.data.get("doc_type", ""),
            upload=request.FILES.get("file"),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadApi(APIView):
    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file"),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        }
    )
    def get(self, request, pk: int, document_id: int):
        # Neither the holder asked for consent nor a supervisor gets a document: 404.
        application = application_get_or_404(user=request.user, pk=pk, whole=True)
        document = document_of(application, document_id)
        return document_response(request, application, document, inline=False)


class ContractApi(APIView):
    """The supply contract PDF (made when the application waits for its signature)."""

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: CONFLICT,
        }
    )
    def get(self, request, pk: int):
        application = application_get_or_404(user=request.user, pk=pk, whole=True)
        contract = contract_prepare(application=application)
        return pdf_response(
            contract.pdf,
            f"contract-{application.number}.pdf",
            **{"X-Content-SHA256": contract.sha256},
        )


class ContractCodeApi(APIView):
    """Send the SMS code that signs the contract to the application's mobile number."""

    @extend_schema(
        request=None,
        responses={
            202: ErrorSerializer,
            **ACTION_ERRORS,
        },
    )
    def post(self, request, pk: int):
        contract_send_code(
            application=application_get_or_404(user=request.user, pk=pk, whole=True),
            actor=request.user,
        )
        return Response({"detail": "sent"}, status=status.HTTP_202_ACCEPTED)


class ContractVerifySerializer(serializers.Serializer):
    file = serializers.FileField()


class ContractVerifyApi(APIView):
    """Is this file exactly a signed contract? Answers with the application and signing time."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=ContractVerifySerializer,
        responses={
            200: inline_serializer(
                "ContractVerification",
                {
                    "matches": serializers.BooleanField(),
                    "application_number": serializers.CharField(allow_null=True),
                    "signed_at": serializers.DateTimeField(allow_null=True),
                },
            ),
            400: FIELD_ERRORS,
            401: UNAUTHENTICATED,
        },
    )
    def post(self, request):
        serializer = ContractVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = contract_verify(serializer.validated_data["file"].read())
        return Response(
            {
                "matches": contract is not None,
                "application_number": contract.application.number if contract else None,
                "signed_at": contract.signed_at if contract else None,
            }
        )


class AccountLookupApi(APIView):
    """Start a capacity increase or a transfer from the account number: what the portal knows
    of the account (holder masked), to fill in the filing."""

    @extend_schema(
        request=AccountLookupSerializer,
        responses={
            200: AccountSummarySerializer,
            400: FIELD_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    )
    def post(self, request):
        body = request.data if hasattr(request.data, "get") else {}
        summary = account_lookup(
            actor=request.user,
            kind=str(body.get("kind") or ""),
            number=str(body.get("account_number") or ""),
        )
        return Response(AccountSummarySerializer(summary).data)


def _integer(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PropertiesApi(APIView):
    """Choose your property: with the applicant's consent, the titles the real-estate registry
    holds for them, each a supply address (county and address) to file a new connection for.
    Applicants for themselves; counter clerks for a walk-in applicant."""

    @extend_schema(
        request=PropertyLookupSerializer,
        responses={
            200: PropertyListSerializer,
            400: FIELD_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            409: CONFLICT,
        },
    )
    def post(self, request):
        body = request.data if hasattr(request.data, "get") else {}
        properties = properties_for_filing(
            actor=request.user,
            consent=body.get(CONSENT_FIELD) in (True, "true", "True", "on", "1", 1),
            applicant=_integer(body.get("applicant")),
            id_number=str(body.get("id_number") or ""),
            credit_code=str(body.get("credit_code") or ""),
            path=request.path_info,
        )
        return Response(PropertyListSerializer({"properties": properties}).data)
