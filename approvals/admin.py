from django.contrib import admin

from .models import (
    ApprovalTask,
    CommitmentFiling,
    Department,
    OverdueItem,
    OverdueNote,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["city", "code", "limit_days"]
    list_filter = ["code"]
    list_select_related = ["city"]
    list_editable = ["limit_days"]


@admin.register(ApprovalTask)
class ApprovalTaskAdmin(admin.ModelAdmin):
    """Read-only here: decisions go through the approver's API and pages (the service checks the
    approver's department and jurisdiction and rolls the application up)."""

    list_display = ["application", "department", "state", "due_date", "due_uncertain", "decided_at"]
    list_filter = ["state", "department__code", "due_uncertain"]
    list_select_related = ["application", "department", "department__city"]
    readonly_fields = [f.name for f in ApprovalTask._meta.fields]

    def has_add_permission(self, request):
        return False


class OverdueNoteInline(admin.TabularInline):
    model = OverdueNote
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "author", "text", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OverdueItem)
class OverdueItemAdmin(admin.ModelAdmin):
    """Read-only: supervisors work the list on its own pages (each step needs its note)."""

    list_display = ["task", "state", "assignee", "opened_at", "closed_at"]
    list_filter = ["state"]
    list_select_related = ["task__application", "task__department", "assignee"]
    readonly_fields = [f.name for f in OverdueItem._meta.fields]
    inlines = [OverdueNoteInline]

    def has_add_permission(self, request):
        return False


@admin.register(CommitmentFiling)
class CommitmentFilingAdmin(admin.ModelAdmin):
    list_display = ["application", "signed_by", "signed_at", "text_version"]
    list_select_related = ["application", "signed_by"]
    readonly_fields = [
        "application", "text_version", "text_sha256", "signed_by", "signed_at", "departments",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
