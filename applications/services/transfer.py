"""A transfer's own rules: the arrears settled before the account changes hands."""

from __future__ import annotations

from django.utils import timezone

from ..models import ArrearsSettlement, ElectricityAccount


def arrears_settle(*, application, actor, method: str, reference: str = "") -> ArrearsSettlement:
    """In `confirm_settlement`'s transaction: record what was settled (amount, how, who, when)
    and clear the account's arrears, under the account's row lock so a concurrent change of the
    arrears is either settled here or seen after."""
    account = ElectricityAccount.objects.select_for_update().get(pk=application.account_id)
    settlement = ArrearsSettlement.objects.create(
        account=account,
        application=application,
        amount=account.arrears,
        method=method,
        reference=reference,
        recorded_by=actor,
        settled_at=timezone.now(),
    )
    account.arrears = 0
    account.save(update_fields=["arrears", "updated_at"])
    application.account = account
    return settlement
