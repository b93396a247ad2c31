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
# application elsewhere (the approvals app's tasks, survey bookings) is cancelled by its
# receivers in the same transaction, so a withdrawal leaves nothing waiting.
application_withdrawn = Signal()

# Sent inside `sign_contract`'s transaction, and when the applicant sets a mailing address;
# kwargs: application_id. The mailing app sends the signed papers when both are there.
contract_signed = Signal()
mailing_address_set = Signal()
