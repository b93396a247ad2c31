"""The site's URLs: the shell's own pages, and each app's URLs included by name, so the shell
imports no app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView, TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("portal.signin.urls")),
    path("workbench/", views.workbench, name="workbench"),
    path("my-data/views/", views.data_views, name="data-views"),
    path("supervision/access-log/", views.access_log, name="access-log"),
    path("", include("notifications.urls")),
    path("", include("applications.urls")),
    path("approvals/", include("approvals.urls")),
    path("promises/", include("promises.urls")),
    path("", include("supervision.urls")),
    path("", include("payments.views")),
    path("", include("mailing.views")),
    path("", include("cofiling.views")),
    path(
        "privacy/",
        require_GET(TemplateView.as_view(template_name="portal/privacy.html")),
        name="privacy",
    ),
    path(
        "accessibility/",
        require_GET(TemplateView.as_view(template_name="portal/accessibility.html")),
        name="accessibility",
    ),
    # Browsers and crawlers ask for /favicon.ico whatever the page says: answer, never 404.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/", include("portal.signin.api_urls")),
    path("api/v1/", include("applications.api.urls")),
    path("api/v1/approvals/", include("approvals.api.urls")),
    path("api/v1/", include("supervision.api.urls")),
    path("api/v1/", include("payments.api")),
    path("api/v1/", include("cofiling.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler500 = "portal.unavailable.server_error"
handler404 = "portal.unavailable.not_found"
