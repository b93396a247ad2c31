"""The supervisors' pages: the dashboard, the drill-down, the masked application view, the
exports; and the public transparency page."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import partial
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications.models import Application, Channel, Kind, State, Voltage
from approvals.models import ApprovalTask
from approvals.views import masked_summary
from govdata.models import SERVICE_CHOICES
from portal.models import Department as DepartmentCode
from portal.models import Role
from portal.pages import role_required

from .charts import bar_chart
from .counting import published_limits
from .forms import Filters, KpiFilterForm
from .selectors import ALL_FIGURES, SUBJECTS, city_names, facts, kpis

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
TRANSPARENCY_SECONDS = 60


def parsed_filters(request: HttpRequest) -> tuple[KpiFilterForm, Filters | None]:
    form = KpiFilterForm(request.GET)
    return form, (form.filters() if form.is_valid() else None)


def trend_charts(months: list[dict]) -> list:
    labels = [m["month"] for m in months]
    return [
        bar_chart(
            "chart-submitted",
            _("Applications submitted per month"),
            _("applications"),
            list(zip(labels, [m["submitted"] for m in months], strict=True)),
        ),
        bar_chart(
            "chart-days",
            _("Median calendar days from submission to power-on, by month submitted"),
            _("days"),
            list(zip(labels, [m["median_days"] for m in months], strict=True)),
        ),
        bar_chart(
            "chart-within",
            _("Share connected within the published limit, by month submitted"),
            "%",
            list(zip(labels, [m["within_limit_share"] for m in months], strict=True)),
            top=100,
        ),
    ]


@require_GET
@role_required(Role.SUPERVISOR)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = parsed_filters(request)
    if filters is None:
        return render(request, "supervision/dashboard.html", {"form": form}, status=400)
    figures = kpis(filters)
    query = filters.as_query()
    drill = partial(_drill, query)
    for city in figures["cities"]:
        city["link"] = drill(city=city["code"])
        city["within_link"] = drill(city=city["code"], figure="within_limit")
    for channel in figures["channels"]:
        channel["link"] = drill(channel=channel["channel"])
    for month in figures["months"]:
        month["link"] = drill(date_from=month["month"], date_to=month["month"])
    for row in figures["approvals"]["departments"]:
        row["link"] = drill(figure="tasks_decided", department=row["department"])
        row["within_link"] = drill(figure="tasks_within", department=row["department"])
    for row in figures["approvals"]["cities"]:
        row["link"] = drill(figure="tasks_decided", city=row["city"])
        row["within_link"] = drill(figure="tasks_within", city=row["city"])
    for row in figures["gov_calls"]["services"]:
        row["link"] = drill(figure="calls", service=row["service"])
        row["failed_link"] = drill(figure="calls_failed", service=row["service"])
    return render(
        request,
        "supervision/dashboard.html",
        {
            "form": form,
            "k": figures,
            "charts": trend_charts(figures["months"]),
            "links": {figure: drill(figure=figure) for figure in ALL_FIGURES},
            "exports": {
                "kpis": f"{reverse('supervision:export-kpis')}?{urlencode(query)}",
                "applications": f"{reverse('supervision:export-applications')}?{urlencode(query)}",
            },
        },
    )


SUBJECT_CHOICES = {
    "department": set(DepartmentCode.values),
    "service": {code for code, _label in SERVICE_CHOICES},
}


def figure_of(request: HttpRequest) -> tuple[str, str]:
    """The figure drilled into and its subject (a department or a service); 404 for a figure
    or subject that does not exist."""
    figure = request.GET.get("figure", "submitted")
    if figure not in ALL_FIGURES:
        raise Http404
    field = SUBJECTS.get(figure)
    subject = request.GET.get(field, "") if field else ""
    if subject and subject not in SUBJECT_CHOICES[field]:
        raise Http404
    return figure, subject


def subject_query(figure: str, subject: str) -> dict[str, str]:
    return {SUBJECTS[figure]: subject} if subject else {}


def _drill(query: dict[str, str], **extra: str) -> str:
    """The list of applications behind a figure, with the dashboard's filters."""
    return f"{reverse('supervision:applications')}?{urlencode({**query, **extra})}"


def _labels() -> dict[str, dict[str, str]]:
    return {
        "kind": dict(Kind.choices),
        "voltage": dict(Voltage.choices),
        "channel": dict(Channel.choices),
        "state": dict(State.choices),
    }


FACT_COLUMNS = (
    "application_id",
    "application__number",
    "month",
    "city_code",
    "county_code",
    "kind",
    "voltage",
    "channel",
    "state",
    "certificates",
    "procedures",
    "days",
    "workdays",
    "within_limit",
    "cost_fen",
    "rating",
)


