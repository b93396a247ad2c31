"""The applications' pages: each role's module declares its own URLs beside its views."""

from .views import applicant, contract, counter, documents, engineer, identity, public, survey

app_name = "applications"

urlpatterns = [
    *public.urlpatterns,
    *applicant.urlpatterns,
    *identity.urlpatterns,
    *contract.urlpatterns,
    *engineer.urlpatterns,
    *counter.urlpatterns,
    *survey.urlpatterns,
    *documents.urlpatterns,
]
