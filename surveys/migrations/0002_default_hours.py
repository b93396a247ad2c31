"""Default survey hours for every area without its own: 09:00–12:00 and 14:00–17:30 on working
days, 90 minutes a survey, two crews. Operators change them, or add an area's own, in the admin."""

from datetime import time

from django.db import migrations

DEFAULTS = [(time(9, 0), time(12, 0)), (time(14, 0), time(17, 30))]


def add_defaults(apps, schema_editor):
    hours = apps.get_model("surveys", "SurveyHours")
    if not hours.objects.filter(division__isnull=True).exists():
        hours.objects.bulk_create(
            hours(division=None, start=start, end=end, slot_minutes=90, capacity=2)
            for start, end in DEFAULTS
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_hours_and_bookings")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
