from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from portal.jurisdiction import same_city_q
from portal.models import Role

from .models import ApprovalTask


def approval_task_queue(*, user) -> QuerySet[ApprovalTask]:
    """The approver's department in their jurisdiction: open tasks overdue first, then by due
    date; decided ones after."""
    if user.role != Role.APPROVER or not user.division_id:
        return ApprovalTask.objects.none()
    # What `permissions.can_decide` says of one task: the department, in the approver's city.
    scope = Q(department__code=user.department) & same_city_q(
        user.division_id, "department__city__code"
    )
    today = timezone.localdate()
    is_open = Q(state__in=[ApprovalTask.State.PENDING, ApprovalTask.State.RETURNED])
    return (
        ApprovalTask.objects.filter(scope)
        .select_related("department", "application", "application__supply_county")
        .annotate(
            is_open=Case(
                When(is_open, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            overdue=Case(
                When(is_open & Q(due_date__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-is_open", "-overdue", "due_date", "id")
    )
