"""The sign-in API: a token for a username and password, sign-out (this token or all of one's
tokens), and one's own tokens listed and revoked. A locked-out attempt is answered 429 by
django-axes' middleware (`portal.signin.lockout`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.views import LogoutAllView, LogoutView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import FIELD_ERRORS, NOT_FOUND, UNAUTHENTICATED, ErrorSerializer

from .tokens import api_token_create, api_token_revoke, api_tokens_of

LOCKED_OUT = OpenApiResponse(
    ErrorSerializer, description="Too many failed sign-ins: locked for the cool-off (Retry-After)"
)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    otp_token = serializers.CharField(
        max_length=8,
        required=False,
        allow_blank=True,
        help_text="The authenticator app's code; required of staff logins when the portal "
        "requires a second factor.",
    )


class TokenSerializer(serializers.Serializer):
    prefix = serializers.CharField(source="token_key", help_text="The token's first characters.")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()


TokenResponse = inline_serializer(
    "TokenResponse", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
)


class TokenCreateApi(APIView):
    """A token for API clients: send it as `Authorization: Token <token>`. It expires (see
    `expiry`) and is stored only as a digest: it is shown once."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponse, 400: FIELD_ERRORS, 429: LOCKED_OUT},
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row, token = api_token_create(request=request._request, **serializer.validated_data)
        return Response({"token": token, "expiry": row.expiry})


SIGNED_OUT = {204: OpenApiResponse(description="Signed out"), 401: UNAUTHENTICATED}


class TokenLogoutApi(LogoutView):
    """Revoke the token this request is signed with."""

    @extend_schema(request=None, responses=SIGNED_OUT)
    def post(self, request, format=None):
        return super().post(request, format)


class TokenLogoutAllApi(LogoutAllView):
    """Revoke every token of the signed-in user."""

    @extend_schema(request=None, responses=SIGNED_OUT)
    def post(self, request, format=None):
        return super().post(request, format)


class TokenListApi(APIView):
    """One's own tokens that have not expired: prefix, created and expiry (never the token)."""

    @extend_schema(responses={200: TokenSerializer(many=True), 401: UNAUTHENTICATED})
    def get(self, request):
        return Response(TokenSerializer(api_tokens_of(request.user), many=True).data)


class TokenRevokeApi(APIView):
    """Revoke one of one's own tokens by its prefix."""

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Revoked"),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def delete(self, request, prefix: str):
        api_token_revoke(user=request.user, prefix=prefix)
        return Response(status=status.HTTP_204_NO_CONTENT)
