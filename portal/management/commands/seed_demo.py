"""Demo data for the five-minute tour: reference data, one login per role and an electricity
account for each demo applicant (and one in arrears, held by a seller), in Jinan.

Safe to run twice (everything is looked up by its natural key and brought back to the demo
state), refused in production.
"""

from datetime import time
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.demo import DEMO_SEEDERS
from portal.identity import FACE_CONSENT_VERSION
from portal.models import (
    CustomerType,
    Department,
    Division,
    IdentityBinding,
    Role,
    ServiceHall,
    User,
)
from portal.signin.rules import demo_authenticator, is_staff_login, secret_base32

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo password, refused in production
JINAN = "370100"
JINAN_HALL = "SH37010001"

# username -> (full name, role, extra fields)
DEMO_USERS: dict[str, tuple[str, str, dict]] = {
    "resident": (
        "张伟",
        Role.APPLICANT,
        {"customer_type": CustomerType.RESIDENTIAL, "phone": "13905310001"},
    ),
    "enterprise": (
        "李娜",
        Role.APPLICANT,
        {"customer_type": CustomerType.ENTERPRISE, "phone": "13905310002"},
    ),
    "clerk": ("王芳", Role.CLERK, {"service_hall": JINAN_HALL, "phone": "13905310003"}),
    "engineer": ("刘洋", Role.ENGINEER, {"division": JINAN, "phone": "13905310004"}),
    **{
        f"approver_{dept.value}": (
            f"审批员（{dept.label}）",
            Role.APPROVER,
            {"department": dept.value, "division": JINAN},
        )
        for dept in Department
    },
    "supervisor": ("陈静", Role.SUPERVISOR, {"phone": "13905310010"}),
    # Holds the demo account in arrears: the other side of the enterprise's transfer.
    "seller": (
        "孙立",
        Role.APPLICANT,
        {"customer_type": CustomerType.RESIDENTIAL, "phone": "13905310011"},
    ),
    "admin": ("系统运维", Role.OPERATOR, {"is_staff": True, "is_superuser": True}),
}


# The demo applicants' verified identities: the mock platform's fixed records for 张伟 and for
# 济南泉能科技有限公司, whose legal representative is 李娜 (docs/govdata.md).
DEMO_IDENTITIES: dict[str, dict] = {
    "resident": {
        "name": "张伟",
        "id_number": "370102198805161230",
        "method": IdentityBinding.Method.ONLINE_FACE,
        "face_consent_version": FACE_CONSENT_VERSION,
    },
    "enterprise": {
        "name": "李娜",
        "id_number": "370102198203150024",
        "method": IdentityBinding.Method.ONLINE_FACE,
        "face_consent_version": FACE_CONSENT_VERSION,
        "credit_code": "913701024JURQ283F8",
        "enterprise_name": "济南泉能科技有限公司",
        "enterprise_method": IdentityBinding.Method.BUSINESS_LICENCE,
    },
    "seller": {
        "name": "孙立",
        "id_number": "370102197001205053",
        "method": IdentityBinding.Method.ONLINE_FACE,
        "face_consent_version": FACE_CONSENT_VERSION,
    },
}

# The demo electricity accounts, by number, so each kind can be tried at once: a capacity
# increase from `resident`'s (or `enterprise`'s) own account, a transfer of `seller`'s shop, which
# is in arrears and whose title the enterprise holds (the mock registry: it bought the shop).
DEMO_ACCOUNTS: dict[str, dict] = {
    "37010290000001": {
        "holder": "resident",
        "holder_name": "张伟",
        "county": "370102",
        "address": "历下区泉城路1号",
        "capacity_kva": Decimal("8"),
        "voltage": "low",
        "arrears": Decimal("0"),
    },
    "37010290000002": {
        "holder": "enterprise",
        "holder_name": "济南泉能科技有限公司",
        "county": "370102",
        "address": "历下区经十路9号",
        "capacity_kva": Decimal("50"),
        "voltage": "low",
        "arrears": Decimal("0"),
    },
    "37010290000003": {
        "holder": "seller",
        "holder_name": "孙立",
        "county": "370102",
        "address": "历下区经十路11号",
        "capacity_kva": Decimal("20"),
        "voltage": "low",
        "arrears": Decimal("35.50"),
    },
}


