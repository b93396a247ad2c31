"""Named signals the applications app sends from its services to apps above it."""

from django.dispatch import Signal

# Sent on commit when a confirmed scheme needs permits; kwargs: application_id.
# The approvals app receives it and opens one task per department.
permits_requested = Signal()
