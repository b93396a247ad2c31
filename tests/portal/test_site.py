from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_in_simplified_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    for text in ("新装", "增容", "更名过户", "进度查询"):
        assert text in body


def test_home_switches_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    for text in ("New connection", "Capacity increase", "Name change / transfer", "Check progress"):
        assert text in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "新装" in client.get("/").content.decode()


def test_home_offers_a_language_switch_and_fits_a_phone(client):
    body = client.get("/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in body
    assert 'name="language" value="en"' in body
    assert 'name="language" value="zh-hans"' in body


def test_progress_lookup_names_the_bad_field_in_the_users_language(client):
    response = client.get(
        "/progress/", {"number": "X1", "check_code": "12ab"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The check code is the 6 digits on your receipt." in body
    assert 'value="12ab"' in body  # what was typed is kept
    zh = client.get("/progress/", {"number": "X1", "check_code": ""}).content.decode()
    assert "该字段是必填项。" in zh


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_200_when_database_and_broker_answer(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_readyz_is_503_when_the_database_is_down(client, settings):
    settings.REDIS_URL = ""
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_readyz_is_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"


def test_api_docs_and_schema_are_served_without_a_cdn(admin_client):
    assert admin_client.get("/api/schema/").status_code == 200
    docs = admin_client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn." not in docs and "jsdelivr" not in docs