def bind_demo_identity(user: User, values: dict) -> None:
    """Bind the demo applicant as the seeded records say (an earlier run's binding, or another
    account holding the same person, is ended first)."""
    now = timezone.now()
    IdentityBinding.objects.filter(unbound_at__isnull=True).filter(
        Q(user=user)
        | Q(id_number=values["id_number"])
        | Q(credit_code=values.get("credit_code") or "-")
    ).update(unbound_at=now, unbind_reason="seed_demo")
    IdentityBinding.objects.create(
        user=user,
        bound_at=now,
        face_consent_at=now,
        enterprise_bound_at=now if values.get("credit_code") else None,
        **values,
    )


def seed_demo_accounts() -> None:
    """Create the demo accounts, or bring them back to the demo state (holder, capacity,
    arrears) after a demo transfer or increase changed them."""
    # By name, as the `departments` fixture above: portal sits below the apps and imports none.
    account_model = apps.get_model("applications", "ElectricityAccount")
    for number, values in DEMO_ACCOUNTS.items():
        fields = {
            **values,
            "holder": User.objects.get(username=values["holder"]),
            "county": Division.objects.get(code=values["county"]),
        }
        account, _ = account_model.objects.update_or_create(number=number, defaults=fields)
        account.full_clean()


# Jinan's engineers survey on every working day: two crews, 90 minutes a visit (the booking page
# offers 09:00, 10:30, 14:00 and 15:30 from tomorrow on); operators change them in the admin.
DEMO_SURVEY_HOURS = [(time(9, 0), time(12, 0)), (time(14, 0), time(17, 30))]


def seed_demo_survey_hours() -> None:
    """Jinan's own survey hours (a city's cover its counties), brought back to the demo's."""
    hours = apps.get_model("surveys", "SurveyHours")
    jinan = Division.objects.get(code=JINAN)
    hours.objects.filter(division=jinan).exclude(
        start__in=[start for start, _ in DEMO_SURVEY_HOURS]
    ).delete()
    for start, end in DEMO_SURVEY_HOURS:
        hours.objects.update_or_create(
            division=jinan,
            start=start,
            defaults={"end": end, "slot_minutes": 90, "capacity": 2},
        )


class Command(BaseCommand):
    help = "Load reference data and the demo logins (password demo-pass-2026). Not in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is refused in production mode (DJANGO_ENV=production).")
        call_command("loaddata", "divisions", "service_halls", "departments", verbosity=0)
        authenticators = {}
        with transaction.atomic():
            for username, (full_name, role, extra) in DEMO_USERS.items():
                fields = {
                    "first_name": full_name,
                    "last_name": "",
                    "role": role,
                    "customer_type": "",
                    "phone": "",
                    "division": None,
                    "service_hall": None,
                    "department": "",
                    "is_staff": False,
                    "is_superuser": False,
                    "is_active": True,
                }
                for key, value in extra.items():
                    if key == "division":
                        value = Division.objects.get(code=value)
                    elif key == "service_hall":
                        value = ServiceHall.objects.get(code=value)
                    fields[key] = value
                user, _ = User.objects.update_or_create(username=username, defaults=fields)
                user.set_password(DEMO_PASSWORD)
                user.full_clean()
                user.save()
                if username in DEMO_IDENTITIES:
                    bind_demo_identity(user, DEMO_IDENTITIES[username])
                if is_staff_login(user):
                    authenticators[username] = demo_authenticator(user)
            seed_demo_accounts()
            seed_demo_survey_hours()
            added = [seeder() for seeder in DEMO_SEEDERS]  # what the apps above add
        # The province's synthetic history for the supervisors' figures (tour step 5), once.
        call_command("seed_history", if_empty=True, verbosity=0, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Division.objects.count()} divisions, "
                f"{ServiceHall.objects.count()} service halls, {len(DEMO_USERS)} demo logins, "
                f"{len(DEMO_ACCOUNTS)} demo electricity accounts, survey hours in Jinan."
            )
        )
        for line in added:
            self.stdout.write(line)
        # Staff logins have a TOTP authenticator (needed when SIGNIN_TOTP_REQUIRED is on): add
        # the secret to an authenticator app by hand or from the otpauth URL.
        self.stdout.write("Authenticator secrets of the demo staff logins (TOTP, 6 digits, 30 s):")
        for username, device in authenticators.items():
            self.stdout.write(f"  {username}: {secret_base32(device)}  {device.config_url}")
