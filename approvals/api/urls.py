from django.urls import path

from . import views

urlpatterns = [
    path("tasks/", views.ApprovalTaskListApi.as_view(), name="api-approval-tasks"),
    path(
        "tasks/<int:pk>/decide/", views.ApprovalTaskDecideApi.as_view(), name="api-approval-decide"
    ),
    path(
        "tasks/<int:pk>/answer/", views.ApprovalTaskAnswerApi.as_view(), name="api-approval-answer"
    ),
]
