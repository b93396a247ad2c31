"""The pages' forms. They parse and show; the rules are the services' (a refused input comes
back as a domain error naming its field, and `portal.pages.show_refusal` puts it beside it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import StrictBooleanField, StrictCharField
from portal.identity import FACE_CONSENT_VERSION
from portal.models import CustomerType, Division

from .models import DocumentType, Kind, Voltage
from .registry import Page, Step, step_named
from .workflows import FACE_PHOTO

FACE_CONSENT_TEXT = _(
    "I agree, separately from anything else, that a photo of my face is matched against my ID "
    "photo by the public-security service of the government data-sharing platform, only to bind "
    "this account to me. The photo is sent once and not kept. (Consent text %(version)s)"
)


class StepForm(forms.Form):
    """One step's form: its declared inputs (as the page asks for them) and a comment."""

    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.TextInput()
    )

    def __init__(self, step: Step, *args, **kwargs):
        kwargs.setdefault("prefix", step.name)
        super().__init__(*args, **kwargs)
        self.step = step
        self.name = step.name
        self.label = step.label
        for spec in step.inputs:
            self.fields[spec.name] = (spec.page_field or spec.field)()

    def clean(self):
        data = super().clean()
        for spec in self.step.inputs:
            value = data.get(spec.name)
            if spec.from_page is not None and value:
                try:
                    data[spec.name] = spec.from_page(value)
                except forms.ValidationError as error:
                    self.add_error(spec.name, error)
        return data

    @property
    def payload(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v is not None and k != "comment"}

    @property
    def comment_text(self) -> str:
        return self.cleaned_data.get("comment", "")


def step_forms(names: list[str], bound: StepForm | None = None) -> list[StepForm]:
    """A form per step the page offers among `names` (the `bound` one kept with its errors)."""
    shown = []
    for name in names:
        step = step_named(name)
        if step is None or step.page != Page.FORM:
            continue
        shown.append(bound if bound is not None and bound.name == name else StepForm(step))
    return shown


class ContractVerifyForm(forms.Form):
    file = forms.FileField(label=_("Contract PDF"))


