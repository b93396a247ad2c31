from django.contrib import admin

from .models import LinkedMatter, PropertySale


@admin.register(LinkedMatter)
class LinkedMatterAdmin(admin.ModelAdmin):
    list_display = ["application", "agency", "number", "status", "checked_at"]
    list_filter = ["agency", "status"]


@admin.register(PropertySale)
class PropertySaleAdmin(admin.ModelAdmin):
    list_display = ["sale_number", "county", "address", "outcome", "application", "completed_at"]
    list_filter = ["outcome"]
    exclude = ["buyer_id", "buyer_phone"]
