from django.urls import path

from .views import applicant, contract, counter, engineer, public

app_name = "applications"

urlpatterns = [
    path("progress/", public.progress, name="progress"),
    path("contracts/verify/", public.contract_verify_page, name="contract-verify"),
    path("applications/", applicant.my_applications, name="mine"),
    path("applications/new/<str:kind>/", applicant.application_new, name="new"),
    path("applications/<int:pk>/", applicant.application_page, name="page"),
    path("applications/<int:pk>/steps/<str:name>/", applicant.application_step, name="step"),
    path("applications/<int:pk>/documents/", applicant.application_document, name="document"),
    path("applications/<int:pk>/mailing/", applicant.application_mailing, name="mailing"),
    path("applications/<int:pk>/rating/", applicant.application_rating, name="rating"),
    path("applications/<int:pk>/checks/", applicant.application_checks, name="checks"),
    path("applications/<int:pk>/contract/", contract.contract_page, name="contract"),
    path("applications/<int:pk>/contract/code/", contract.contract_code, name="contract-code"),
    path("applications/<int:pk>/contract/sign/", contract.contract_sign, name="contract-sign"),
    path("applications/<int:pk>/contract.pdf", contract.contract_download, name="contract-pdf"),
    path("counter/", counter.counter_home, name="counter"),
    path("counter/register/", counter.counter_register, name="counter-register"),
    path("counter/file/<int:user_id>/<str:kind>/", counter.counter_file, name="counter-file"),
    path(
        "counter/applications/<int:pk>/",
        counter.counter_application,
        name="counter-application",
    ),
    path(
        "counter/applications/<int:pk>/receipt.pdf",
        counter.counter_receipt,
        name="counter-receipt",
    ),
    path("engineer/", engineer.engineer_queue, name="engineer-queue"),
    path(
        "engineer/applications/<int:pk>/",
        engineer.engineer_application,
        name="engineer-application",
    ),
    path(
        "engineer/applications/<int:pk>/steps/<str:name>/",
        engineer.engineer_step,
        name="engineer-step",
    ),
]
