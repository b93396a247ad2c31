from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .access_log import AccessLoggedAdmin
from .crypto import blind_index
from .identity import identity_unbind
from .models import (
    CalendarDay,
    CalendarYear,
    Division,
    IdentityBinding,
    OutboxMessage,
    PersonalDataAccess,
    Role,
    ServiceHall,
    User,
)
from .outbox import outbox_requeue


class BlindIndexSearch:
    """Admin search that also finds a row by an exact encrypted value through its keyed hash:
    `blind_index_search` maps each hash field to the kind of value it hashes."""

    blind_index_search: dict[str, str] = {}

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        for field, kind in self.blind_index_search.items():
            digest = blind_index(kind, term)
            if digest:
                results |= queryset.filter(**{field: digest})
        return results, may_have_duplicates


@admin.register(User)
class UserAdmin(AccessLoggedAdmin, BlindIndexSearch, DjangoUserAdmin):
    # Names and phones are encrypted: a phone is found whole, by its keyed hash.
    search_fields = ("username", "email")
    blind_index_search = {"phone_hash": "phone"}
    list_display = (
        "username",
        "first_name",
        "role",
        "division",
        "service_hall",
        "department",
        "is_active",
    )
    list_filter = ("role", "department", "is_staff", "is_active")
    list_select_related = ("division", "service_hall")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {
                "fields": (
                    "role",
                    "phone",
                    "customer_type",
                    "division",
                    "service_hall",
                    "department",
                )
            },
        ),
    )

    def personal_data_of(self, obj):
        return [], [obj.pk] if obj.role == Role.APPLICANT else []


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: operators look, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ViewOnlyAdmin):
    """Read-only: the log is append-only, and kept for its retention."""

    list_display = (
        "created_at",
        "actor",
        "role",
        "subject",
        "application_number",
        "what",
        "purpose",
    )
    list_filter = ("role", "what", "purpose")
    list_select_related = ("actor", "subject")
    search_fields = ("application_number", "actor__username")
    date_hierarchy = "created_at"


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")


@admin.register(ServiceHall)
class ServiceHallAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "division")
    list_select_related = ("division",)
    search_fields = ("code", "name")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "handler",
        "queue",
        "state",
        "attempts",
        "created_at",
        "dispatched_at",
        "done_at",
    )
    list_filter = ("state", "queue", "handler")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["requeue"]

    @admin.action(description=_("Retry the selected failed messages"))
    def requeue(self, request, queryset):
        count = outbox_requeue(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, _("%(count)d message(s) queued again.") % {"count": count}, messages.SUCCESS
        )

    def has_add_permission(self, request):
        return False


@admin.register(IdentityBinding)
class IdentityBindingAdmin(admin.ModelAdmin):
    """Read-only: bindings are made by the binding services; an operator may only end one
    (logged, with the reason below)."""

    list_display = ("user", "method", "bound_at", "enterprise_method", "unbound_at")
    list_filter = ("method", "enterprise_method")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    actions = ["unbind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("End the binding (the applicant binds again)"))
    def unbind(self, request, queryset):
        ended = 0
        for binding in queryset.filter(unbound_at__isnull=True).select_related("user"):
            identity_unbind(user=binding.user, actor=request.user, reason=_("Ended in the admin"))
            ended += 1
        self.message_user(request, _("%(n)d bindings ended.") % {"n": ended}, messages.SUCCESS)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "note"]
