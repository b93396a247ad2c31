from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Role, User

from .models import Decision, OverdueNote


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
    )
    permit_number = forms.CharField(
        label=_("Permit number"), max_length=50, required=False, help_text=_("Needed to approve.")
    )
    reason = forms.CharField(
        label=_("Reason or question"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to reject or return."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OverdueActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Step"), choices=OverdueNote.Kind.choices, widget=forms.RadioSelect
    )
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A supervisor, or an approver of the task's department."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, assignees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            assignees if assignees is not None else User.objects.none()
        )
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} · {u.get_role_display()}"
            + (f" · {u.get_department_display()}" if u.role == Role.APPROVER else "")
        )

    def clean(self):
        data = super().clean()
        if data.get("action") == OverdueNote.Kind.ASSIGN and not data.get("assignee"):
            self.add_error("assignee", _("Choose whom to assign it to."))
        return data


class AnswerForm(forms.Form):
    """The applicant's answer to a department that returned its task with a question."""

    task = forms.IntegerField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
