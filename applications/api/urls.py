from django.urls import path

from . import identity, views

urlpatterns = [
    path("me/", views.MeApi.as_view(), name="api-me"),
    path("identity/", identity.IdentityApi.as_view(), name="api-identity"),
    path(
        "identity/enterprise/",
        identity.EnterpriseIdentityApi.as_view(),
        name="api-identity-enterprise",
    ),
    path("identity/counter/", identity.CounterIdentityApi.as_view(), name="api-identity-counter"),
    path("identity/unbind/", identity.IdentityUnbindApi.as_view(), name="api-identity-unbind"),
    path("commitment/", views.CommitmentApi.as_view(), name="api-commitment"),
    path("accounts/lookup/", views.AccountLookupApi.as_view(), name="api-account-lookup"),
    path("properties/", views.PropertiesApi.as_view(), name="api-properties"),
    path("applications/", views.ApplicationListCreateApi.as_view(), name="api-applications"),
    path("applications/<int:pk>/", views.ApplicationDetailApi.as_view(), name="api-application"),
    path(
        "applications/<int:pk>/transitions/<str:name>/",
        views.ApplicationTransitionApi.as_view(),
        name="api-application-transition",
    ),
    path(
        "applications/<int:pk>/documents/", views.DocumentUploadApi.as_view(), name="api-documents"
    ),
    path(
        "applications/<int:pk>/survey-slots/",
        views.SurveySlotsApi.as_view(),
        name="api-survey-slots",
    ),
    path("applications/<int:pk>/contract/", views.ContractApi.as_view(), name="api-contract"),
    path(
        "applications/<int:pk>/contract/code/",
        views.ContractCodeApi.as_view(),
        name="api-contract-code",
    ),
    path("contracts/verify/", views.ContractVerifyApi.as_view(), name="api-contract-verify"),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        views.DocumentDownloadApi.as_view(),
        name="api-document",
    ),
]
