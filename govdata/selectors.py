from django.db.models import Count

from .models import GovCall, RecordCheck


def checks_for(*, application_id: int) -> list[RecordCheck]:
    return list(RecordCheck.objects.filter(application_id=application_id).order_by("id"))


def govcall_counts(*, since=None) -> dict[str, dict[str, int]]:
    """Calls to the platform per service and outcome: the interface-call KPI."""
    queryset = GovCall.objects.all()
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    counts: dict[str, dict[str, int]] = {}
    for row in queryset.values("service", "outcome").annotate(n=Count("id")):
        counts.setdefault(row["service"], {})[row["outcome"]] = row["n"]
    return counts
