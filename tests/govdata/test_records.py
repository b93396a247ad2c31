"""Record services as plugins: one per service of the platform, each asking the platform
something it answers, judging canned answers, and a fallback that check_run follows."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from applications.models import DocumentType
from govdata.mock import registry as reg
from govdata.mock.services import EXCHANGE_SERVICES, PROVIDERS, SERVICES
from govdata.models import SERVICE_CHOICES, RecordCheck
from govdata.records import (
    Fallback,
    RecordService,
    Subject,
    all_services,
    real_estate,
    record_service,
    register,
    tenancy,
)
from govdata.services import checks_open
from tests.fakes import InProcessPlatform

RESIDENT = Subject(
    applicant_name="张伟",
    id_number=reg.DEMO_RESIDENT,
    supply_address="历下区泉城路1号",
    photo="data:image/jpeg;base64," + "A" * 64,
)
ENTERPRISE = Subject(
    applicant_name="济南泉能科技有限公司",
    credit_code=reg.DEMO_ENTERPRISE,
    supply_address="历下区经十路9号",
    project_code=reg.DEMO_PROJECT,
)
TENANT = Subject(applicant_name="赵敏", id_number=reg.TENANT, supply_address="天桥区和平路3号")


def test_every_service_of_the_platform_has_exactly_one_plugin_and_no_plugin_is_extra():
    codes = [service.code for service in all_services()]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(SERVICES) - EXCHANGE_SERVICES
    assert all(record_service(code).code == code for code in codes)


@pytest.mark.parametrize("service", all_services(), ids=lambda service: service.code)
def test_each_plugin_names_its_provider_and_a_document_the_applicant_can_upload(service):
    assert service.provider == PROVIDERS[service.code]
    assert service.document in DocumentType.values
    assert str(service.label)


def test_the_model_choices_are_the_registry_in_the_order_of_the_design():
    assert [code for code, _label in SERVICE_CHOICES] == [
        "id_card", "face", "business_license", "real_estate", "tenancy",
        "land_planning", "construction_planning", "construction_permit", "project_approval",
    ]  # fmt: skip


def test_a_code_registered_twice_is_refused():
    with pytest.raises(ImproperlyConfigured):

        @register
        class Impostor(RecordService):
            code = "id_card"


def test_an_unknown_code_is_a_lookup_error():
    with pytest.raises(KeyError, match="no record service 'passport'"):
        record_service("passport")


def test_a_subject_is_read_off_any_object_and_takes_overrides():
    source = SimpleNamespace(applicant_name="张伟", id_number=None, credit_code="9137", extra=1)
    subject = Subject.of(source, supply_address="历下区泉城路1号")
    assert subject == Subject(
        applicant_name="张伟", credit_code="9137", supply_address="历下区泉城路1号"
    )
    assert subject.owner_id == "9137"


@pytest.mark.parametrize(
    ("code", "subject"),
    [
        ("id_card", RESIDENT),
        ("face", RESIDENT),
        ("real_estate", RESIDENT),
        ("tenancy", TENANT),
        ("business_license", ENTERPRISE),
        ("real_estate", ENTERPRISE),
        ("land_planning", ENTERPRISE),
        ("construction_planning", ENTERPRISE),
        ("construction_permit", ENTERPRISE),
        ("project_approval", ENTERPRISE),
    ],
)
def test_each_plugin_asks_what_the_platform_answers_and_passes_the_demo_records(code, subject):
    service = record_service(code)
    result = SERVICES[code](InProcessPlatform.registry, service.request_for(subject))
    assert service.judge(result) == (True, "")


def test_only_the_face_check_sends_the_photo():
    requests = {service.code: service.request_for(RESIDENT) for service in all_services()}
    assert [code for code, request in requests.items() if "photo" in request] == ["face"]
    assert requests["face"] == {"id_number": reg.DEMO_RESIDENT, "photo": RESIDENT.photo}
    assert requests["real_estate"] == {"owner_id": reg.DEMO_RESIDENT, "address": "历下区泉城路1号"}


@pytest.mark.parametrize(
    ("code", "result", "verdict"),
    [
        ("id_card", {"match": True, "reason": ""}, (True, "")),
        ("id_card", {"match": False, "reason": "name_mismatch"}, (False, "name_mismatch")),
        ("id_card", {"match": False}, (False, "no_match")),
        ("face", {"match": True, "score": 0.97, "liveness": True}, (True, "")),
        ("face", {"match": True, "score": 0.97, "liveness": False}, (False, "no_match")),
        ("face", {"match": False, "score": 0.31, "liveness": True}, (False, "no_match")),
        ("face", {"match": False, "liveness": False, "reason": "not_found"}, (False, "not_found")),
        ("business_license", {"found": True, "status": "active"}, (True, "")),
        ("business_license", {"found": True, "status": "revoked"}, (False, "revoked")),
        ("business_license", {"found": False, "status": "not_found"}, (False, "not_found")),
        ("real_estate", {"found": True, "titles": [{"title_number": "1"}]}, (True, "")),
        ("real_estate", {"found": False, "titles": []}, (False, "not_found")),
        ("tenancy", {"found": True, "leases": [{"lease_number": "1"}]}, (True, "")),
        ("tenancy", {"found": False, "leases": []}, (False, "not_found")),
        ("land_planning", {"found": True, "status": "valid"}, (True, "")),
        ("construction_planning", {"found": True, "status": "expired"}, (False, "expired")),
        ("construction_permit", {}, (False, "not_found")),
        ("project_approval", {"found": True, "status": "active"}, (True, "")),
    ],
)
def test_each_plugin_judges_canned_answers(code, result, verdict):
    assert record_service(code).judge(result) == verdict


def test_only_the_title_falls_back_and_it_asks_for_a_lease_at_the_same_address():
    assert [s.code for s in all_services() if s.fallback] == ["real_estate"]
    fallback = record_service("real_estate").fallback
    assert fallback.service == "tenancy"
    request = record_service("real_estate").request_for(TENANT)
    assert fallback.request(request) == {"tenant_id": reg.TENANT, "address": "天桥区和平路3号"}


@pytest.mark.django_db
@pytest.mark.usefixtures("platform_on_the_instance")
class TestCheckRunFollowsTheFallback:
    def run(self, code: str, subject: Subject) -> RecordCheck:
        with self.callbacks(execute=True):
            (check,) = checks_open(
                application_id=4242, requests={code: record_service(code).request_for(subject)}
            )
        return RecordCheck.objects.get(pk=check.pk)

    def test_a_lease_at_the_address_passes_a_missing_title(self):
        check = self.run("real_estate", TENANT)
        assert (check.state, check.reason, check.evidence_service) == ("passed", "", "tenancy")
        assert self.platform.calls == ["real_estate", "tenancy"]

    def test_a_title_found_asks_nothing_more(self):
        check = self.run("real_estate", RESIDENT)
        assert (check.state, check.evidence_service) == ("passed", "real_estate")
        assert self.platform.calls == ["real_estate"]

    def test_neither_title_nor_lease_fails_with_the_title_reason(self):
        nobody = Subject(applicant_name="王芳", id_number=reg.NO_TITLE, supply_address="某地")
        check = self.run("real_estate", nobody)
        assert (check.state, check.reason, check.document) == (
            "failed", "not_found", "property_proof",
        )  # fmt: skip
        assert self.platform.calls == ["real_estate", "tenancy"]

    def test_any_plugin_fallback_is_followed_not_only_the_title(self, monkeypatch):
        """check_run names no service: give the lease a fallback to the title and it is asked."""
        title_for_lease = Fallback(
            real_estate.CODE, lambda request: {"owner_id": request["tenant_id"]}
        )
        monkeypatch.setattr(tenancy.Tenancy, "fallback", title_for_lease)
        check = self.run("tenancy", RESIDENT)  # an owner, not a tenant
        assert (check.state, check.evidence_service) == ("passed", "real_estate")
        assert self.platform.calls == ["tenancy", "real_estate"]
