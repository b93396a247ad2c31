"""Scoped reads: who sees which applications."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from portal.crypto import id_number_digest, phone_digest
from portal.jurisdiction import within_q
from portal.models import IdentityBinding, Role, User

from .models import Application, Kind, State, TimelineEntry


def application_visible_q(user) -> Q | None:
    """A filter for what `user` may see; None means everything."""
    if user.role in (Role.SUPERVISOR, Role.OPERATOR):
        return None
    if user.role == Role.APPLICANT:
        # Own applications, a transfer of an account the user holds while it waits for their
        # consent (nothing of a draft), and, once they answered, that transfer read-only.
        answered = TimelineEntry.objects.filter(
            application=OuterRef("pk"), from_state=State.CONSENT_PENDING, actor=user
        )
        return (
            Q(applicant=user)
            | Q(kind=Kind.TRANSFER, account__holder=user, state=State.CONSENT_PENDING)
            | Q(Exists(answered), kind=Kind.TRANSFER)
        )
    if user.role == Role.CLERK and user.service_hall_id:
        return Q(service_hall_id=user.service_hall_id)
    if user.role == Role.ENGINEER and user.division_id:
        return within_q(user.division, "supply_county__code")
    return Q(pk__in=[])  # approvers see applications through their tasks


def application_list(*, user) -> QuerySet[Application]:
    queryset = Application.objects.select_related(
        "applicant", "supply_county", "account", "service_hall"
    )
    scope = application_visible_q(user)
    return queryset if scope is None else queryset.filter(scope)


def application_get(*, user, pk: int) -> Application | None:
    return application_list(user=user).filter(pk=pk).first()


def application_get_or_404(*, user, pk: int, own: bool = False, whole: bool = False) -> Application:
    """The application with this id if the user may see it (and, with `own`, if it is the
    user's own application; with `whole`, if the user may see the whole record, its documents
    and contract included); a 404 otherwise, for pages and API alike."""
    application = application_get(user=user, pk=pk)
    if application is None or (own and application.applicant_id != user.pk):
        raise Http404
    if whole and (
        consent_request_only(user, application) or personal_data_masked_for(user, application)
    ):
        raise Http404
    return application


def applications_awaiting_consent(*, user) -> QuerySet[Application]:
    """Transfers of an account the user holds that wait for their consent."""
    return (
        Application.objects.filter(
            kind=Kind.TRANSFER, account__holder=user, state=State.CONSENT_PENDING
        )
        .select_related("supply_county")
        .order_by("created_at")
    )


def counter_applicant_lookup(*, query: str) -> list:
    """Applicants with this mobile number or ID number (the counter's look-up: the ID number of
    their verified identity or of an application); at most 20, each marked `bound` when the
    account is bound to a verified person. Both are encrypted: found by their keyed hashes."""
    query = query.strip().upper()
    by_id = id_number_digest(query)
    return list(
        counter_applicants()
        .filter(
            Q(phone_hash=phone_digest(query))
            | Q(applications__id_number_hash=by_id)
            | Q(identity_bindings__id_number_hash=by_id, identity_bindings__unbound_at__isnull=True)
        )
        .distinct()[:20]
    )


def counter_applicants() -> QuerySet:
    """Applicant accounts as the counter lists them: each marked `bound` when it is bound to a
    verified person."""
    in_force = IdentityBinding.objects.filter(user=OuterRef("pk"), unbound_at__isnull=True)
    return User.objects.filter(role=Role.APPLICANT).annotate(bound=Exists(in_force))


def personal_data_masked_for(user, application: Application) -> bool:
    """Supervisors see everything masked; the people working the case see it in full."""
    return user.role == Role.SUPERVISOR


def consent_request_only(user, application: Application) -> bool:
    """The current holder of the account, asked to consent to its transfer, sees the number,
    the applicant's masked name and the decision to make — nothing else."""
    return user.role == Role.APPLICANT and application.applicant_id != user.pk
