from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from applications.counter import (
    counter_application,
    counter_file,
    counter_home,
    counter_receipt,
)
from applications.views import (
    application_checks,
    application_new,
    application_page,
    contract_download,
    contract_page,
    contract_verify_page,
    engineer_application,
    engineer_queue,
    my_applications,
    progress,
)
from notifications.views import inbox

from . import views
from .sms_login import sms_login

urlpatterns = [
    path("", views.home, name="home"),
    path("progress/", progress, name="progress"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/sms/", sms_login, name="sms-login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workbench/", views.workbench, name="workbench"),
    path("inbox/", inbox, name="inbox"),
    path("applications/", my_applications, name="my-applications"),
    path("applications/new/<str:kind>/", application_new, name="application-new"),
    path("applications/<int:pk>/", application_page, name="application-page"),
    path("applications/<int:pk>/checks/", application_checks, name="application-checks"),
    path("applications/<int:pk>/contract/", contract_page, name="contract-page"),
    path("applications/<int:pk>/contract.pdf", contract_download, name="contract-pdf"),
    path("contracts/verify/", contract_verify_page, name="contract-verify"),
    path("counter/", counter_home, name="counter"),
    path("counter/file/<int:user_id>/<str:kind>/", counter_file, name="counter-file"),
    path("counter/applications/<int:pk>/", counter_application, name="counter-application"),
    path("counter/applications/<int:pk>/receipt.pdf", counter_receipt, name="counter-receipt"),
    path("engineer/", engineer_queue, name="engineer-queue"),
    path("engineer/applications/<int:pk>/", engineer_application, name="engineer-application"),
    path("approvals/", include("approvals.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("applications.api.urls")),
    path("api/v1/approvals/", include("approvals.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
