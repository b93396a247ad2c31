"""Encrypt the names and phones of users already stored, fill the phone hashes, and give every
applicant whose login name was `m<phone>` an opaque one."""

import re
import secrets

from django.db import migrations

from portal.crypto import personal_data_decrypt_rows, personal_data_reencrypt_rows

PHONE_USERNAME = re.compile(r"^m\d{11}$")


def encrypt(apps, schema_editor):
    user_model = apps.get_model("portal", "User")
    personal_data_reencrypt_rows(user_model)
    taken = set(user_model.objects.values_list("username", flat=True))
    for user in user_model.objects.filter(username__startswith="m").only("pk", "username"):
        if not PHONE_USERNAME.match(user.username):
            continue
        username = f"a-{secrets.token_hex(4)}"
        while username in taken:
            username = f"a-{secrets.token_hex(4)}"
        taken.add(username)
        user_model.objects.filter(pk=user.pk).update(username=username)


def decrypt(apps, schema_editor):
    # The opaque login names stay: they still sign in (applicants sign in by SMS code).
    personal_data_decrypt_rows(apps.get_model("portal", "User"), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_encrypt_user_names_and_phone")]

    operations = [migrations.RunPython(encrypt, decrypt)]
