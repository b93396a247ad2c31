"""The counters behind the supervisors' figures, kept in the transaction of the work they count
(see docs/supervision.md). Nothing here is the truth: `reconcile_kpis` recounts every row from
the applications and their timelines and reports any difference."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationFact(models.Model):
    """What one submitted application contributes to the figures, as last counted: the cell it
    falls in and its measures. Kept so that a change subtracts exactly what was added before."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("application"),
    )
    month = models.DateField(_("month submitted"))
    city_code = models.CharField(_("city"), max_length=6)
    county_code = models.CharField(_("county"), max_length=6)
    kind = models.CharField(_("kind"), max_length=20)
    voltage = models.CharField(_("voltage"), max_length=10)
    channel = models.CharField(_("channel"), max_length=20)
    state = models.CharField(_("state"), max_length=30)
    # Documents asked for once the records were checked; None while still verifying.
    certificates = models.PositiveSmallIntegerField(_("certificates asked"), null=True)
    procedures = models.PositiveSmallIntegerField(_("procedures"), default=0)
    days = models.PositiveIntegerField(_("calendar days to power-on"), null=True)
    workdays = models.PositiveIntegerField(_("working days to power-on"), null=True)
    within_limit = models.BooleanField(_("within the published limit"), null=True)
    cost_fen = models.BigIntegerField(_("cost to the applicant (fen)"), default=0)
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True)

    class Meta:
        verbose_name = _("application figures")
        verbose_name_plural = _("application figures")
        indexes = [
            models.Index(fields=["month", "city_code"], name="fact_month_city_idx"),
            models.Index(fields=["county_code", "month"], name="fact_county_month_idx"),
        ]

    def __str__(self) -> str:
        return f"figures of {self.application_id}"


