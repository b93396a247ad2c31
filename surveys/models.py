"""Site survey booking: the engineers' working hours per area, and the booked seats.

A slot is one survey visit of `slot_minutes` inside an area's working hours on a working day;
`capacity` surveys can be made at once in that slot (the crews of the area). A booking holds one
seat of one slot; an open booking's (area, start, seat) is unique in the database, which is what
keeps two applicants from the same last seat, on PostgreSQL as on SQLite.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.models import Division, TimeStampedModel


class SurveyHours(models.Model):
    """A period of the engineers' working day for site surveys, in one area (a county, or a city
    for all its counties without hours of their own), or everywhere without hours of its own
    (no area). Applies on every working day of the calendar."""

    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_hours",
        verbose_name=_("area"),
        help_text=_("A county, or a city for its counties; empty: every area without its own."),
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per survey"), default=90, help_text=_("One visit, travel included.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("surveys at once"), default=2, help_text=_("How many crews can survey in one slot.")
    )

    class Meta:
        ordering = ["division_id", "start"]
        verbose_name = _("survey hours")
        verbose_name_plural = _("survey hours")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="survey_hours_in_order"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="survey_capacity_positive"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=15), name="survey_slot_at_least_15_minutes"
            ),
        ]

    def __str__(self) -> str:
        area = self.division.name if self.division_id else _("every area")
        return f"{area} {self.start:%H:%M}–{self.end:%H:%M}"


class SurveyBooking(TimeStampedModel):
    """One application's seat in one survey slot. Rescheduling ends this row and books another;
    the rows stay as the booking's history."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        DONE = "done", _("Surveyed")
        RESCHEDULED = "rescheduled", _("Moved to another time")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="survey_bookings",
        verbose_name=_("application"),
    )
    area = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    seat = models.PositiveSmallIntegerField(_("seat"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default="booked")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("survey booking")
        verbose_name_plural = _("survey bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "start", "seat"],
                condition=Q(state="booked"),
                name="one_open_booking_per_seat",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="booked"),
                name="one_open_booking_per_application",
            ),
        ]
        indexes = [models.Index(fields=["state", "start"], name="survey_booking_due")]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} #{self.seat}"
