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
    # The switch offers the other language, named in its own language (never "英语").
    assert 'name="language" value="en" lang="en">English</button>' in body
    assert 'value="zh-hans"' not in body
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="language" value="zh-hans" lang="zh-hans">中文</button>' in english


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


def test_footer_names_the_authority_and_links_privacy_accessibility_and_record_number(
    client, settings
):
    settings.ICP_RECORD_NUMBER = "鲁ICP备12345678号"
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "State Grid Shandong Electric Power Company" in body
    assert 'href="/privacy/"' in body and 'href="/accessibility/"' in body
    assert "鲁ICP备12345678号" in body
    assert "⚡" not in body  # the logo is an SVG, not an emoji
    for path, title in [("/privacy/", "Privacy notice"), ("/accessibility/", "Accessibility")]:
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200 and title in page.content.decode()
        assert "隐私政策" in client.get("/privacy/").content.decode()
    assert client.post("/privacy/").status_code == 405


def test_favicon_is_served_not_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()


def test_home_loads_no_htmx_and_links_its_service_cards_and_start_button(client):
    body = client.get("/").content.decode()
    assert "htmx" not in body
    assert 'id="start"' in body and 'class="button button-start"' in body
    assert 'href="/applications/new/new_connection/"' in body


def test_page_not_found_is_friendly_in_both_languages(client):
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404 and "Page not found" in english.content.decode()
    assert "页面未找到" in client.get("/no-such-page/").content.decode()


def test_approver_is_named_by_role_and_department_in_the_readers_language(client, approver):
    client.force_login(approver)
    body = client.get("/approvals/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approver, " in body
    assert "审批员（" in client.get("/approvals/").content.decode()
