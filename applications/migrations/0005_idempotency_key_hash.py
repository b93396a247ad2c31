"""Idempotency keys kept as their SHA-256 (never cut) with the SHA-256 of the request body."""

import hashlib

from django.db import migrations, models


def hash_keys(apps, schema_editor):
    IdempotencyKey = apps.get_model("applications", "IdempotencyKey")
    for row in IdempotencyKey.objects.all().only("pk", "key_hash"):
        row.key_hash = hashlib.sha256(row.key_hash.encode()).hexdigest()
        row.save(update_fields=["key_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_counter_mailing_rating"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="idempotencykey", name="idempotency_user_key"),
        migrations.RenameField(model_name="idempotencykey", old_name="key", new_name="key_hash"),
        migrations.AlterField(
            model_name="idempotencykey",
            name="key_hash",
            field=models.CharField(max_length=64),
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="request_hash",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.RunPython(hash_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="idempotencykey",
            constraint=models.UniqueConstraint(
                fields=("user", "key_hash"), name="idempotency_user_key_hash"
            ),
        ),
    ]
