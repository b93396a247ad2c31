from django.urls import path

from . import views

urlpatterns = [path("stats/kpis/", views.KpisApi.as_view(), name="api-kpis")]
