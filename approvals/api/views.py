from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import (
    ACTION_ERRORS,
    FORBIDDEN,
    NO_SUCH_PAGE,
    UNAUTHENTICATED,
    ScopedListApi,
)
from portal.errors import NotPermitted
from portal.models import Role

from ..models import ApprovalTask, Decision
from ..selectors import approval_task_queue
from ..services import approval_task_answer, approval_task_decide


class ApprovalTaskSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    city = serializers.CharField(source="department.city_id")
    application_number = serializers.CharField(source="application.number")
    line_length_m = serializers.IntegerField(source="application.line_length_m")
    crosses_urban_road = serializers.BooleanField(source="application.crosses_urban_road")
    crosses_highway = serializers.BooleanField(source="application.crosses_highway")
    crosses_green_space = serializers.BooleanField(source="application.crosses_green_space")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalTask
        fields = [
            "id", "application_number", "department", "city", "state", "dispatched_at", "due_date",
            "due_uncertain", "overdue", "line_length_m", "crosses_urban_road", "crosses_highway",
            "crosses_green_space", "permit_number", "reason", "comment", "decided_at",
            "returned_at", "days_left", "answer", "answered_at", "overdue_since",
        ]  # fmt: skip

    def get_overdue(self, task) -> bool:
        return bool(getattr(task, "overdue", False))


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    permit_number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _only_approvers(request) -> None:
    if request.user.role != Role.APPROVER:
        raise NotPermitted(_("Only approvers work the approval queue."))


class ApprovalTaskListApi(ScopedListApi):
    model = ApprovalTask
    serializer_class = ApprovalTaskSerializer

    def select(self, user):
        return approval_task_queue(user=user)

    @extend_schema(
        responses={
            200: ApprovalTaskSerializer(many=True),
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NO_SUCH_PAGE,
        }
    )
    def get(self, request):
        _only_approvers(request)
        return self.list_response(request)


class ApprovalTaskDecideApi(APIView):
    @extend_schema(
        request=DecisionSerializer,
        responses={
            200: ApprovalTaskSerializer,
            **ACTION_ERRORS,
        },
    )
    def post(self, request, pk: int):
        _only_approvers(request)
        if not approval_task_queue(user=request.user).filter(pk=pk).exists():
            raise Http404
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = approval_task_decide(task_id=pk, actor=request.user, **serializer.validated_data)
        return Response(
            ApprovalTaskSerializer(approval_task_queue(user=request.user).get(pk=task.pk)).data
        )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


class ApprovalTaskAnswerApi(APIView):
    """The applicant answers a department's question; the task's clock starts again."""

    @extend_schema(
        request=AnswerSerializer,
        responses={
            200: ApprovalTaskSerializer,
            **ACTION_ERRORS,
        },
    )
    def post(self, request, pk: int):
        if request.user.role != Role.APPLICANT:
            raise NotPermitted(_("Only the applicant answers the department's question."))
        if not ApprovalTask.objects.filter(pk=pk, application__applicant=request.user).exists():
            raise Http404
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = approval_task_answer(
            task_id=pk, actor=request.user, answer=serializer.validated_data["answer"]
        )
        return Response(ApprovalTaskSerializer(task).data)
