from django.urls import path

from . import views

app_name = "promises"

urlpatterns = [
    path("compensation/", views.compensation_list, name="compensation"),
    path("applications/<int:pk>/contacts/", views.contact_record, name="contact"),
]
