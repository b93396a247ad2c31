"""Encrypt the record checks' requests and results already stored, and minimise the requests of
settled checks: only a masked subject stays, and no face photo."""

from django.db import migrations

from portal.crypto import personal_data_migration
from portal.masking import mask_id_number

SETTLED = {"passed", "failed", "declined"}


def minimise(apps, schema_editor):
    check_model = apps.get_model("govdata", "RecordCheck")
    for check in check_model.objects.iterator():
        request = check.request or {}
        if set(request) <= {"subject"}:
            continue
        if check.state in SETTLED or "photo" in request:
            subject = str(
                request.get("id_number")
                or request.get("credit_code")
                or request.get("owner_id")
                or ""
            )
            check.request = {"subject": mask_id_number(subject)}
            check.save(update_fields=["request"])


class Migration(migrations.Migration):
    dependencies = [("govdata", "0003_encrypt_record_check_requests")]

    operations = [
        # What was dropped cannot come back: backwards, the minimised requests stay minimised.
        migrations.RunPython(minimise, migrations.RunPython.noop),
        personal_data_migration("govdata", "RecordCheck"),
    ]
