from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .services import notifications_mark_read


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Everyone's portal inbox, newest first; POST marks everything read."""
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("inbox")
    rows = request.user.notifications.all()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})
