from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("supervision/", views.dashboard, name="dashboard"),
    path("supervision/applications/", views.application_list, name="applications"),
    path("supervision/applications/<int:pk>/", views.application_page, name="application"),
    path(
        "supervision/export/applications.csv", views.export_applications, name="export-applications"
    ),
    path("supervision/export/kpis.csv", views.export_kpis, name="export-kpis"),
    path("transparency/", views.transparency, name="transparency"),
]
