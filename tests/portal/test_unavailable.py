"""A lost database or Redis connection answers 503 with Retry-After, never 500: problem details
for the API, a page for people; anything else is still a 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError

from portal.unavailable import server_error

pytestmark = pytest.mark.django_db


def test_the_api_answers_503_with_retry_after_while_the_database_is_away(api, applicant):
    with mock.patch(
        "applications.api.views.application_list", side_effect=OperationalError("gone")
    ):
        response = api(applicant).get("/api/v1/applications/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503


def test_a_page_answers_503_with_retry_after_while_redis_is_away(client, engineer):
    client.force_login(engineer)
    with mock.patch(
        "applications.views.engineer.application_list", side_effect=RedisConnectionError("gone")
    ):
        response = client.get("/engineer/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "text/html" in response["Content-Type"]


def test_an_outage_met_outside_a_view_is_a_503_and_a_bug_a_500():
    request = RequestFactory().get("/applications/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        assert server_error(request).status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_a_bug_in_a_view_is_still_a_500(client, engineer):
    client.raise_request_exception = False
    client.force_login(engineer)
    with mock.patch("applications.views.engineer.application_list", side_effect=ValueError):
        assert client.get("/engineer/").status_code == 500