class KpiCell(models.Model):
    """Sums over the submitted applications of one month, city, kind, voltage and channel (a
    county's figures are summed from its applications' facts: a county is a small share)."""

    month = models.DateField(_("month submitted"))
    city_code = models.CharField(_("city"), max_length=6)
    kind = models.CharField(_("kind"), max_length=20)
    voltage = models.CharField(_("voltage"), max_length=10)
    channel = models.CharField(_("channel"), max_length=20)
    submitted = models.BigIntegerField(default=0)
    completed = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    withdrawn = models.BigIntegerField(default=0)
    verified = models.BigIntegerField(default=0)
    zero_cert = models.BigIntegerField(default=0)
    one_cert = models.BigIntegerField(default=0)
    procedures = models.BigIntegerField(default=0)  # over completed applications
    days = models.BigIntegerField(default=0)
    workdays = models.BigIntegerField(default=0)
    within_limit = models.BigIntegerField(default=0)
    cost_fen = models.BigIntegerField(default=0)
    rated = models.BigIntegerField(default=0)
    rating = models.BigIntegerField(default=0)

    MEASURES = (
        "submitted",
        "completed",
        "rejected",
        "withdrawn",
        "verified",
        "zero_cert",
        "one_cert",
        "procedures",
        "days",
        "workdays",
        "within_limit",
        "cost_fen",
        "rated",
        "rating",
    )
    KEY = ("month", "city_code", "kind", "voltage", "channel")

    class Meta:
        verbose_name = _("KPI cell")
        verbose_name_plural = _("KPI cells")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "city_code", "kind", "voltage", "channel"], name="kpi_cell_key"
            )
        ]
        indexes = [models.Index(fields=["city_code", "month"], name="kpi_cell_city_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.city_code} {self.kind} {self.voltage} {self.channel}"


class KpiSpread(models.Model):
    """How many completed applications of one month, city, kind and voltage took exactly
    `value` calendar days, working days or procedures: medians and percentiles from a few
    hundred rows instead of a million."""

    class Measure(models.TextChoices):
        DAYS = "days", _("Calendar days")
        WORKDAYS = "workdays", _("Working days")
        PROCEDURES = "procedures", _("Procedures")

    month = models.DateField(_("month submitted"))
    city_code = models.CharField(_("city"), max_length=6)
    kind = models.CharField(_("kind"), max_length=20)
    voltage = models.CharField(_("voltage"), max_length=10)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    value = models.PositiveIntegerField(_("value"))
    count = models.BigIntegerField(_("applications"), default=0)

    KEY = ("month", "city_code", "kind", "voltage", "measure", "value")

    class Meta:
        verbose_name = _("KPI distribution")
        verbose_name_plural = _("KPI distributions")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "city_code", "kind", "voltage", "measure", "value"],
                name="kpi_spread_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.city_code} {self.measure}={self.value}: {self.count}"


class ChannelSpread(models.Model):
    """The same distributions kept per channel as well (month, city, channel, kind, voltage):
    read only when the figures are filtered by channel, so the all-channel view keeps reading
    the smaller `KpiSpread`."""

    month = models.DateField(_("month submitted"))
    city_code = models.CharField(_("city"), max_length=6)
    channel = models.CharField(_("channel"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20)
    voltage = models.CharField(_("voltage"), max_length=10)
    measure = models.CharField(_("measure"), max_length=12, choices=KpiSpread.Measure.choices)
    value = models.PositiveIntegerField(_("value"))
    count = models.BigIntegerField(_("applications"), default=0)

    KEY = ("month", "city_code", "channel", "kind", "voltage", "measure", "value")

    class Meta:
        verbose_name = _("KPI distribution by channel")
        verbose_name_plural = _("KPI distributions by channel")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "city_code", "channel", "kind", "voltage", "measure", "value"],
                name="kpi_channel_spread_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.city_code} {self.channel} {self.measure}={self.value}"


class TaskFact(models.Model):
    """What one department task contributes, as last counted (see ApplicationFact)."""

    task = models.OneToOneField(
        "approvals.ApprovalTask",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("approval task"),
    )
    month = models.DateField(_("month dispatched"))
    city_code = models.CharField(_("city"), max_length=6)
    county_code = models.CharField(_("county"), max_length=6)
    department = models.CharField(_("department"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20)
    voltage = models.CharField(_("voltage"), max_length=10)
    channel = models.CharField(_("channel"), max_length=20)
    decided = models.BooleanField(_("decided"))
    within_limit = models.BooleanField(_("decided within the limit"))

    class Meta:
        verbose_name = _("task figures")
        verbose_name_plural = _("task figures")

    def __str__(self) -> str:
        return f"figures of task {self.task_id}"


class TaskCell(models.Model):
    """Sums over the department tasks of one month dispatched, city and department (finer
    filters are summed from the tasks' facts)."""

    month = models.DateField(_("month dispatched"))
    city_code = models.CharField(_("city"), max_length=6)
    department = models.CharField(_("department"), max_length=20)
    dispatched = models.BigIntegerField(default=0)
    decided = models.BigIntegerField(default=0)
    within_limit = models.BigIntegerField(default=0)

    KEY = ("month", "city_code", "department")
    MEASURES = ("dispatched", "decided", "within_limit")

    class Meta:
        verbose_name = _("task KPI cell")
        verbose_name_plural = _("task KPI cells")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "city_code", "department"], name="kpi_task_cell_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.city_code} {self.department}"


class CallCell(models.Model):
    """Sums over the government-interface calls of one month and service, by the city of the
    application they were made for (blank when none)."""

    month = models.DateField(_("month"))
    service = models.CharField(_("service"), max_length=30)
    city_code = models.CharField(_("city"), max_length=6)
    calls = models.BigIntegerField(default=0)
    failures = models.BigIntegerField(default=0)
    latency_ms = models.BigIntegerField(default=0)

    KEY = ("month", "service", "city_code")
    MEASURES = ("calls", "failures", "latency_ms")

    class Meta:
        verbose_name = _("call KPI cell")
        verbose_name_plural = _("call KPI cells")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service", "city_code"], name="kpi_call_cell_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.service}"
