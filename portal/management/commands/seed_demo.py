"""Demo data for the five-minute tour: reference data and one login per role, in Jinan.

Safe to run twice (everything is looked up by its natural key and brought back to the demo
state), refused in production.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

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
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Division.objects.count()} divisions, "
                f"{ServiceHall.objects.count()} service halls, {len(DEMO_USERS)} demo logins."
            )
        )
        # Staff logins have a TOTP authenticator (needed when SIGNIN_TOTP_REQUIRED is on): add
        # the secret to an authenticator app by hand or from the otpauth URL.
        self.stdout.write("Authenticator secrets of the demo staff logins (TOTP, 6 digits, 30 s):")
        for username, device in authenticators.items():
            self.stdout.write(f"  {username}: {secret_base32(device)}  {device.config_url}")
