"""Pages of the payments app: paying from the application's page, the invoice, the platform's
notifications, and the supervisors' list of what the reconciliation found."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from applications.selectors import application_get_or_404
from portal.errors import DomainError
from portal.models import Role
from portal.pages import role_required, show_refusal
from portal.pdf import pdf_response

from .models import Invoice
from .selectors import flagged_orders, forged_notifications, statement_differences
from .services import notification_receive, payment_start


@require_POST
@role_required(Role.APPLICANT)
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_or_404(user=request.user, pk=pk, own=True)
    try:
        order = payment_start(application_id=application.pk, actor=request.user)
    except DomainError as error:
        show_refusal(request, error)
        return redirect("applications:page", pk=application.pk)
    return redirect(order.pay_url)


@role_required(Role.APPLICANT, Role.CLERK, Role.ENGINEER, Role.SUPERVISOR)
def invoice_pdf(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    # The invoice names the buyer: only for those who may see the whole record (not a masked
    # supervisor's view).
    application = application_get_or_404(user=request.user, pk=pk, whole=True)
    invoice = get_object_or_404(Invoice, number=number, order__application=application)
    return pdf_response(invoice.pdf, f"invoice-{invoice.number}.pdf")


@csrf_exempt  # the platform signs its notifications; no browser session is involved
@require_POST
def notify(request: HttpRequest) -> HttpResponse:
    notification = notification_receive(
        headers=request.headers, path=request.path, body=request.body
    )
    if notification.verdict == notification.Verdict.FORGED:
        return HttpResponse("refused", status=401, content_type="text/plain")
    return HttpResponse("success", content_type="text/plain")


@role_required(Role.SUPERVISOR)
def reconciliation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "payments/reconciliation.html",
        {
            "differences": statement_differences()[:200],
            "flagged": flagged_orders()[:200],
            "forged": forged_notifications().count(),
        },
    )


app_name = "payments"
urlpatterns = [
    path("applications/<int:pk>/pay/", pay, name="pay"),
    path("applications/<int:pk>/invoices/<str:number>.pdf", invoice_pdf, name="invoice"),
    path("payments/notify/", notify, name="notify"),
    path("supervision/payments/", reconciliation, name="reconciliation"),
]
