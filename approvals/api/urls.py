from django.urls import path

from . import views

urlpatterns = [
    path("tasks/", views.ApprovalTaskListApi.as_view(), name="api-approval-tasks"),
    path(
        "tasks/<int:pk>/decide/", views.ApprovalTaskDecideApi.as_view(), name="api-approval-decide"
    ),
]
