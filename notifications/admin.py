from django.contrib import admin

from .models import Notification, SmsMessage


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at", "sms_sent_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient",
        "kind",
        "params",
        "link",
        "created_at",
        "read_at",
        "sms_sent_at",
    ]


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["phone", "text", "created_at"]
    readonly_fields = ["phone", "text", "created_at"]
