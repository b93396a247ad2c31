from django.dispatch import Signal

# Sent inside the transaction that settles a record check; kwargs: application_id.
# The applications app rolls the application up under its row lock.
checks_settled = Signal()
