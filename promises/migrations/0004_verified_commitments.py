"""Version 2024-verified of the commitments: the defaults checked against the published texts
(docs/clocks.md, "Defaults and their sources"). A new version, in force from the day the
current Power Supply Business Rules took effect; version 2020-default is left as it was, and
every application keeps the version it was filed under."""

import datetime

from django.db import migrations

VERSION = "2024-verified"
EFFECTIVE_FROM = datetime.date(2024, 6, 1)

SUPERVISION = "《供电监管办法》(电监会令第27号, 2009) 第十三条"
SGCC = "stricter: 国家电网业扩报装服务时限考核 (高压); 《供电监管办法》第十三条 allows more"
REFORM = "发改能源规〔2020〕1479号 (全过程办电时间)"
APPROVALS = "发改能源规〔2020〕1479号; 地方实施方案: 电力接入工程审批 5 个工作日"
PORTAL = "portal default (no published limit; operators set)"

# (phase, kind, voltage, customer_type, limit_days, compensation fen/working day, source)
DEFAULTS = [
    ("whole", "", "low", "residential", 5, 2000, REFORM),
    ("whole", "", "low", "enterprise", 15, 5000, REFORM),
    ("whole", "", "high", "", 22, 20000, REFORM),
    ("whole", "transfer", "low", "", 3, 2000, PORTAL),
    ("whole", "transfer", "high", "", 5, 5000, PORTAL),
    ("scheme_reply", "", "low", "residential", 3, 0, SUPERVISION),
    ("scheme_reply", "", "low", "enterprise", 8, 0, SUPERVISION),
    ("scheme_reply", "", "high", "", 15, 0, SGCC),
    ("design_review", "", "low", "", 8, 0, SUPERVISION),
    ("design_review", "", "high", "", 10, 0, SGCC),
    ("mid_inspection", "", "low", "", 3, 0, SUPERVISION),
    ("mid_inspection", "", "high", "", 5, 0, SUPERVISION),
    ("completion_inspection", "", "low", "", 5, 0, SUPERVISION),
    ("completion_inspection", "", "high", "", 5, 0, SGCC),
    ("connection", "", "low", "residential", 3, 0, SUPERVISION),
    ("connection", "", "low", "enterprise", 5, 0, SUPERVISION),
    ("connection", "", "high", "", 5, 0, SGCC),
    ("approvals", "", "low", "", 5, 0, APPROVALS),
    ("approvals", "", "high", "", 5, 0, APPROVALS),
]


def add(apps, schema_editor):
    CommitmentSet = apps.get_model("promises", "CommitmentSet")
    Commitment = apps.get_model("promises", "Commitment")
    version = CommitmentSet.objects.create(
        version=VERSION,
        effective_from=EFFECTIVE_FROM,
        source="\n".join(
            [
                "《供电营业规则》(国家发展改革委令2024年第14号, 2024-06-01 施行)",
                SUPERVISION,
                REFORM,
                "国家能源局《供电企业信息公开实施办法》(国能监管〔2014〕149号) 第六条",
                "See docs/clocks.md: figures not confirmed against the text are marked there.",
            ]
        ),
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
    apps.get_model("promises", "CommitmentSet").objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("promises", "0003_kinds_with_temporary_supply")]

    operations = [migrations.RunPython(add, remove)]