@require_GET
@role_required(Role.SUPERVISOR)
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications behind one figure (`figure`), with the dashboard's filters."""
    form, filters = parsed_filters(request)
    figure, subject = figure_of(request)
    if filters is None:
        return render(request, "supervision/applications.html", {"form": form}, status=400)
    rows = facts(filters, figure, subject).values(*FACT_COLUMNS)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    labels, names = _labels(), city_names()
    for row in page.object_list:
        row["city"] = names.get(row["city_code"], row["city_code"])
        for field in ("kind", "voltage", "channel", "state"):
            row[f"{field}_label"] = labels[field].get(row[field], row[field])
    query = {**filters.as_query(), "figure": figure, **subject_query(figure, subject)}
    return render(
        request,
        "supervision/applications.html",
        {
            "form": form,
            "page": page,
            "figure": figure,
            "query": urlencode(query),
            "export": f"{reverse('supervision:export-applications')}?{urlencode(query)}",
        },
    )


@require_GET
@role_required(Role.SUPERVISOR)
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One application, read-only, the person's data masked: what was done, when, by whom."""
    application = (
        Application.objects.select_related("supply_county", "service_hall").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    return render(
        request,
        "supervision/application.html",
        {
            "application": application,
            "summary": masked_summary(application),
            "timeline": application.timeline.all(),
            "tasks": ApprovalTask.objects.filter(application=application)
            .select_related("department__city")
            .order_by("round", "department__code"),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel opens UTF-8 Chinese text correctly with the byte-order mark
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def _download(name: str, header: list[str], rows: Iterator[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_stream(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@role_required(Role.SUPERVISOR)
def export_applications(request: HttpRequest) -> HttpResponse:
    """Every application behind a figure, streamed from the database a chunk at a time."""
    form, filters = parsed_filters(request)
    figure, subject = figure_of(request)
    if filters is None:
        return HttpResponse(_("The filters are not valid."), status=400)
    rows = (
        facts(filters, figure, subject).values_list(*FACT_COLUMNS).iterator(chunk_size=EXPORT_CHUNK)
    )
    header = [c.replace("application__", "") for c in FACT_COLUMNS]
    return _download(f"applications-{figure}.csv", header, (list(r) for r in rows))


def kpi_rows(figures: dict) -> Iterator[list]:
    """Every KPI table of the dashboard as (table, key, measure, value) rows."""
    for name, value in figures["totals"].items():
        yield ["totals", "", name, value]
    for measure, dist in figures["world_bank"].items():
        if isinstance(dist, dict):
            for stat, value in dist.items():
                yield ["world_bank", measure, stat, value]
        else:
            yield ["world_bank", "", measure, dist]
    for row in figures["channels"]:
        yield ["channels", row["channel"], "submitted", row["submitted"]]
        yield ["channels", row["channel"], "share", row["share"]]
    for city in figures["cities"]:
        for measure in ("submitted", "online_share", "completed", "within_limit_share",
                        "zero_cert_share", "one_cert_share", "satisfaction"):  # fmt: skip
            yield ["cities", city["code"], measure, city[measure]]
        yield ["cities", city["code"], "median_days", city["days"]["median"]]
    for month in figures["months"]:
        for measure, value in month.items():
            if measure != "month":
                yield ["months", month["month"], measure, value]
    for service in figures["gov_calls"]["services"]:
        for measure in ("calls", "failures", "failure_rate", "latency_ms_mean"):
            yield ["gov_calls", service["service"], measure, service[measure]]
    for table in ("departments", "cities"):
        for row in figures["approvals"][table]:
            key = row.get("department") or row.get("city")
            for measure in ("dispatched", "decided", "within_limit", "share"):
                yield [f"approvals_{table}", key, measure, row[measure]]
    for measure, value in figures["overdue"].items():
        yield ["overdue", "", measure, value]


@require_GET
@role_required(Role.SUPERVISOR)
def export_kpis(request: HttpRequest) -> HttpResponse:
    form, filters = parsed_filters(request)
    if filters is None:
        return HttpResponse(_("The filters are not valid."), status=400)
    return _download("kpis.csv", ["table", "key", "measure", "value"], kpi_rows(kpis(filters)))


def transparency_figures() -> dict:
    """The province's figures for the public page, cached for a minute per language (the
    labels are translated): a burst of visitors costs one computation."""
    key = f"supervision:transparency:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = kpis(Filters())
        cache.set(key, figures, TRANSPARENCY_SECONDS)
    return figures


@require_GET
def transparency(request: HttpRequest) -> HttpResponse:
    """Public: per city, how long connection takes and how often the promises are kept. Counts
    and medians only, never a person."""
    figures = transparency_figures()
    approvals = {row["city"]: row for row in figures["approvals"]["cities"]}
    cities = [{**city, "approvals": approvals.get(city["code"])} for city in figures["cities"]]
    return render(
        request,
        "supervision/transparency.html",
        {
            "cities": cities,
            "totals": figures["totals"],
            "approvals": figures["approvals"],
            "limits": published_limits(),
            "seconds": TRANSPARENCY_SECONDS,
        },
    )
