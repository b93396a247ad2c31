from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("history/", views.history, name="history"),
    path("tasks/<int:pk>/", views.task_page, name="task"),
    path("tasks/<int:pk>/answer/", views.task_answer, name="task-answer"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("overdue/<int:pk>/", views.overdue_item, name="overdue-item"),
]
