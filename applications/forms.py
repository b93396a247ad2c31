from django import forms
from django.utils.translation import gettext_lazy as _


class CommitmentForm(forms.Form):
    accept_commitment = forms.BooleanField(
        label=_("I have read the commitment above and sign it."),
        error_messages={"required": _("Read and accept the commitment to file it.")},
    )


class AnswerForm(forms.Form):
    """The applicant's answer to a department that returned its task with a question."""

    task = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContractSignForm(forms.Form):
    sms_code = forms.CharField(
        label=_("SMS code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ContractVerifyForm(forms.Form):
    file = forms.FileField(label=_("Contract PDF"))
