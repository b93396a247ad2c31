from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.masking import mask_codes, mask_phone

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
    """Where a developer reads the code the development backend 'sent'; with DEBUG off (any
    deployment) codes are starred here too."""

    list_display = ["masked_phone", "masked_text", "created_at"]
    fields = readonly_fields = ["masked_phone", "masked_text", "created_at"]

    @admin.display(description=_("mobile number"))
    def masked_phone(self, message: SmsMessage) -> str:
        return mask_phone(message.phone)

    @admin.display(description=_("text"))
    def masked_text(self, message: SmsMessage) -> str:
        return message.text if settings.DEBUG else mask_codes(message.text)