class ApplicationForm(forms.Form):
    """The guided form for one kind. Its fields are rendered here; the rules are the API's
    (`ApplicationCreateSerializer`), so a page and a partner channel are judged alike."""

    customer_type = forms.ChoiceField(
        label=_("I apply as"), choices=CustomerType.choices, widget=forms.RadioSelect
    )
    applicant_name = forms.CharField(
        label=_("Name (resident) or company name (enterprise)"), max_length=100
    )
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=18, required=False,
        help_text=_("Residents: checked with the government platform, nothing to upload."),
    )  # fmt: skip
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False,
        help_text=_("Enterprises: the only thing you give; the licence is looked up."),
    )  # fmt: skip
    phone = forms.CharField(label=_("Mobile number"), max_length=20)
    account_number = forms.CharField(
        label=_("Electricity account number (户号)"), max_length=20, required=False
    )
    voltage = forms.ChoiceField(
        label=_("Voltage"), choices=Voltage.choices, widget=forms.RadioSelect
    )
    capacity_kva = forms.DecimalField(
        label=_("Capacity you need (kVA)"), max_digits=10, decimal_places=1, required=False
    )
    supply_county = forms.ChoiceField(label=_("County of the supply address"))
    supply_address = forms.CharField(label=_("Supply address"), max_length=200)
    project_code = forms.CharField(
        label=_("Project code (high voltage)"), max_length=40, required=False
    )
    # A temporary supply's own: the period and the site contact.
    starts_on = forms.DateField(
        label=_("Power needed from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=_("Power needed until"),
        required=False,
        help_text=_("Within your construction permit's validity; at most three years."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    site_contact_name = forms.CharField(label=_("Site contact"), max_length=100, required=False)
    site_contact_phone = forms.CharField(
        label=_("Site contact's mobile"), max_length=20, required=False
    )
    data_sharing_consent = forms.BooleanField(
        label=_(
            "I agree that my identity, licence and property records are looked up on the "
            "government data-sharing platform for this application."
        ),
        error_messages={
            "required": _("Consent to the record look-ups is needed to handle the application.")
        },
    )

    # A capacity increase and a transfer start from the account: its address (and, for a
    # transfer, its supply) is the account's, never typed.
    FROM_ACCOUNT = {"supply_county", "supply_address"}
    SITE = {"starts_on", "ends_on", "site_contact_name", "site_contact_phone"}
    HIDDEN_FOR = {
        Kind.NEW_CONNECTION: {"account_number", *SITE},
        Kind.CAPACITY_INCREASE: {*FROM_ACCOUNT, *SITE},
        Kind.TRANSFER: {"voltage", "capacity_kva", "project_code", *FROM_ACCOUNT, *SITE},
        # Filed by an enterprise for its project; the site has no account yet.
        Kind.TEMPORARY_SUPPLY: {"account_number"},
    }
    # Labels that differ by kind.
    LABELS = {
        Kind.TEMPORARY_SUPPLY: {
            "project_code": _("Construction project code"),
            "supply_address": _("Site address"),
        }
    }

    IDENTITY_FIELDS = ("applicant_name", "id_number", "credit_code")

    def __init__(
        self, kind: str, *args, identity=None, for_other: bool = False, account=None, **kwargs
    ):
        """`identity`: the applicant's binding, shown read-only (filing for oneself);
        `for_other`: filing for another person, whose authorisation is uploaded; `account`: the
        looked-up account (its summary) a capacity increase or a transfer starts from."""
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.for_other = for_other
        for name in self.HIDDEN_FOR[kind]:
            del self.fields[name]
        for name, label in self.LABELS.get(kind, {}).items():
            self.fields[name].label = label
        if account is not None:
            self.fields["account_number"].initial = account["account_number"]
            self.fields["account_number"].widget = forms.HiddenInput()
        if for_other:
            self.fields["for_other"] = forms.BooleanField(
                initial=True, required=False, widget=forms.HiddenInput()
            )
            self.fields["authorisation"] = forms.FileField(
                label=_("Authorisation signed by the person you file for (PDF, JPEG or PNG)"),
                help_text=_("They are told by SMS, at the mobile number you give, that you filed."),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,image/jpeg,image/png"}
                ),
            )
            self.fields["phone"].label = _("Mobile number of the person you file for")
        elif identity is not None:
            bound = {
                "applicant_name": identity.enterprise_name or identity.name
                if identity.credit_code
                else identity.name,
                "id_number": identity.id_number,
                "credit_code": identity.credit_code,
            }
            for name in self.IDENTITY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].initial = bound[name]
                self.fields[name].help_text = _("From your account's verified identity.")
        if "voltage" in self.fields:
            self.fields["voltage"].initial = account["voltage"] if account else Voltage.LOW
        if "supply_county" in self.fields:
            self._choose_property()
            counties = Division.objects.filter(level=Division.Level.COUNTY).select_related("parent")
            self.fields["supply_county"].choices = [("", "—")] + [
                (d.code, f"{d.parent.name if d.parent else ''} {d.name}") for d in counties
            ]

    PROPERTY = "supply_property"

    def _choose_property(self) -> None:
        """A property chosen from the registry's list ("county|address") fills the supply
        address, as if it had been typed."""
        chosen = self.data.get(self.PROPERTY, "") if self.is_bound else ""
        county, _sep, address = chosen.partition("|")
        if county and address:
            self.data = self.data.copy()
            self.data["supply_county"], self.data["supply_address"] = county, address


class AccountLookupForm(forms.Form):
    """The first question of a capacity increase or a transfer: which account."""

    account = forms.CharField(label=_("Electricity account number (户号)"), max_length=20)


class DocumentForm(forms.Form):
    """One of the documents the application was asked for (and only those)."""

    doc_type = forms.ChoiceField(label=_("Document"), choices=())
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, requested: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [
            (code, DocumentType(code).label) for code in requested if code in DocumentType.values
        ]


class MailingForm(forms.Form):
    mailing_address = forms.CharField(
        label=_("Mailing address for documents (posted free of charge)"), max_length=200
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    rating_comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IdentityForm(forms.Form):
    """Binding the account to a person online: name and ID number, and the face check with its
    own consent (sensitive personal data). The page sends a camera photo, the API a data URL."""

    name = StrictCharField(label=_("Name as on your ID card"), max_length=100)
    id_number = StrictCharField(label=_("Resident ID number"), max_length=18)
    face_consent = StrictBooleanField(required=False)

    def __init__(self, *args, page: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["face_consent"].label = FACE_CONSENT_TEXT % {"version": FACE_CONSENT_VERSION}
        self.fields["face_photo"] = (FACE_PHOTO.page_field if page else FACE_PHOTO.field)()

    def clean_face_photo(self) -> str:
        value = self.cleaned_data.get("face_photo")
        if self.page and value:
            return FACE_PHOTO.from_page(value)
        return value or ""


class EnterpriseIdentityForm(forms.Form):
    credit_code = StrictCharField(label=_("Unified social credit code"), max_length=18)


class CounterIdentityForm(forms.Form):
    """A clerk binds a walk-in in person, having seen the ID card."""

    name = StrictCharField(label=_("Name as on the ID card"), max_length=100)
    id_number = StrictCharField(label=_("Resident ID number"), max_length=18)


class CounterBindForm(CounterIdentityForm):
    """The API's: the applicant is named in the body."""

    applicant = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class UnbindForm(forms.Form):
    user = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = StrictCharField(label=_("Reason"), max_length=200)
