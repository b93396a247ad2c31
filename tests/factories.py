"""Test data: factory_boy factories for the models tests build, and the thin builders the tests
call (`make_user`, `make_account`, `new_application`).

Users: `UserFactory()` is a resident applicant; one trait per role (`enterprise`, `clerk`,
`engineer`, `approver`, `supervisor`, `operator`, `outsider`). Role traits that need a division
or service hall read the reference data, so load it first (the `reference_data` fixture).
Every user's password is PASSWORD unless `password=` says otherwise.

Applications go through `application_create`, as the portal's own do, so each gets its number.
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum.cn import ric, uscc

from applications.models import Application, ElectricityAccount, Kind
from applications.services import application_create
from approvals.models import ApprovalTask
from approvals.models import Department as ApprovalDepartment
from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_LEGAL_REP, DEMO_RESIDENT
from portal.models import (
    CustomerType,
    Department,
    Division,
    IdentityBinding,
    Role,
    ServiceHall,
    User,
)

PASSWORD = "test-pass-2026"
JINAN, QINGDAO = "370100", "370200"
JINAN_HALL = "SH37010001"


def id_number(serial: str = "12345") -> str:
    """A resident ID number with a valid check digit."""
    body = f"370102199001{serial[:2]}{serial[2:5]}"[:17]
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def credit_code(serial: str = "MA3C4R5X1") -> str:
    """A unified social credit code with a valid check digit."""
    body = f"91370102{serial}"[:17]
    return body + uscc.calc_check_digit(body)


def _division(code: str):
    return factory.LazyFunction(lambda: Division.objects.get(code=code))


# The demo resident and enterprise as the platform knows them (the `applicant` and
# `enterprise_applicant` fixtures are bound to them).
ZHANG_WEI = {"name": "张伟", "id_number": DEMO_RESIDENT}
QUANNENG = {
    "name": "李娜",
    "id_number": DEMO_LEGAL_REP,
    "credit_code": DEMO_ENTERPRISE,
    "enterprise_name": "济南泉能科技有限公司",
}


def unique_identity(n: int) -> dict:
    """A person (and a credit code) no other account is bound to."""
    body = f"370102{1990 + n // 1000 % 20}0101{n % 1000:03d}"  # a valid place and date
    return {
        "name": f"申请人{n}",
        "id_number": body + ric.calc_check_digit(body + "0"),
        "credit_code": credit_code(f"RN{n:07d}"),
    }


class UserFactory(DjangoModelFactory):
    """A user, validated (`full_clean`: each role's scope fields) before it is saved.

    An applicant is bound to a verified identity (real-name account, as if at a counter): a
    person no one else is bound to unless `identity=` names one (`ZHANG_WEI`, `QUANNENG`), or
    unbound with `identity=False`. An enterprise applicant's binding holds a credit code too.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"t_user{n}")
    first_name = factory.SelfAttribute("username")
    role = Role.APPLICANT
    customer_type = factory.LazyAttribute(
        lambda user: CustomerType.RESIDENTIAL if user.role == Role.APPLICANT else ""
    )
    password = PASSWORD

    class Params:
        enterprise = factory.Trait(customer_type=CustomerType.ENTERPRISE)
        clerk = factory.Trait(
            role=Role.CLERK,
            service_hall=factory.LazyFunction(lambda: ServiceHall.objects.get(code=JINAN_HALL)),
        )
        engineer = factory.Trait(role=Role.ENGINEER, division=_division(JINAN))
        approver = factory.Trait(
            role=Role.APPROVER, department=Department.PLANNING, division=_division(JINAN)
        )
        supervisor = factory.Trait(role=Role.SUPERVISOR)
        operator = factory.Trait(role=Role.OPERATOR, is_staff=True, is_superuser=True)
        # A signed-in user with no business with Jinan's applications: an engineer in Qingdao.
        outsider = factory.Trait(role=Role.ENGINEER, division=_division(QINGDAO))

    @factory.post_generation
    def identity(user, create, extracted, **kwargs):
        if not create or user.role != Role.APPLICANT or extracted is False:
            return
        values = dict(extracted or unique_identity(user.pk))
        if user.customer_type != CustomerType.ENTERPRISE:
            values.pop("credit_code", None)
            values.pop("enterprise_name", None)
        elif "credit_code" in values:
            values.setdefault("enterprise_name", f"{values['name']}的企业")
            values["enterprise_method"] = IdentityBinding.Method.COUNTER
            values["enterprise_bound_at"] = timezone.now()
        IdentityBinding.objects.create(user=user, method=IdentityBinding.Method.COUNTER, **values)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password")
        user = model_class(*args, **kwargs)
        user.set_password(password)
        return user

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        user = cls._build(model_class, *args, **kwargs)
        user.full_clean()
        user.save()
        return user


class ElectricityAccountFactory(DjangoModelFactory):
    """An electricity account in Lixia district, low voltage, 8 kVA, no arrears."""

    class Meta:
        model = ElectricityAccount

    number = factory.Sequence(lambda n: f"370102{n:08d}")
    holder = factory.SubFactory(UserFactory)
    holder_name = "赵敏"
    county_id = "370102"
    address = "历下区泉城路2号"
    capacity_kva = Decimal("8")
    voltage = "low"


class ApplicationFactory(DjangoModelFactory):
    """A draft a resident filed on the web (a new connection unless `kind` says otherwise),
    created by `application_create` so it is numbered like any other."""

    class Meta:
        model = Application

    kind = Kind.NEW_CONNECTION
    applicant = factory.SubFactory(UserFactory)
    customer_type = CustomerType.RESIDENTIAL
    applicant_name = "张伟"
    id_number = DEMO_RESIDENT
    phone = "13905310001"
    voltage = "low"
    capacity_kva = factory.LazyAttribute(
        lambda application: Decimal("10") if application.kind != Kind.TRANSFER else None
    )
    supply_county_id = "370102"
    supply_address = "历下区泉城路1号"
    channel = "web"
    consent_version = "2026-01"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        application, _ = application_create(actor=kwargs["applicant"], fields=kwargs)
        return application


class ApprovalTaskFactory(DjangoModelFactory):
    """A pending task of Jinan's planning department (load the `departments` fixture), due in
    ten days, on a new application unless `application` is given."""

    class Meta:
        model = ApprovalTask

    application = factory.SubFactory(ApplicationFactory)
    department = factory.LazyFunction(
        lambda: ApprovalDepartment.objects.get(code="planning", city_id=JINAN)
    )
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


def make_user(username: str, role: str, **fields) -> User:
    """A user of `role` with the scope `fields` that role needs, password PASSWORD."""
    return UserFactory(username=username, role=role, **fields)


def make_account(holder, number: str, holder_name: str, address: str, **extra):
    return ElectricityAccountFactory(
        holder=holder, number=number, holder_name=holder_name, address=address, **extra
    )


def new_application(applicant, kind=Kind.NEW_CONNECTION, **extra) -> Application:
    return ApplicationFactory(applicant=applicant, kind=kind, **extra)


def ask_for(application: Application, *doc_types: str) -> Application:
    """The application asking for these documents, as when its record checks failed."""
    Application.objects.filter(pk=application.pk).update(documents_requested=list(doc_types))
    application.refresh_from_db()
    return application


def bad_id() -> str:
    """A valid-looking resident ID number whose check digit is wrong."""
    good = id_number()
    return good[:-1] + ("0" if good[-1] != "0" else "1")
