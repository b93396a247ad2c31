from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.MeApi.as_view(), name="api-me"),
    path("commitment/", views.CommitmentApi.as_view(), name="api-commitment"),
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
