from django.db import models
from django.utils.translation import gettext_lazy as _


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
