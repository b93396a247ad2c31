"""Any address that leads nowhere: problem details for API clients, a page for people."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/applications/abc/",
        "/api/v1/applications/12/transitions/",
        "/api/v1/no-such-thing/",
        "/api/v1/approvals/tasks/x/",
    ],
)
def test_a_malformed_api_path_is_json_problem_details(api, applicant, path):
    response = api(applicant).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Not found"


def test_a_page_that_does_not_exist_is_a_page_in_the_persons_language(client):
    chinese = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 404 and "text/html" in chinese["Content-Type"]
    assert "页面未找到" in chinese.content.decode()
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in english.content.decode()
