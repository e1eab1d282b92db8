"""The workspace's forms. Every action names its sentence by number and offsets, checked against the
source's text as it is now: a form edited by hand, or sent after the text changed, is refused."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.curation.workspace.decoding import TextError, checked, text_of_file
from programs.curation.workspace.reading import clean, is_repaired
from programs.curation.workspace.sentences import split
from programs.models import OrganizationKind, ParticipationRole, ProgramKind
from programs.models.validators import validate_upload

WRONG_SENTENCE = _(
    "The sentence is not where the form says (sentence %(number)s, characters %(start)s–%(end)s): the text "
    "has changed or the form was edited. Reload the workspace and try again."
)
ONE_TEXT = _("Paste the text or upload a file, not both.")
KINDS = {"program": ProgramKind, "organization": OrganizationKind}
NO_KIND = _("Choose a kind: %(kinds)s.")


class TextForm(forms.Form):
    text = forms.CharField(label=_("Paste the article"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    file = forms.FileField(
        label=_("or upload it"),
        help_text=_(".txt, .md or .html; UTF-8, UTF-16, GB18030 or Big5. HTML is reduced to its text."),
        required=False,
        validators=[validate_upload],
    )

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), data.get("text", "")
        if upload and pasted.strip():
            raise ValidationError(ONE_TEXT)
        try:
            data["text"] = text_of_file(upload.read(), upload.name) if upload else checked(pasted)
        except TextError as error:
            raise ValidationError(error.message) from None
        return data


class SentenceForm(forms.Form):
    """An action on one sentence of the source's text."""

    sentence = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.text = text

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        sentences = split(self.text)
        number, start, end = data["sentence"], data["start"], data["end"]
        if number >= len(sentences) or (sentences[number].start, sentences[number].end) != (start, end):
            raise ValidationError(WRONG_SENTENCE % {"number": number, "start": start, "end": end})
        data["quote"] = clean(self.text[start:end])
        data["repaired"] = is_repaired(self.text[start:end])
        return data


class CiteForm(SentenceForm):
    record = forms.CharField(max_length=120)  # type/slug


class CreateForm(SentenceForm):
    type = forms.ChoiceField(choices=[(name, name) for name in ("program", "organization", "person")])
    name = forms.CharField(max_length=200)
    kind = forms.CharField(max_length=20, required=False)
    sponsor = forms.SlugField(max_length=100, required=False)

    def clean(self):
        data = super().clean()
        kinds = KINDS.get(data.get("type"))
        if kinds is not None and data.get("kind") not in kinds.values:
            self.add_error("kind", NO_KIND % {"kinds": ", ".join(kinds.values)})
        return data


class LinkForm(SentenceForm):
    program = forms.SlugField(max_length=100)
    organization = forms.SlugField(max_length=100)
    role = forms.ChoiceField(choices=ParticipationRole.choices)


class DismissForm(forms.Form):
    key = forms.CharField(max_length=300)
