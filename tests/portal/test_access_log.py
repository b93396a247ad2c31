"""The personal-data access log: append-only, kept for its retention and purged only after it,
written from one service by pages, API and admin, shown to the person and searched by
supervisors."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from portal.access_log import (
    personal_data_access_purge,
    personal_data_access_record,
    purge_access_log_task,
)
from portal.models import PersonalDataAccess, Role
from tests.factories import make_user, new_application

pytestmark = pytest.mark.django_db


def record(actor, application, **extra) -> PersonalDataAccess:
    personal_data_access_record(actor=actor, what="api_detail", applications=[application], **extra)
    return PersonalDataAccess.objects.first()


def test_a_row_can_be_neither_changed_nor_deleted(engineer, application):
    row = record(engineer, application)
    row.purpose = "supervision"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        PersonalDataAccess.objects.all().delete()
    with pytest.raises(PermissionError):
        PersonalDataAccess.objects.update(purpose="supervision")
    assert PersonalDataAccess.objects.get().purpose == "handling"


def test_the_admin_may_neither_add_change_nor_delete(engineer, application):
    request = RequestFactory().get("/")
    request.user = make_user("t_operator", Role.OPERATOR, is_staff=True, is_superuser=True)
    model_admin = site._registry[PersonalDataAccess]
    row = record(engineer, application)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)


def aged_row(actor, application, days: int, now) -> None:
    PersonalDataAccess(
        actor=actor,
        role=actor.role,
        subject_id=application.applicant_id,
        what="api_detail",
        purpose="handling",
        created_at=now - timedelta(days=days),
    ).save()


def test_the_purge_removes_only_rows_older_than_the_retention(engineer, application, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 180
    now = timezone.now()
    for days in (181, 179, 1):
        aged_row(engineer, application, days, now)
    assert personal_data_access_purge(now=now) == 1
    left = sorted((now - row.created_at).days for row in PersonalDataAccess.objects.all())
    assert left == [1, 179]


def test_a_retention_below_the_minimum_still_keeps_180_days(engineer, application, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    aged_row(engineer, application, 100, timezone.now())
    assert purge_access_log_task() == 0
    assert PersonalDataAccess.objects.count() == 1


def test_the_persons_own_views_and_other_applicants_are_not_recorded(
    applicant, holder, application
):
    assert (
        personal_data_access_record(actor=applicant, what="api_detail", applications=[application])
        == 0
    )
    assert (
        personal_data_access_record(actor=holder, what="api_detail", applications=[application])
        == 0
    )
    assert not PersonalDataAccess.objects.exists()


def test_the_purpose_follows_the_route_then_the_role(clerk, supervisor, approver, application):
    assert record(clerk, application, path="/counter/applications/1/").purpose == "counter_filing"
    assert record(clerk, application, path="/api/v1/applications/1/").purpose == "handling"
    assert record(supervisor, application, path="/api/v1/").purpose == "supervision"
    assert record(approver, application, path="/approvals/tasks/1/").purpose == "approval"
    assert record(approver, application).unit == "自然资源和规划局 · 济南市"


def test_staff_pages_api_and_admin_record_a_view(client, api, engineer, application):
    client.force_login(engineer)
    client.get(f"/engineer/applications/{application.pk}/")
    api(engineer).get("/api/v1/applications/")
    client.force_login(make_user("t_operator", Role.OPERATOR, is_staff=True, is_superuser=True))
    client.get(f"/admin/applications/application/{application.pk}/change/")
    client.get(f"/admin/portal/user/{application.applicant_id}/change/")
    whats = sorted(PersonalDataAccess.objects.values_list("what", flat=True))
    assert whats == ["admin_change", "admin_change", "application_detail", "application_list"]
    assert {row.subject_id for row in PersonalDataAccess.objects.all()} == {
        application.applicant_id
    }


def test_who_viewed_my_data_is_the_applicants_own_page(client, applicant, engineer, application):
    assert client.get("/my-data/views/").status_code == 302
    client.force_login(engineer)
    assert client.get("/my-data/views/").status_code == 403
    record(engineer, application)
    client.force_login(applicant)
    page = client.get("/my-data/views/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("data-access=") == 1 and engineer.username not in page
    assert "Engineer" in page and application.number in page


def test_supervisors_search_the_log_by_number_staff_and_dates(
    client, supervisor, engineer, clerk, applicant, application
):
    other = new_application(applicant)
    record(engineer, application)
    record(clerk, other)
    client.force_login(engineer)
    assert client.get("/supervision/access-log/").status_code == 403
    client.force_login(supervisor)

    def shown(**query):
        response = client.get("/supervision/access-log/", query)
        assert response.status_code == 200
        return response.content.decode().count("data-access=")

    assert shown() == 2
    assert shown(application=application.number) == 1
    assert shown(staff=clerk.username) == 1
    today = timezone.localdate().isoformat()
    assert shown(date_from=today, date_to=today) == 2
    assert shown(date_to="2000-01-01") == 0
    assert client.get("/supervision/access-log/", {"date_from": "nonsense"}).status_code == 400


def test_the_supervisors_search_is_paginated(client, supervisor, engineer, application):
    personal_data_access_record(actor=engineer, what="api_detail", applications=[application] * 51)
    client.force_login(supervisor)
    first = client.get("/supervision/access-log/", {"staff": engineer.username}).content.decode()
    assert first.count("data-access=") == 50 and "page=2" in first
    second = client.get("/supervision/access-log/", {"staff": engineer.username, "page": 2})
    assert second.content.decode().count("data-access=") == 1
