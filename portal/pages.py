"""What every app's pages share: the role guard, and how a domain refusal is shown on a form
(beside its field) or as a message — the pages' counterpart of `portal.api`."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError


def role_required(*roles: str):
    """Signed in, and of one of these roles; anyone else gets 403 (never the page)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def show_refusal(request, error: DomainError, form=None) -> None:
    """Put the refusal where the person looks for it: beside the field it names when the form
    has that field, otherwise as a message on the page."""
    placed = False
    if form is not None:
        for field, problems in error.errors.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
                placed = True
    if not placed:
        messages.error(request, str(error))


def run_form(request, form, action, success: str) -> bool:
    """A page action: when the form parses, call `action(cleaned_data)`; a refusal goes beside
    its field, success becomes a message. True when it went through."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except DomainError as error:
        show_refusal(request, error, form)
        return False
    messages.success(request, success)
    return True


def safe_next(request, target: str) -> str:
    """`target` when it is a place on this site (a `next` after signing in), else "" — never an
    open redirect."""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""
