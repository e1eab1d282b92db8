"""The public's suggestion form: the model's own rules (programs.models.suggestions, which the API
applies too), and two checks that only a browser form can make against bots.

- A honeypot: an input that the page moves out of sight (static CSS) and labels "leave empty".
  People leave it empty; bots that fill every input do not.
- A minimum fill time: the form carries the moment it was made, signed, and is refused when sent
  back sooner than a person can fill it in (`SUGGESTION_MIN_FILL_SECONDS`) or more than a day
  later, or with the moment altered.
"""

import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.models import SuggestedType, Suggestion
from programs.models.suggestions import SUGGESTIBLE_FIELDS, URL_MAX

STAMP_SALT = "programs.suggestion.form"
STAMP_MAX_AGE = 24 * 60 * 60

TRAP_FILLED = _(
    "The form could not be sent: the field marked “leave this empty” was filled in. Empty it and send the form again."
)
TOO_FAST = _("The form came back too soon after it was opened for a person to have filled it in. Send it again.")
STAMP_BAD = _("The form is more than a day old or was altered. Check it and send it again.")
SOMETHING_ELSE = _("Something else (say what in the message)")


@dataclass(frozen=True)
class Target:
    """What a suggestion is about: a published record to correct, or a new record of a type."""

    type: SuggestedType
    record: object | None = None


def form_stamp() -> str:
    """The signed moment a form is made, for its hidden `issued` input."""
    return signing.Signer(salt=STAMP_SALT).sign(str(int(time.time())))


class SuggestionForm(forms.ModelForm):
    # The honeypot: named like an input bots fill, kept out of sight by site.css (`.trap`).
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput)
    evidence_url = forms.URLField(
        label=_("Evidence: the address of a public page"),
        max_length=URL_MAX,
        required=False,
        assume_scheme="https",
        help_text=_("A page anyone can open that says what you propose: an announcement, a report, an official site."),
    )

    class Meta:
        model = Suggestion
        fields = ["name", "field", "value", "role", "message", "evidence_url", "quote", "email"]
        labels = {
            "name": _("Name"),
            "field": _("What to correct"),
            "value": _("The correct value"),
            "role": _("Its role (for a participating organization)"),
            "message": _("Message"),
            "quote": _("Evidence: the sentence of that page that says it"),
            "email": _("Your e-mail address (optional)"),
        }
        help_texts = {
            "name": _("As the organizers write it, in Chinese or in English."),
            "value": _(
                "For a year, the year; for a kind, one of the kinds the lists offer; for a participant, the "
                "organization's name."
            ),
            "message": _("Anything else a curator should know: what is wrong, what the record lacks."),
            "email": _(
                "Only to tell you the outcome. It is never shown, and it is erased once the suggestion is closed."
            ),
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5}),
            "quote": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, data=None, *, target: Target):
        record = target.record
        instance = Suggestion(
            record_type=target.type,
            is_new=record is None,
            record_id=getattr(record, "pk", None),
            record_label=str(record) if record is not None else "",
        )
        super().__init__(data, instance=instance)
        if record is None:
            for name in ("field", "value", "role"):
                del self.fields[name]
        else:
            del self.fields["name"]
            choices = [(field.name, field.label) for field in SUGGESTIBLE_FIELDS[target.type].values()]
            self.fields["field"] = forms.ChoiceField(
                label=self.fields["field"].label, choices=[("", SOMETHING_ELSE), *choices], required=False
            )

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(TRAP_FILLED, code="trap")
        return ""

    def clean_issued(self):
        try:
            issued = int(signing.Signer(salt=STAMP_SALT).unsign(self.cleaned_data["issued"]))
        except (signing.BadSignature, ValueError):
            raise ValidationError(STAMP_BAD, code="stamp") from None
        age = time.time() - issued
        if age > STAMP_MAX_AGE:
            raise ValidationError(STAMP_BAD, code="stamp")
        if age < settings.SUGGESTION_MIN_FILL_SECONDS:
            raise ValidationError(TOO_FAST, code="too_fast")
        return issued
