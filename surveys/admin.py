from django.contrib import admin

from portal.admin import ViewOnlyAdmin

from .models import SurveyBooking, SurveyHours


@admin.register(SurveyHours)
class SurveyHoursAdmin(admin.ModelAdmin):
    """Operators set the engineers' survey hours and crews per area here."""

    list_display = ["__str__", "division", "start", "end", "slot_minutes", "capacity"]
    list_editable = ["start", "end", "slot_minutes", "capacity"]
    list_select_related = ["division"]
    autocomplete_fields = ["division"]


@admin.register(SurveyBooking)
class SurveyBookingAdmin(ViewOnlyAdmin):
    """Read-only: bookings are made, moved and cancelled through the application's steps."""

    list_display = ["start", "area", "seat", "application", "state", "reminded_at"]
    list_filter = ["state"]
    date_hierarchy = "start"
    list_select_related = ["area", "application"]
