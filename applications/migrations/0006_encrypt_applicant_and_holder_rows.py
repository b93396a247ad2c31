"""Encrypt the names, ID numbers and phones already stored, and fill their keyed hashes."""

from django.db import migrations

from portal.crypto import personal_data_decrypt_rows, personal_data_reencrypt_rows

MODELS = ["Application", "ElectricityAccount"]


def encrypt(apps, schema_editor):
    for name in MODELS:
        personal_data_reencrypt_rows(apps.get_model("applications", name))


def decrypt(apps, schema_editor):
    for name in MODELS:
        personal_data_decrypt_rows(apps.get_model("applications", name), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_encrypt_applicant_and_holder_data")]

    operations = [migrations.RunPython(encrypt, decrypt)]
