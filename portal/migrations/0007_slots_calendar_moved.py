"""The working-day calendar moves down from approvals to portal (the survey booking of the
applications app needs it too): the rows stay, the tables are renamed."""

from django.db import migrations, models

CALENDAR_DAY = migrations.CreateModel(
    name="CalendarDay",
    fields=[
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("date", models.DateField(unique=True, verbose_name="date")),
        ("kind", models.CharField(choices=[("holiday", "Public holiday (no work)"), ("workday", "Make-up working day")], max_length=10, verbose_name="kind")),
        ("name", models.CharField(blank=True, max_length=50, verbose_name="name")),
    ],
    options={
        "verbose_name": "calendar day",
        "verbose_name_plural": "calendar days",
        "ordering": ["date"],
        "db_table": "approvals_calendarday",
    },
)
CALENDAR_YEAR = migrations.CreateModel(
    name="CalendarYear",
    fields=[
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="year")),
        ("note", models.CharField(blank=True, max_length=200, verbose_name="source")),
    ],
    options={
        "verbose_name": "calendar year entered",
        "verbose_name_plural": "calendar years entered",
        "ordering": ["year"],
        "db_table": "approvals_calendaryear",
    },
)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_encrypt_identity_bindings"),
        ("approvals", "0001_calendar"),
    ]

    operations = [
        # Take over approvals' tables as they are, then give them portal's names.
        migrations.SeparateDatabaseAndState(state_operations=[CALENDAR_DAY, CALENDAR_YEAR]),
        migrations.AlterModelTable(name="calendarday", table=None),
        migrations.AlterModelTable(name="calendaryear", table=None),
    ]
