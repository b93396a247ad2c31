"""Encrypt the phones (and texts) of SMS messages and codes already stored; fill the hashes."""

from django.db import migrations

from portal.crypto import personal_data_decrypt_rows, personal_data_reencrypt_rows

MODELS = ["SmsMessage", "SmsCode"]


def encrypt(apps, schema_editor):
    for name in MODELS:
        personal_data_reencrypt_rows(apps.get_model("notifications", name))


def decrypt(apps, schema_editor):
    for name in MODELS:
        personal_data_decrypt_rows(
            apps.get_model("notifications", name), schema_editor.connection
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_encrypt_sms_phones")]

    operations = [migrations.RunPython(encrypt, decrypt)]
