"""The courier's signed status callbacks (the tracking is shown by the panel and the API)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services import callback_receive


@csrf_exempt  # signed by the courier; no browser session is involved
@require_POST
def callback(request: HttpRequest) -> HttpResponse:
    if not callback_receive(headers=request.headers, path=request.path, body=request.body):
        return HttpResponse("refused", status=401, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


app_name = "mailing"
urlpatterns = [path("mailing/courier/callback/", callback, name="callback")]
