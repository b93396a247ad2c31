from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .identity import identity_unbind
from .models import Division, IdentityBinding, OutboxMessage, ServiceHall, User
from .outbox import outbox_requeue


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
