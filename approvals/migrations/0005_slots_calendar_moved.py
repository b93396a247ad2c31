"""The working-day calendar now lives in portal (its tables were renamed there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0004_approvaltask_round"),
        ("portal", "0007_slots_calendar_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CalendarDay"),
                migrations.DeleteModel(name="CalendarYear"),
            ]
        ),
    ]
