from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal.models import Department as DepartmentCode
from portal.models import Division


class Department(models.Model):
    """A permit-granting department of one city (DESIGN section 5)."""

    code = models.CharField(_("department"), max_length=20, choices=DepartmentCode.choices)
    city = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="departments", verbose_name=_("city")
    )
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"), default=5)

    class Meta:
        ordering = ["city_id", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["code", "city"], name="one_department_per_city")
        ]

    def __str__(self) -> str:
        return f"{self.city.name} {self.get_code_display()}"


class Decision(models.TextChoices):
    """What an approver decides on a task."""

    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return to the applicant with a question")


class ApprovalTask(FSMModelMixin, models.Model):
    """One department's permit decision on one application in one round of approval: one row
    per (application, department, round), created for all departments at once. Confirming a
    revised scheme opens a new round; earlier rounds stay as history."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned for information")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="approval_tasks",
        verbose_name=_("application"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("department")
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    state = FSMField(_("state"), default=State.PENDING, choices=State.choices, protected=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), default=timezone.now)
    due_date = models.DateField(_("due date"))
    due_uncertain = models.BooleanField(_("due date provisional"), default=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    permit_number = models.CharField(_("permit number"), max_length=50, blank=True)
    reason = models.TextField(_("reason or question"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Returned for information: the clock stops with this many working days left and starts
    # again from the applicant's answer.
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    days_left = models.PositiveSmallIntegerField(
        _("working days left when returned"), null=True, blank=True
    )
    answer = models.TextField(_("applicant's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("approval task")
        verbose_name_plural = _("approval tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "department", "round"],
                name="one_task_per_department_per_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.department.code}: {self.state}"

    @transition(field=state, source=State.PENDING, target=State.APPROVED)
    def approve(self, *, permit_number: str, **_):
        self.permit_number = permit_number

    @transition(field=state, source=State.PENDING, target=State.REJECTED)
    def reject(self, *, reason: str, **_):
        self.reason = reason

    @transition(field=state, source=State.PENDING, target=State.RETURNED)
    def return_for_information(self, *, reason: str, **_):
        self.reason = reason

    @transition(field=state, source=State.RETURNED, target=State.PENDING)
    def resume(self, *, answer: str, **_):
        self.answer = answer

    @transition(field=state, source=[State.PENDING, State.RETURNED], target=State.CANCELLED)
    def cancel(self, **_):
        pass


class OverdueItem(models.Model):
    """An overdue task on the supervisors' list: assigned to someone to chase, followed up with
    notes, closed with a note. Opened once per task by the periodic overdue job."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ASSIGNED = "assigned", _("Assigned")
        CLOSED = "closed", _("Closed")

    task = models.OneToOneField(
        ApprovalTask, on_delete=models.CASCADE, related_name="overdue_item", verbose_name=_("task")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["closed_at", "opened_at", "id"]
        verbose_name = _("overdue item")
        verbose_name_plural = _("overdue items")

    def __str__(self) -> str:
        return f"overdue {self.task_id}: {self.state}"


class OverdueNote(models.Model):
    """One step on an overdue item: assignment, follow-up or closing, with its note."""

    class Kind(models.TextChoices):
        ASSIGN = "assign", _("Assigned")
        FOLLOW_UP = "follow_up", _("Followed up")
        CLOSE = "close", _("Closed")

    item = models.ForeignKey(
        OverdueItem, on_delete=models.CASCADE, related_name="notes", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("overdue note")
        verbose_name_plural = _("overdue notes")

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:30]}"


class CommitmentFiling(models.Model):
    """A line of 150 m or less: the applicant's signed commitment, filed with the departments the
    route touches for their information. No approval task is opened."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="commitment_filing",
        verbose_name=_("application"),
    )
    text_version = models.CharField(_("commitment text version"), max_length=20)
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="filings", verbose_name=_("filed with")
    )

    class Meta:
        verbose_name = _("commitment filing")
        verbose_name_plural = _("commitment filings")

    def __str__(self) -> str:
        return f"filing {self.application_id}"
