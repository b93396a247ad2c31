"""Operators edit the commitments here. A version some application was filed under is kept as
it is (read-only); to change the table, copy it as a new version and edit the copy."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApplicationPromise, Commitment, CommitmentSet, Interaction, LedgerEntry


def _in_use(obj) -> bool:
    return obj is not None and ApplicationPromise.objects.filter(commitment_set=obj).exists()


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = [
        "phase",
        "kind",
        "voltage",
        "customer_type",
        "limit_days",
        "compensation_fen_per_day",
        "source",
    ]

    def has_change_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(CommitmentSet)
class CommitmentSetAdmin(admin.ModelAdmin):
    list_display = ["version", "effective_from", "created_at"]
    inlines = [CommitmentInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        return ["version", "effective_from", "source"] if _in_use(obj) else []

    def has_delete_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Copy as a new version (in force from tomorrow)"))
    def copy_as_new_version(self, request, queryset):
        for original in queryset:
            with transaction.atomic():
                copy = CommitmentSet.objects.create(
                    version=f"{original.version}-copy-{timezone.now():%Y%m%d%H%M%S}"[:20],
                    effective_from=timezone.localdate() + timezone.timedelta(days=1),
                    source=original.source,
                )
                Commitment.objects.bulk_create(
                    Commitment(
                        commitment_set=copy,
                        phase=c.phase,
                        kind=c.kind,
                        voltage=c.voltage,
                        customer_type=c.customer_type,
                        limit_days=c.limit_days,
                        compensation_fen_per_day=c.compensation_fen_per_day,
                        source=c.source,
                    )
                    for c in original.commitments.all()
                )
            messages.success(request, _("Copied as %(version)s.") % {"version": copy.version})


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["application", "channel", "at", "step"]
    list_filter = ["channel"]
    raw_id_fields = ["application", "actor"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["account", "application", "kind", "amount_fen", "days_late", "created_at"]
    readonly_fields = [f.name for f in LedgerEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
