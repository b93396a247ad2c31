from django.urls import path

from .sms_login import sms_login
from .views import inbox

urlpatterns = [
    path("accounts/sms/", sms_login, name="sms-login"),
    path("inbox/", inbox, name="inbox"),
]
