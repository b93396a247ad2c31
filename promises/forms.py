from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import StrictCharField

from .interactions import RECORDABLE
from .models import ContactChannel


class ContactForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Contact"),
        choices=[(c, ContactChannel(c).label) for c in RECORDABLE],
    )
    note = StrictCharField(label=_("Note"), max_length=500, required=False)
