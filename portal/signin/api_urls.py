from django.urls import path

from . import api

urlpatterns = [
    path("token/", api.TokenCreateApi.as_view(), name="api-token"),
    path("logout/", api.TokenLogoutApi.as_view(), name="api-logout"),
    path("logoutall/", api.TokenLogoutAllApi.as_view(), name="api-logout-all"),
    path("tokens/", api.TokenListApi.as_view(), name="api-tokens"),
    path("tokens/<str:prefix>/", api.TokenRevokeApi.as_view(), name="api-token-revoke"),
]
