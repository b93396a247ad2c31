"""The default commitments (version 2020-default): see docs/clocks.md for the sources."""

import datetime

from django.db import migrations

MONITORING = "《供电监管办法》第十三条 (supply supervision measures, art. 13)"
REFORM = "发改能源规〔2020〕1479号 (whole-process limits of the Getting Electricity reform)"
ONE_CHAIN = "one-chain handling: department approvals within 5 working days"
PORTAL = "portal default (no published rule; operators set)"

# (phase, kind, voltage, customer_type, limit_days, compensation fen/working day, source)
DEFAULTS = [
    ("whole", "", "low", "residential", 5, 2000, REFORM),
    ("whole", "", "low", "enterprise", 15, 5000, REFORM),
    ("whole", "", "high", "", 22, 20000, REFORM),
    ("whole", "transfer", "low", "", 3, 2000, PORTAL),
    ("whole", "transfer", "high", "", 5, 5000, PORTAL),
    ("scheme_reply", "", "low", "residential", 3, 0, MONITORING),
    ("scheme_reply", "", "low", "enterprise", 8, 0, MONITORING),
    ("scheme_reply", "", "high", "", 20, 0, MONITORING),
    ("design_review", "", "low", "", 8, 0, MONITORING),
    ("design_review", "", "high", "", 20, 0, MONITORING),
    ("mid_inspection", "", "low", "", 3, 0, MONITORING),
    ("mid_inspection", "", "high", "", 5, 0, MONITORING),
    ("completion_inspection", "", "low", "", 5, 0, MONITORING),
    ("completion_inspection", "", "high", "", 7, 0, MONITORING),
    ("connection", "", "low", "residential", 3, 0, MONITORING),
    ("connection", "", "low", "enterprise", 5, 0, MONITORING),
    ("connection", "", "high", "", 7, 0, MONITORING),
    ("approvals", "", "low", "", 5, 0, ONE_CHAIN),
    ("approvals", "", "high", "", 5, 0, ONE_CHAIN),
]


def add(apps, schema_editor):
    CommitmentSet = apps.get_model("promises", "CommitmentSet")
    Commitment = apps.get_model("promises", "Commitment")
    version = CommitmentSet.objects.create(
        version="2020-default",
        effective_from=datetime.date(2020, 1, 1),
        source="\n".join([MONITORING, REFORM, ONE_CHAIN]),
    )
    Commitment.objects.bulk_create(
        Commitment(
            commitment_set=version,
            phase=phase,
            kind=kind,
            voltage=voltage,
            customer_type=customer_type,
            limit_days=limit,
            compensation_fen_per_day=rate,
            source=source,
        )
        for phase, kind, voltage, customer_type, limit, rate, source in DEFAULTS
    )


def remove(apps, schema_editor):
    apps.get_model("promises", "CommitmentSet").objects.filter(version="2020-default").delete()


class Migration(migrations.Migration):
    dependencies = [("promises", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
