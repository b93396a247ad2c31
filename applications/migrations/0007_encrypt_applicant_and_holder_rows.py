"""Encrypt the names, ID numbers and phones already stored, and fill their keyed hashes."""

from django.db import migrations

from portal.crypto import personal_data_migration


class Migration(migrations.Migration):
    dependencies = [("applications", "0006_encrypt_applicant_and_holder_data")]

    operations = [personal_data_migration("applications", "Application", "ElectricityAccount")]
