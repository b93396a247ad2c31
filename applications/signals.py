"""Named signals the applications app sends from its services to apps above it."""

from django.dispatch import Signal

# Sent on commit when a confirmed scheme needs permits; kwargs: application_id.
# The approvals app receives it and opens one task per department.
permits_requested = Signal()

# Sent inside the applicant's `file_commitment` transaction; kwargs: application_id, actor_id,
# text_version, text (the exact commitment text signed). The approvals app files it with the
# departments the route touches, for their information.
commitment_filed = Signal()

# Sent inside the `withdraw` transaction; kwargs: application_id. Whatever is still open for the
# application in the apps above (the approvals app's tasks) is cancelled by their receivers in
# the same transaction, so a withdrawal leaves nothing waiting. (The survey booking lives in the
# `surveys` app below, so the withdrawal's effect ends it directly.)
application_withdrawn = Signal()

# Sent inside every transaction that changes an application: each step (after its timeline row,
# its effects and its messages) and its rating. kwargs: application_id, application, entry (the
# step's TimelineEntry; None for a rating), actor (None for the system). The promises app keeps
# the commitments version at submission, records the contact the step was and credits
# compensation at completion; the supervision app keeps its counters — in the same transaction,
# so nothing runs ahead of or behind the work. Receivers run in INSTALLED_APPS order.
application_changed = Signal()


def application_changed_send(application, *, entry=None, actor=None) -> None:
    """Send `application_changed` for `application` (inside the caller's transaction)."""
    application_changed.send(
        sender=type(application),
        application_id=application.pk,
        application=application,
        entry=entry,
        actor=actor,
    )


# Sent inside `sign_contract`'s transaction, and when the applicant sets a mailing address;
# kwargs: application_id. The mailing app sends the signed papers when both are there.
contract_signed = Signal()
mailing_address_set = Signal()
