from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import jurisdiction
from .crypto import BlindIndexField, EncryptedCharField


class TimeStampedModel(models.Model):
    """Base model: every row knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Division(models.Model):
    """A prefecture-level city or county-level division, keyed by its official code (GB/T 2260)."""

    class Level(models.TextChoices):
        CITY = "city", _("Prefecture-level city")
        COUNTY = "county", _("County-level division")

    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("city"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def city_code(self) -> str:
        return jurisdiction.city_code(self)

    def covers(self, code: str) -> bool:
        """True when the division with `code` lies in this one (itself, or a county of a city);
        the rule and its queryset form live in `portal.jurisdiction`."""
        return jurisdiction.covers(self, code)


class ServiceHall(models.Model):
    """A government service hall (政务服务大厅) where the utility has a window."""

    code = models.CharField(_("hall code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150)
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="service_halls", verbose_name=_("division")
    )
    address = models.CharField(_("address"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service hall")
        verbose_name_plural = _("service halls")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    CLERK = "clerk", _("Counter clerk")
    ENGINEER = "engineer", _("Engineer")
    APPROVER = "approver", _("Approver")
    SUPERVISOR = "supervisor", _("Supervisor")
    OPERATOR = "operator", _("Operator")


class Department(models.TextChoices):
    """The government departments that grant permits for connection works (DESIGN section 5)."""

    PLANNING = "planning", _("Natural resources and planning bureau")
    HOUSING = "housing", _("Housing and urban-rural development bureau")
    TRANSPORT = "transport", _("Transport bureau")
    TRAFFIC_POLICE = "traffic_police", _("Traffic police")
    GREENING = "greening", _("Landscaping and greening bureau")


class CustomerType(models.TextChoices):
    RESIDENTIAL = "residential", _("Resident")
    ENTERPRISE = "enterprise", _("Enterprise")


class User(AbstractUser):
    """One role per login; the scope fields that role needs are required for it (see `clean`)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    # Names and the phone are encrypted at rest; the phone is found by its keyed hash.
    first_name = EncryptedCharField(_("first name"), max_length=150, blank=True)
    last_name = EncryptedCharField(_("last name"), max_length=150, blank=True)
    phone = EncryptedCharField(_("mobile number"), max_length=20, blank=True)
    phone_hash = BlindIndexField(source="phone", kind="phone")
    customer_type = models.CharField(
        _("customer type"), max_length=20, choices=CustomerType.choices, blank=True
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("area / jurisdiction"),
    )
    service_hall = models.ForeignKey(
        ServiceHall,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clerks",
        verbose_name=_("service hall"),
    )
    department = models.CharField(
        _("department"), max_length=20, choices=Department.choices, blank=True
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    # Which scope fields each role needs; the rest must stay empty.
    SCOPE_FIELDS = {
        Role.APPLICANT: {"customer_type"},
        Role.CLERK: {"service_hall"},
        Role.ENGINEER: {"division"},
        Role.APPROVER: {"department", "division"},
        Role.SUPERVISOR: set(),
        Role.OPERATOR: set(),
    }

    def clean(self) -> None:
        super().clean()
        needed = self.SCOPE_FIELDS.get(self.role, set())
        errors = {}
        for field in ("customer_type", "division", "service_hall", "department"):
            value = (
                getattr(self, field + "_id", None)
                if field in {"division", "service_hall"}
                else getattr(self, field)
            )
            if field in needed and not value:
                errors[field] = _("This role needs this field.")
            elif field not in needed and value:
                errors[field] = _("This role does not use this field.")
        if errors:
            raise ValidationError(errors)

    @property
    def roles(self) -> list[str]:
        return [self.role]


class OutboxMessage(models.Model):
    """A unit of background work, written in the same transaction as the change that causes it.

    It is sent to Celery on commit; the relay sends it again while it is not done. The handler is
    a dotted path to a function taking the payload as keyword arguments; it must be idempotent.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    handler = models.CharField(_("handler"), max_length=200)
    payload = models.JSONField(_("payload"), default=dict)
    queue = models.CharField(_("queue"), max_length=30, default="default")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("max attempts"), default=5)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    available_at = models.DateTimeField(_("may run from"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("last sent at"), default=timezone.now)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["state", "dispatched_at"], name="outbox_state_sent_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.handler} ({self.state})"


class AccessLogQuerySet(models.QuerySet):
    """The access log is append-only: rows are never changed, and removed only by the retention
    purge (`purge_older_than`), never in bulk by anyone else."""

    def update(self, **kwargs):
        raise PermissionError("the personal-data access log is append-only")

    def delete(self):
        raise PermissionError("the personal-data access log is append-only")

    def purge_older_than(self, cutoff) -> int:
        """Remove the rows written before `cutoff` (the retention purge's only way in)."""
        deleted, _counts = models.QuerySet.delete(self.filter(created_at__lt=cutoff))
        return deleted


class PersonalDataAccess(models.Model):
    """One view of a person's unmasked data by someone else: who (user, role, and the unit shown
    to the person in place of the name), whose (the person's account and the application), what
    was seen, why (the purpose, from the route), when. Written by `portal.access_log` only."""

    class What(models.TextChoices):
        APPLICATION_DETAIL = "application_detail", _("Application details")
        APPLICATION_LIST = "application_list", _("Application list")
        API_DETAIL = "api_detail", _("Application details (API)")
        DOCUMENT_DOWNLOAD = "document_download", _("Document download")
        DOCUMENT_PREVIEW = "document_preview", _("Document preview")
        COUNTER_LOOKUP = "counter_lookup", _("Look-up at a service-hall counter")
        ADMIN_CHANGE = "admin_change", _("Administration page")
        RECEIPT = "receipt", _("Acceptance receipt")
        EXPORT = "export", _("Export")

    class Purpose(models.TextChoices):
        HANDLING = "handling", _("Handling the application")
        COUNTER_FILING = "counter_filing", _("Filing at the counter")
        APPROVAL = "approval", _("Deciding a permit")
        SUPERVISION = "supervision", _("Supervision")
        ADMINISTRATION = "administration", _("System administration")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("viewed by"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.CharField(_("unit of the viewer"), max_length=150, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="data_accesses",
        verbose_name=_("person whose data was viewed"),
    )
    # The application is referred to by id and number, not by a foreign key: the shell does not
    # depend on the applications app, and the log outlives any change to that table.
    application_id = models.PositiveBigIntegerField(_("application id"), null=True, blank=True)
    application_number = models.CharField(_("application number"), max_length=30, blank=True)
    what = models.CharField(_("what was viewed"), max_length=30, choices=What.choices)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    route = models.CharField(_("route"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("viewed at"), default=timezone.now, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data accesses")
        indexes = [
            models.Index(fields=["subject", "created_at"], name="pda_subject_at_idx"),
            models.Index(fields=["application_number"], name="pda_application_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} → {self.subject_id} ({self.what}, {self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("the personal-data access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the personal-data access log is append-only")


class IdentityBinding(models.Model):
    """An applicant account bound to a verified person (and, for an enterprise account, to its
    credit code): who, how and when it was verified. The applicant cannot change it; only a
    supervisor or an operator ends it (`unbound_at`), and a new binding is then a new row, so
    the history stays. The one model holding the person's name and ID number for an account."""

    class Method(models.TextChoices):
        ONLINE_FACE = "online_face", _("Online face match")
        COUNTER = "counter", _("In person at a counter")
        BUSINESS_LICENCE = "business_licence", _("Business licence names the legal representative")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="identity_bindings", verbose_name=_("account")
    )
    # Encrypted like every name and ID number; the keyed hash keeps one account per person.
    name = EncryptedCharField(_("name"), max_length=100, blank=True)
    id_number = EncryptedCharField(_("resident ID number"), max_length=18, blank=True)
    id_number_hash = BlindIndexField(source="id_number", kind="id_number")
    method = models.CharField(_("verified by"), max_length=20, choices=Method.choices)
    verified_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clerk"),
    )
    service_hall = models.ForeignKey(
        ServiceHall,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counter of"),
    )
    face_consent_version = models.CharField(
        _("face-check consent text version"), max_length=20, blank=True
    )
    face_consent_at = models.DateTimeField(_("face-check consent given at"), null=True, blank=True)
    evidence = models.CharField(_("platform request ids"), max_length=200, blank=True)
    bound_at = models.DateTimeField(_("bound at"), default=timezone.now)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    enterprise_name = models.CharField(_("enterprise name"), max_length=100, blank=True)
    enterprise_method = models.CharField(
        _("enterprise verified by"), max_length=20, choices=Method.choices, blank=True
    )
    enterprise_bound_at = models.DateTimeField(_("enterprise bound at"), null=True, blank=True)
    unbound_at = models.DateTimeField(_("unbound at"), null=True, blank=True)
    unbound_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unbound by"),
    )
    unbind_reason = models.CharField(_("reason for unbinding"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("identity binding")
        verbose_name_plural = _("identity bindings")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(unbound_at__isnull=True),
                name="one_identity_per_account",
            ),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=models.Q(unbound_at__isnull=True) & ~models.Q(id_number_hash=""),
                name="one_account_per_id_number",
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=models.Q(unbound_at__isnull=True) & ~models.Q(credit_code=""),
                name="one_account_per_credit_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_method_display()}"

    @property
    def how(self) -> str:
        """In words: "online face match", or "in person at counter N by clerk X"."""
        if self.method == self.Method.COUNTER:
            return _("in person at %(hall)s by clerk %(clerk)s") % {
                "hall": self.service_hall.name if self.service_hall else "—",
                "clerk": self.verified_by.get_full_name() or self.verified_by.username
                if self.verified_by
                else "—",
            }
        return str(self.get_method_display())


class CalendarDay(models.Model):
    """An operator's entry in the working-day calendar: a public holiday on a weekday, or a
    make-up working day on a weekend. Entries win over the calendar library."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (no work)")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose holidays and make-up days an operator has entered in full (the State Council
    publishes them each autumn). Years neither the library nor this table covers fall back to
    Monday–Friday, and every due date computed in them is flagged."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year entered")
        verbose_name_plural = _("calendar years entered")

    def __str__(self) -> str:
        return str(self.year)
