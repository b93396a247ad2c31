"""The pages' forms for taking a step: one form per step the user may take now, its fields the
step's own, validated by the same serializer as the API (one rule for both)."""

from __future__ import annotations

import base64

from django import forms
from django.utils.translation import gettext_lazy as _

from .api.serializers import TransitionSerializer

STEP_LABELS = {
    "submit": _("Submit"),
    "supply_documents": _("Documents uploaded: send for acceptance"),
    "withdraw": _("Withdraw the application"),
    "accept": _("Accept"),
    "reject": _("Reject"),
    "schedule_survey": _("Book the site survey"),
    "complete_survey": _("Record the survey"),
    "confirm_scheme": _("Confirm the supply scheme"),
    "revise_scheme": _("Revise the scheme"),
    "complete_construction": _("Construction finished"),
    "pass_inspection": _("Inspection passed"),
    "fail_inspection": _("Inspection failed"),
    "energize": _("Meter installed, power on"),
    "give_consent": _("Give consent"),
    "refuse_consent": _("Refuse consent"),
    "confirm_settlement": _("Arrears settled"),
}
# Steps with a page or form of their own.
OWN_PAGES = {"sign_contract", "file_commitment"}

FIELDS = {
    "reason": lambda: forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    ),
    "slot": lambda: forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    ),
    "line_length_m": lambda: forms.IntegerField(
        label=_("Line length (m)"), min_value=0, max_value=50000
    ),
    "crosses_urban_road": lambda: forms.BooleanField(
        label=_("Crosses an urban road"), required=False
    ),
    "crosses_highway": lambda: forms.BooleanField(label=_("Crosses a highway"), required=False),
    "crosses_green_space": lambda: forms.BooleanField(
        label=_("Crosses green space"), required=False
    ),
    "scheme_fee": lambda: forms.DecimalField(
        label=_("Quoted fee (yuan, high voltage only)"), min_value=0, required=False
    ),
    "face_consent": lambda: forms.BooleanField(
        label=_("I agree to a face check against my ID photo (optional)"), required=False
    ),
    "face_photo": lambda: forms.FileField(
        label=_("Photo of your face"),
        required=False,
        help_text=_("Taken now with your phone's camera; deleted once checked."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user"}),
    ),
}
STEP_FIELDS = {
    "submit": ["face_consent", "face_photo"],
    "reject": ["reason"],
    "refuse_consent": ["reason"],
    "fail_inspection": ["reason"],
    "schedule_survey": ["slot"],
    "complete_survey": [
        "line_length_m",
        "crosses_urban_road",
        "crosses_highway",
        "crosses_green_space",
        "scheme_fee",
    ],  # fmt: skip
}


class StepForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.TextInput()
    )

    def __init__(self, name: str, *args, **kwargs):
        kwargs.setdefault("prefix", name)
        super().__init__(*args, **kwargs)
        self.name = name
        self.label = STEP_LABELS.get(name, name)
        self.fields["step"].initial = name
        for field in STEP_FIELDS.get(name, []):
            self.fields[field] = FIELDS[field]()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {k: v for k, v in data.items() if v is not None and k != "step"}
        photo = values.pop("face_photo", None)
        if photo:
            if not (photo.content_type or "").startswith("image/"):
                self.add_error("face_photo", _("Choose a photo (an image file)."))
                return data
            encoded = base64.b64encode(photo.read()).decode()
            values["face_photo"] = f"data:{photo.content_type};base64,{encoded}"
        serializer = TransitionSerializer(
            data=values,
            context={"transition": self.name},
        )
        if not serializer.is_valid():
            for field, errors in serializer.errors.items():
                target = field if field in self.fields else None
                for error in errors:
                    self.add_error(target, str(error))
            return data
        self.payload, self.comment = serializer.payload()
        return data


def step_forms(names: list[str], data=None, files=None, posted=None) -> list[StepForm]:
    """One form per step; only the posted one is bound."""
    return [
        StepForm(name, data if name == posted else None, files if name == posted else None)
        for name in names
        if name not in OWN_PAGES and name in STEP_LABELS
    ]
