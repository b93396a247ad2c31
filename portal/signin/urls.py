from django.urls import path

from . import views

urlpatterns = [
    path("accounts/two-factor/", views.verify, name="signin-verify"),
    path("accounts/two-factor/setup/", views.enrol, name="signin-enrol"),
    path("accounts/two-factor/setup/qr.svg", views.enrol_qr, name="signin-enrol-qr"),
]
