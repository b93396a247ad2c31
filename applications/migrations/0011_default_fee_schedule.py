"""The fee schedule's defaults: zero for low-voltage residential and small-business connections
(the reform's zero-investment promise); high voltage charged per kVA connected and per metre of
external line. Illustrative rates; operators set the province's published ones in the admin.
Labels are kept in Chinese, as the schedule is published."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    # code, label, voltage, customer type ("" = any), basis, unit price, position
    ("lv-residential", "低压居民接电（零投资）", "low", "residential", "per_kva", "0.00", 10),
    ("lv-small-business", "低压小微企业接电（零投资）", "low", "enterprise", "per_kva", "0.00", 20),
    ("hv-capacity", "高压接入容量费", "high", "", "per_kva", "100.00", 10),
    ("hv-line", "高压外线工程费", "high", "", "per_metre", "280.00", 20),
]


def add_defaults(apps, schema_editor):
    FeeRate = apps.get_model("applications", "FeeRate")
    for code, label, voltage, customer_type, basis, price, position in DEFAULTS:
        FeeRate.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "voltage": voltage,
                "customer_type": customer_type,
                "basis": basis,
                "unit_price": Decimal(price),
                "position": position,
            },
        )


def remove_defaults(apps, schema_editor):
    FeeRate = apps.get_model("applications", "FeeRate")
    FeeRate.objects.filter(code__in=[row[0] for row in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0010_fee_schedule_and_arrears_settlement")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
