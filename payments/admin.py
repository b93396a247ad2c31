from django.contrib import admin

from .models import Invoice, PaymentNotification, PaymentOrder, StatementDifference


@admin.register(PaymentOrder)
class PaymentOrderAdmin(admin.ModelAdmin):
    list_display = [
        "merchant_order_no",
        "application",
        "purpose",
        "amount_fen",
        "status",
        "paid_at",
    ]
    list_filter = ["status", "purpose"]
    search_fields = ["merchant_order_no", "trade_no"]
    readonly_fields = [f.name for f in PaymentOrder._meta.fields]


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(admin.ModelAdmin):
    list_display = ["received_at", "order", "verdict", "detail"]
    list_filter = ["verdict"]
    readonly_fields = [f.name for f in PaymentNotification._meta.fields]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "order", "issued_at"]
    readonly_fields = ["order", "number", "sha256", "issued_at"]
    exclude = ["pdf"]


@admin.register(StatementDifference)
class StatementDifferenceAdmin(admin.ModelAdmin):
    list_display = ["day", "merchant_order_no", "kind", "portal_fen", "platform_fen"]
    list_filter = ["kind", "day"]
