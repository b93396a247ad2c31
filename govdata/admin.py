from django.contrib import admin

from .models import GovCall, RecordCheck


@admin.register(RecordCheck)
class RecordCheckAdmin(admin.ModelAdmin):
    list_display = ["application_id", "service", "state", "attempts", "reason", "checked_at"]
    list_filter = ["service", "state"]
    search_fields = ["application_id", "request_id"]
    # The request may hold personal data; operators see the outcome and the evidence only.
    exclude = ["request"]
    readonly_fields = [f.name for f in RecordCheck._meta.fields if f.name != "request"]


@admin.register(GovCall)
class GovCallAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "service",
        "application_id",
        "outcome",
        "status_code",
        "latency_ms",
        "request_id",
    ]
    list_filter = ["service", "outcome"]
    readonly_fields = [f.name for f in GovCall._meta.fields]

    def has_add_permission(self, request):
        return False
