from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.access_log import AccessLoggedAdmin
from portal.admin import BlindIndexSearch
from portal.errors import DomainError

from .models import (
    Application,
    ArrearsSettlement,
    Document,
    ElectricityAccount,
    FeeRate,
    TimelineEntry,
)
from .services import application_transition
from .workflows import STEPS  # the declarations, loaded before the admin reads them


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "transition", "from_state", "to_state", "actor", "role", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    can_delete = False
    fields = ["created_at", "doc_type", "content_type", "size", "uploaded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _transition_action(name: str):
    def action(modeladmin, request, queryset):
        done, refused = 0, []
        for application in queryset:
            try:
                application_transition(application_id=application.pk, name=name, actor=request.user)
                done += 1
            except DomainError as error:
                refused.append(f"{application}: {error}")
        if done:
            modeladmin.message_user(
                request, _("%(n)d application(s): done.") % {"n": done}, messages.SUCCESS
            )
        for line in refused:
            modeladmin.message_user(request, line, messages.WARNING)

    action.__name__ = f"transition_{name}"
    action.short_description = _("Step: %(name)s") % {"name": name}
    return action


# Steps that need no input can run from the admin list; the rest need their form (pages, API).
ADMIN_STEPS = sorted(
    name
    for name, step in STEPS.items()
    if not step.system and not any(spec.required for spec in step.inputs)
)


@admin.register(Application)
class ApplicationAdmin(AccessLoggedAdmin, BlindIndexSearch, admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "state",
        "channel",
        "applicant",
        "supply_county",
        "created_at",
    ]
    list_filter = ["kind", "state", "channel", "voltage"]
    list_select_related = ["applicant", "supply_county"]
    search_fields = ["number", "applicant__username", "supply_address"]
    # ID numbers and phones are encrypted: found whole, by their keyed hashes.
    blind_index_search = {"id_number_hash": "id_number", "phone_hash": "phone"}
    inlines = [TimelineInline, DocumentInline]
    actions = [_transition_action(name) for name in ADMIN_STEPS]
    # The state changes only through the transition services: never edited here.
    readonly_fields = [
        "number",
        "check_code",
        "kind",
        "state",
        "version",
        "created_at",
        "submitted_at",
        "completed_at",
    ]

    def has_add_permission(self, request):
        return False

    def personal_data_of(self, obj):
        return [obj], []


@admin.register(ElectricityAccount)
class ElectricityAccountAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    list_display = ["number", "holder_name", "county", "capacity_kva", "voltage", "arrears"]
    list_select_related = ["county"]
    search_fields = ["number"]  # the holder's name is encrypted: not searchable

    def personal_data_of(self, obj):
        return [], [obj.holder_id]


@admin.register(FeeRate)
class FeeRateAdmin(admin.ModelAdmin):
    """The fee schedule: a quote copies the rates it used, so editing here changes only the
    quotes made afterwards."""

    list_display = ["code", "label", "voltage", "customer_type", "basis", "unit_price", "active"]
    list_filter = ["voltage", "active"]
    list_editable = ["unit_price", "active"]
    ordering = ["voltage", "position", "code"]


@admin.register(ArrearsSettlement)
class ArrearsSettlementAdmin(admin.ModelAdmin):
    """Settlements are recorded by the `confirm_settlement` step only: read here, never edited."""

    list_display = ["account", "application", "amount", "method", "recorded_by", "settled_at"]
    list_select_related = ["account", "application", "recorded_by"]
    readonly_fields = [
        "account", "application", "amount", "method", "reference", "recorded_by", "settled_at"
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
