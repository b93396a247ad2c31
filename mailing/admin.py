from django.contrib import admin

from .models import Shipment, ShipmentEvent


class EventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    readonly_fields = ["status", "at"]


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["reference", "tracking_no", "status", "delivery_attempts", "updated_at"]
    list_filter = ["status"]
    search_fields = ["reference", "tracking_no"]
    inlines = [EventInline]
