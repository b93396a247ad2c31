"""Request limits: JSON nesting depth and body size, refused before the view."""

import pytest
from django.test import override_settings

from portal.parsers import json_depth

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "depth"),
    [(1, 0), ([], 1), ({"a": [1, {"b": []}]}, 4), ([[[]], []], 3), (None, 0)],
)
def test_json_depth_counts_arrays_and_objects(value, depth):
    assert json_depth(value) == depth


def test_a_body_at_the_depth_limit_reaches_the_view(api, applicant, settings):
    nested = "[" * settings.JSON_MAX_DEPTH + "]" * settings.JSON_MAX_DEPTH
    response = api(applicant).post("/api/v1/applications/", nested, content_type="application/json")
    # Parsed, then refused by the serializer as input (not as a body too deep).
    assert response.status_code == 400
    assert "nests deeper" not in response.content.decode()


def test_a_body_one_level_deeper_is_refused(api, applicant, settings):
    depth = settings.JSON_MAX_DEPTH + 1
    response = api(applicant).post(
        "/api/v1/applications/", "[" * depth + "]" * depth, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nests deeper than 32 levels" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_an_api_body_over_the_limit_is_a_413_problem_in_the_callers_language(api, applicant):
    response = api(applicant, language="zh-hans").post(
        "/api/v1/applications/", {"x": "y" * 200}, format="json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("请求过大")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_page_body_over_the_limit_is_the_error_page(client):
    response = client.post(
        "/progress/",
        "x=" + "y" * 200,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert "The request is too large" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100, DOCUMENT_MAX_BYTES=1000)
def test_an_upload_may_carry_one_document_and_its_form(client):
    """Multipart bodies are measured against the document limit, not the form limit."""
    body = b"x" * 5000
    response = client.generic(
        "POST", "/progress/", body, content_type="multipart/form-data; boundary=B"
    )
    assert response.status_code == 405  # reached the view (GET only)
