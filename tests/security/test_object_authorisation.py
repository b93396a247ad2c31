"""Generated from the URL configuration: every page and API endpoint that takes an object id is
requested, GET and POST, for objects of one applicant, by everyone who has no business with
them — another applicant, the holder of the account being transferred, a clerk of another hall,
an engineer of another city, an approver of another department, a supervisor, and nobody.

Each answer must be a refusal (401/403/404/405), a redirect to sign-in, or — where the design
gives a masked view (the supervisor's, the holder's consent request) — a page or body that
holds none of the person's data in clear. A new URL is covered without editing this test; a URL
keyword this test cannot fill fails it, so nobody adds an id the test does not know."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken

from applications.models import Application, Kind
from applications.workflows import WITHDRAW
from payments.models import Invoice, PaymentOrder
from tests.helpers import authenticator

pytestmark = pytest.mark.django_db

# URL keywords that are not object ids, and what to put in them.
NOT_IDS = {
    "kind": Kind.NEW_CONNECTION.value,
    "name": WITHDRAW.name,  # a step nobody but the applicant may take
    "app_label": None,
    "url": None,
}
# Which object a route's `pk` names, by the route's beginning (the longest match wins).
PK_OBJECTS = {
    "applications/": "application",
    "engineer/applications/": "application",
    "counter/applications/": "application",
    "api/v1/applications/": "application",
    "promises/applications/": "application",
    "approvals/tasks/": "task",
    "api/v1/approvals/tasks/": "task",
    "approvals/overdue/": "overdue_item",
    "supervision/applications/": "application",
    "admin/otp_totp/totpdevice/": "totp_device",
}
# The other id keywords, each naming one kind of object.
ID_OBJECTS = {
    "document_id": "document",
    "user_id": "applicant",
    "id": "applicant",  # the admin's password change of a user
    "object_id": "application",  # the admin's pages of one object
    "content_type_id": "content_type",
    "prefix": "api_token",  # one of the applicant's API tokens
    "number": "invoice",  # an e-invoice of the application's paid fee
}
KEYWORD = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
SIGN_IN = ("/accounts/login/", "/admin/login/")


def url_patterns() -> Iterator[str]:
    """Every route of the site as a string, includes flattened."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    yield from walk(get_resolver("portal.urls").url_patterns, "")


def keywords(route: str) -> list[str]:
    return [m.group("name") for m in KEYWORD.finditer(route)] + re.findall(r"\(\?P<(\w+)>", route)


def object_routes() -> list[str]:
    """The routes that take an object id (a keyword outside NOT_IDS)."""
    return [r for r in url_patterns() if set(keywords(r)) - set(NOT_IDS)]


def pk_object(route: str) -> str | None:
    starts = [start for start in PK_OBJECTS if route.startswith(start)]
    return PK_OBJECTS[max(starts, key=len)] if starts else None


def test_every_object_route_is_one_the_test_knows_how_to_fill():
    """Fails on a new id keyword, or a `pk` under a path whose object is not declared above."""
    unknown = {
        (route, name)
        for route in object_routes()
        for name in keywords(route)
        if name not in NOT_IDS and name not in ID_OBJECTS and name != "pk"
    }
    unknown |= {(r, "pk") for r in object_routes() if "pk" in keywords(r) and not pk_object(r)}
    assert not unknown, f"add these URL keywords to the test's object map: {sorted(unknown)}"
    assert len(object_routes()) > 20  # the walk found the site's routes


def build(route: str, objects: dict) -> str:
    def fill(match: re.Match) -> str:
        name = match.group("name")
        if name in NOT_IDS:
            return str(NOT_IDS[name])
        kind = pk_object(route) if name == "pk" else ID_OBJECTS[name]
        return str(objects[kind])

    return "/" + KEYWORD.sub(fill, route)


def paid_invoice(application: Application) -> str:
    order = PaymentOrder.objects.create(
        application=application,
        purpose="arrears",
        amount_fen=3550,
        merchant_order_no="P-SECURITY-1",
        status=PaymentOrder.Status.PAID,
    )
    return Invoice.objects.create(order=order, number="FP-SECURITY-1", pdf=b"%PDF-1.4").number


def secrets_of(application: Application) -> list[str]:
    return [
        application.id_number,
        application.phone,
        application.applicant_name,
        application.applicant.username,
        "id.pdf",
    ]


def judge(response, *, method: str, secrets: list[str]) -> str | None:
    """None when the answer is a refusal or a masked view; what is wrong otherwise."""
    status = response.status_code
    if status in {401, 403, 404, 405}:
        return None
    if status in {301, 302}:
        location = response["Location"]
        return None if location.startswith(SIGN_IN) else f"redirect to {location}"
    if method == "POST" and status < 400:
        return f"POST answered {status}"
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("text/html", "application/json", "application/problem")):
        return f"{status} {content_type}: a file handed out"
    body = response.content.decode()
    leaked = [secret for secret in secrets if secret and secret in body]
    return f"{status} shows {leaked}" if leaked else None


@pytest.mark.parametrize(
    "who",
    [
        "another applicant",
        "the account holder of the transfer",
        "a clerk of another hall",
        "an engineer of another city",
        "an approver of another department",
        "a supervisor",
        "nobody",
    ],
)
def test_nobody_else_gets_an_applicants_objects(
    who, intruders, transfer_awaiting_consent, overdue_item
):
    application = transfer_awaiting_consent
    objects = {
        "application": application.pk,
        "document": application.documents.get().pk,
        "applicant": application.applicant_id,
        "task": overdue_item.task_id,
        "overdue_item": overdue_item.pk,
        "content_type": ContentType.objects.get_for_model(Application).pk,
        "totp_device": authenticator(application.applicant).pk,
        "api_token": AuthToken.objects.create(application.applicant)[0].token_key,
        "invoice": paid_invoice(application),
    }
    secrets = secrets_of(application)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if intruders[who] is not None:
        client.force_login(intruders[who])
    problems = []
    for route in object_routes():
        url = build(route, objects)
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url, {})
            problem = judge(response, method=method, secrets=secrets)
            if problem:
                problems.append(f"{method} {url}: {problem}")
    assert not problems, f"{who}:\n" + "\n".join(problems)
