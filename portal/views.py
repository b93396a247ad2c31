import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access_log import accesses_of
from .forms import AccessLogSearchForm, ProgressLookupForm
from .models import PersonalDataAccess, Role
from .pages import role_required

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"progress_form": ProgressLookupForm()})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive. Touches nothing else, so a database outage does not restart it."""
    return JsonResponse({"status": "ok"})


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # any failure means not ready; the reason goes to the log
        logger.warning("readyz: database unreachable: %s", exc)
        return False, "unreachable"


def _broker_ok() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "eager"

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        return True, "redis"
    except redis.RedisError as exc:
        logger.warning("readyz: broker unreachable: %s", exc)
        return False, "unreachable"


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database and the broker answer. 503 otherwise."""
    db_ok, db = _database_ok()
    broker_ok, broker = _broker_ok()
    ready = db_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "database": db, "broker": broker},
        status=200 if ready else 503,
    )


WORKBENCH = {
    "applicant": "applications:mine",
    "approver": "approvals:queue",
    "engineer": "applications:engineer-queue",
    "clerk": "applications:counter",
    "supervisor": "supervision:dashboard",
}


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """Where each role starts after signing in. Roles whose pages are not built yet land in the
    admin (staff) or on the home page."""
    target = WORKBENCH.get(request.user.role)
    if target:
        return redirect(target)
    return redirect("admin:index" if request.user.is_staff else "home")


PAGE_SIZE = 50


@role_required(Role.APPLICANT)
def data_views(request: HttpRequest) -> HttpResponse:
    """Who viewed my data: each view by staff — when, the role and unit (never the name), what
    and why."""
    rows = accesses_of(subject=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/data_views.html", {"page": page})


@role_required(Role.SUPERVISOR)
def access_log(request: HttpRequest) -> HttpResponse:
    """Supervisors search the access log by application number, staff user and dates."""
    form = AccessLogSearchForm(request.GET or None)
    rows = PersonalDataAccess.objects.select_related("actor")
    if form.is_valid():
        rows = form.filter(rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )
