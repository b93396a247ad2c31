"""One application's promises, as the pages and the API show them: whose turn it is, the three
clocks, the commitments it was filed under, the predicted completion and queue position, the
compensation accrued and the contacts it took. `public` leaves out everything personal (the
progress page): no names, no notes, no amounts owed to someone."""

from __future__ import annotations

from django.utils import timezone

from applications.models import Application, State

from .clocks import Party, application_clocks
from .commitments import commitment_set_of, commitments_for
from .compensation import accrual
from .interactions import contact_summary
from .models import LedgerEntry, Phase
from .prediction import predict, queue_position


def promise_summary(application: Application, *, public: bool = False) -> dict:
    now = timezone.now()
    end = application.completed_at if application.state == State.COMPLETED else now
    entries = list(application.timeline.order_by("created_at", "id"))
    clocks = application_clocks(application, now=end, entries=entries)
    version = commitment_set_of(application)
    commitments = commitments_for(application, version)
    whole = commitments.get(Phase.WHOLE)
    prediction = predict(application, as_of=now, entries=entries)
    summary = {
        "turn": clocks.turn,
        "turn_label": str(Party(clocks.turn).label) if clocks.turn else "",
        "clocks": clocks.as_dict(),
        "predicted_completion": prediction.date if prediction else None,
        "prediction_basis": prediction.basis if prediction else "",
        "queue_position": (
            prediction.place.position
            if prediction and prediction.place
            else queue_position(application)
        ),
        "commitments_version": version.version if version else "",
        "limit_days": whole.limit_days if whole else None,
    }
    if public:
        return summary
    owed = accrual(application, clocks, commitments)
    credited = LedgerEntry.objects.filter(
        application=application, kind=LedgerEntry.Kind.COMPENSATION
    ).first()
    contacts = contact_summary(application)
    summary.update(
        {
            "compensation": {
                "days_late": owed.days_late,
                "rate_fen": owed.rate_fen,
                "amount_fen": owed.amount_fen,
                "amount": owed.amount_yuan,
                "credited": credited is not None,
                "credited_at": credited.created_at if credited else None,
            },
            "contacts": {
                "procedures": contacts.procedures,
                "trips": contacts.trips,
                "by_channel": contacts.by_channel,
            },
        }
    )
    return summary
