"""The applications' pages: each role's module declares its own URLs beside its views."""

from .views import applicant, contract, counter, engineer, public

app_name = "applications"

urlpatterns = [
    *public.urlpatterns,
    *applicant.urlpatterns,
    *contract.urlpatterns,
    *engineer.urlpatterns,
    *counter.urlpatterns,
]
