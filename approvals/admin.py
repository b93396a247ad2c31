from django.contrib import admin

from .models import ApprovalTask, CalendarDay, CalendarYear, Department


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "note"]


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
