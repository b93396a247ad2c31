"""Real-name binding through the API: the applicant's own binding (read, bind online with a face
match, bind the enterprise's credit code), a clerk's binding in person, a supervisor's unbind.
The forms parse; `portal.identity` and `govdata.identity` hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from govdata.identity import enterprise_verify_online, identity_verify_online
from portal.api import ACTION_ERRORS, FORBIDDEN, UNAUTHENTICATED
from portal.errors import InvalidInput, NotFound, NotPermitted
from portal.identity import identity_bind, identity_of, identity_unbind
from portal.masking import mask_id_number
from portal.models import IdentityBinding, Role, User

from ..forms import CounterBindForm, EnterpriseIdentityForm, IdentityForm, UnbindForm


def parsed(form_class: type[forms.Form], data) -> dict:
    """The body parsed by the form: its cleaned data, or every problem at once as a field error
    (400)."""
    if not hasattr(data, "items"):
        raise InvalidInput({"non_field_errors": [_("Send the fields as an object.")]})
    form = form_class(data=data)
    if not form.is_valid():
        raise InvalidInput({name: list(problems) for name, problems in form.errors.items()})
    return form.cleaned_data


class IdentitySerializer(serializers.Serializer):
    bound = serializers.BooleanField()
    method = serializers.CharField(allow_blank=True)
    how = serializers.CharField(allow_blank=True, help_text="How the person was verified.")
    bound_at = serializers.DateTimeField(allow_null=True)
    name = serializers.CharField(allow_blank=True)
    id_number = serializers.CharField(allow_blank=True, help_text="Masked.")
    credit_code = serializers.CharField(allow_blank=True)
    enterprise_name = serializers.CharField(allow_blank=True)


def identity_body(binding: IdentityBinding | None) -> dict:
    if binding is None:
        return dict.fromkeys(IdentitySerializer().fields, "") | {"bound": False, "bound_at": None}
    return {
        "bound": True,
        "method": binding.method,
        "how": binding.how,
        "bound_at": binding.bound_at,
        "name": binding.name,
        "id_number": mask_id_number(binding.id_number),
        "credit_code": binding.credit_code,
        "enterprise_name": binding.enterprise_name,
    }


class IdentityBindSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=18)
    face_consent = serializers.BooleanField(
        help_text="Separate consent to the face check (sensitive personal data); required."
    )
    face_photo = serializers.CharField(help_text="The face photo as a data URL; never stored.")


class EnterpriseBindSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=18)


class CounterBindSerializer(serializers.Serializer):
    applicant = serializers.IntegerField(help_text="The walk-in applicant's account.")
    name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=18)


class UnbindSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="The applicant account whose binding ends.")
    reason = serializers.CharField(max_length=200)


def _applicant(user) -> None:
    if user.role != Role.APPLICANT:
        raise NotPermitted(_("Only applicant accounts are bound to a person."))


class IdentityApi(APIView):
    """The caller's binding; POST binds it online (identity service and face match)."""

    @extend_schema(responses={200: IdentitySerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN})
    def get(self, request):
        _applicant(request.user)
        return Response(identity_body(identity_of(request.user)))

    @extend_schema(
        request=IdentityBindSerializer, responses={201: IdentitySerializer, **ACTION_ERRORS}
    )
    def post(self, request):
        _applicant(request.user)
        data = parsed(IdentityForm, request.data)
        binding = identity_verify_online(
            user=request.user,
            name=data["name"],
            id_number=data["id_number"],
            face_consent=data["face_consent"],
            photo=data["face_photo"],
        )
        return Response(identity_body(binding), status=status.HTTP_201_CREATED)


class EnterpriseIdentityApi(APIView):
    """Bind an enterprise account to its credit code: the bound person must be the legal
    representative the business licence names."""

    @extend_schema(
        request=EnterpriseBindSerializer, responses={201: IdentitySerializer, **ACTION_ERRORS}
    )
    def post(self, request):
        _applicant(request.user)
        data = parsed(EnterpriseIdentityForm, request.data)
        binding = enterprise_verify_online(user=request.user, credit_code=data["credit_code"])
        return Response(identity_body(binding), status=status.HTTP_201_CREATED)


def _account(pk) -> User:
    user = User.objects.filter(pk=pk, role=Role.APPLICANT).first()
    if user is None:
        raise NotFound(_("No such applicant."))
    return user


class CounterIdentityApi(APIView):
    """A counter clerk binds a walk-in applicant in person, having seen the ID card."""

    @extend_schema(
        request=CounterBindSerializer, responses={201: IdentitySerializer, **ACTION_ERRORS}
    )
    def post(self, request):
        if request.user.role != Role.CLERK:
            raise NotPermitted(_("Only a counter clerk binds an applicant in person."))
        data = parsed(CounterBindForm, request.data)
        applicant = _account(data["applicant"])
        binding = identity_bind(
            user=applicant,
            name=data["name"],
            id_number=data["id_number"],
            method=IdentityBinding.Method.COUNTER,
            clerk=request.user,
        )
        return Response(identity_body(binding), status=status.HTTP_201_CREATED)


class IdentityUnbindApi(APIView):
    """A supervisor (or an operator) ends an account's binding, with a reason; logged."""

    @extend_schema(request=UnbindSerializer, responses={200: IdentitySerializer, **ACTION_ERRORS})
    def post(self, request):
        data = parsed(UnbindForm, request.data)
        identity_unbind(user=_account(data["user"]), actor=request.user, reason=data["reason"])
        return Response(identity_body(None))
