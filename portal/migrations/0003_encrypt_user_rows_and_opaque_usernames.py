"""Encrypt the names and phones of users already stored, fill the phone hashes, and give every
applicant whose login name was `m<phone>` an opaque one."""

import re
import secrets

from django.db import migrations

from portal.crypto import personal_data_migration

PHONE_USERNAME = re.compile(r"^m\d{11}$")


def opaque_usernames(apps, schema_editor):
    user_model = apps.get_model("portal", "User")
    taken = set(user_model.objects.values_list("username", flat=True))
    for user in user_model.objects.filter(username__startswith="m").only("pk", "username"):
        if not PHONE_USERNAME.match(user.username):
            continue
        username = f"a-{secrets.token_hex(4)}"
        while username in taken:
            username = f"a-{secrets.token_hex(4)}"
        taken.add(username)
        user_model.objects.filter(pk=user.pk).update(username=username)




class Migration(migrations.Migration):
    dependencies = [("portal", "0002_encrypt_user_names_and_phone")]

    operations = [
        personal_data_migration("portal", "User"),
        # Backwards the opaque login names stay: applicants sign in by SMS code, not by name.
        migrations.RunPython(opaque_usernames, migrations.RunPython.noop),
    ]
