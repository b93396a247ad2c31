"""The one place that records a view of a person's unmasked data, and the one that purges the
log after its retention. Pages, the API, the admin and exports all call `personal_data_viewed`;
nothing else writes `PersonalDataAccess` rows.

A person's own views are not recorded, nor are those of other applicants (the current holder of
an account asked for consent sees a masked name only): the log is what staff saw."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.utils import timezone, translation

from .models import PersonalDataAccess, Role, User

Purpose = PersonalDataAccess.Purpose
What = PersonalDataAccess.What

# The purpose follows from where the data was opened: the first part of the route's path, and
# otherwise from the viewer's role (an engineer or clerk handles, an approver decides, ...).
PURPOSE_BY_SECTION = {
    "counter": Purpose.COUNTER_FILING,
    "admin": Purpose.ADMINISTRATION,
}
PURPOSE_BY_ROLE = {
    Role.CLERK: Purpose.HANDLING,
    Role.ENGINEER: Purpose.HANDLING,
    Role.APPROVER: Purpose.APPROVAL,
    Role.SUPERVISOR: Purpose.SUPERVISION,
    Role.OPERATOR: Purpose.ADMINISTRATION,
}


def viewer_unit(user: User) -> str:
    """What the person is shown instead of the viewer's name: their hall, area or department."""
    if user.role == Role.CLERK and user.service_hall_id:
        return user.service_hall.name
    if user.role == Role.APPROVER:
        # Stored in Chinese whatever the request's language, like the halls' and areas' names.
        with translation.override("zh-hans"):
            department = str(user.get_department_display())
        return f"{department} · {user.division.name if user.division else ''}"
    if user.role == Role.ENGINEER and user.division_id:
        return user.division.name
    return ""


def purpose_for(*, path: str, role: str) -> str:
    section = path.strip("/").split("/", 1)[0]
    return PURPOSE_BY_SECTION.get(section) or PURPOSE_BY_ROLE.get(role, Purpose.SUPERVISION)


def personal_data_access_record(
    *,
    actor: User,
    what: str,
    path: str = "",
    route: str = "",
    applications: Iterable = (),
    subject_ids: Iterable[int] = (),
) -> int:
    """Write one row per person viewed: for each application (its applicant) and for each
    person looked up without one. Returns how many rows were written."""
    if not actor.is_authenticated or (actor.role == Role.APPLICANT and not actor.is_staff):
        return 0
    common = {
        "actor": actor,
        "role": actor.role,
        "unit": viewer_unit(actor),
        "what": what,
        "purpose": purpose_for(path=path, role=actor.role),
        "route": route[:100],
        "created_at": timezone.now(),
    }
    rows = [
        PersonalDataAccess(
            subject_id=application.applicant_id,
            application_id=application.pk,
            application_number=application.number or "",
            **common,
        )
        for application in applications
        if application.applicant_id != actor.pk
    ]
    rows += [
        PersonalDataAccess(subject_id=subject_id, **common)
        for subject_id in subject_ids
        if subject_id != actor.pk
    ]
    PersonalDataAccess.objects.bulk_create(rows)
    return len(rows)


def personal_data_viewed(
    request, *, what: str, applications: Iterable = (), subject_ids: Iterable[int] = ()
) -> int:
    """Record what the request's user saw; the purpose and route come from the request."""
    match = getattr(request, "resolver_match", None)
    return personal_data_access_record(
        actor=request.user,
        what=what,
        path=request.path_info,
        route=match.view_name if match else "",
        applications=applications,
        subject_ids=subject_ids,
    )


def personal_data_access_purge(*, now=None) -> int:
    """Remove rows older than the retention (never less than the minimum); younger rows stay."""
    days = max(settings.ACCESS_LOG_RETENTION_DAYS, settings.ACCESS_LOG_MINIMUM_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return PersonalDataAccess.objects.purge_older_than(cutoff)


@shared_task(name="portal.purge_access_log", ignore_result=True)
def purge_access_log_task() -> int:
    return personal_data_access_purge()


def accesses_of(*, subject: User):
    """The views of this person's data by others, newest first (the "who viewed my data" page)."""
    return PersonalDataAccess.objects.filter(subject=subject).exclude(actor=subject)


class AccessLoggedAdmin:
    """A ModelAdmin mixin: opening an object's change page records a view of the data of the
    people `personal_data_of(obj)` names — `(applications, person ids)`."""

    def personal_data_of(self, obj) -> tuple[list, list[int]]:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        if obj is not None and response.status_code == 200:
            applications, subject_ids = self.personal_data_of(obj)
            personal_data_viewed(
                request,
                what=What.ADMIN_CHANGE,
                applications=applications,
                subject_ids=subject_ids,
            )
        return response
