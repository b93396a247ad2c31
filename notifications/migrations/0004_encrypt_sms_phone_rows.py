"""Encrypt the phones (and texts) of SMS messages and codes already stored; fill the hashes."""

from django.db import migrations

from portal.crypto import personal_data_migration


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_encrypt_sms_phones")]

    operations = [personal_data_migration("notifications", "SmsMessage", "SmsCode")]
