from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.crypto import BlindIndexField, EncryptedCharField, EncryptedTextField
from portal.masking import mask_codes, mask_phone

from .messages import KINDS, render


class Notification(models.Model):
    """One message to one person, shown in the portal inbox and sent by SMS where the person has
    a mobile number. The text is kept as a kind and its parameters and written out in the
    reader's language when shown (and in the default language for the SMS)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=[(k, k) for k in KINDS])
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"

    @property
    def text(self) -> str:
        return render(self.kind, self.params)


class SmsMessage(models.Model):
    """What the development SMS backend 'sent', for a developer to read in the admin (codes
    starred there when DEBUG is off). A production backend hands the text to the gateway."""

    phone = EncryptedCharField(_("mobile number"), max_length=20)
    text = EncryptedTextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SMS message (development)")
        verbose_name_plural = _("SMS messages (development)")

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)}: {mask_codes(self.text)[:30]}"


class SmsCode(models.Model):
    """A one-time code sent by SMS (signing a contract; later, signing in). Only a keyed hash
    of the code is kept; it expires, allows a few tries and is used once."""

    phone = EncryptedCharField(_("mobile number"), max_length=20)
    phone_hash = BlindIndexField(source="phone", kind="phone", db_index=False)
    purpose = models.CharField(_("purpose"), max_length=40)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [
            models.Index(
                fields=["phone_hash", "purpose", "-created_at"], name="smscode_phone_purpose_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {mask_phone(self.phone)}"
