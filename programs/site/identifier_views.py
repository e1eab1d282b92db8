"""Identifiers on the public side: `?identifier=scheme:value` for the lists and the API, and
/id/<scheme>/<value>/, which sends a visitor to the record an identifier names."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from programs.models import Identifier
from programs.models.identifiers import NOT_FOR_RECORDS, OWNERS, RECORDS
from programs.models.schemes import SCHEMES, SCHEMES_OF, parse

MAX_LENGTH = 200


class IdentifierField(forms.CharField):
    """`scheme:value` or a resolver's address, cleaned to `scheme:canonical value` of a scheme that
    identifies `owner`'s kind of record; a malformed value names its scheme's rule."""

    def __init__(self, *args, owner: str, **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        scheme, canonical = parse(value)
        if scheme not in SCHEMES_OF[self.owner]:
            raise ValidationError(
                NOT_FOR_RECORDS,
                code="invalid_identifier",
                params={"scheme": SCHEMES[scheme].label, "records": RECORDS[self.owner]},
            )
        return f"{scheme}:{canonical}"


class IdentifierFilter(django_filters.Filter):
    """Records holding one identifier (`?identifier=ror:03vek6s52`); one at most, the identifier being unique."""

    field_class = IdentifierField

    def __init__(self, *args, owner: str, **kwargs):
        self.owner = owner
        super().__init__(*args, owner=owner, max_length=MAX_LENGTH, **kwargs)

    def filter(self, queryset, value):
        """The listing's rows of the record holding the identifier, if any (a lookup by its unique key)."""
        if not value:
            return queryset
        scheme, _colon, canonical = value.partition(":")
        holders = Identifier.objects.filter(scheme=scheme, value=canonical).values(f"{self.owner}_id")
        return queryset.filter(id__in=holders)


def identifier_redirect(request, scheme: str, value: str):
    """The page of the published record `scheme:value` identifies (in the page's language).

    404 for a scheme that does not exist or an identifier no published record holds; 400, with
    the scheme's rule, for a value the scheme cannot have.
    """
    if scheme not in SCHEMES:
        raise Http404
    try:
        canonical = SCHEMES[scheme].normalise(value)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain; charset=utf-8")
    identifier = Identifier.objects.filter(scheme=scheme, value=canonical).select_related(*OWNERS).first()
    record = identifier.record if identifier is not None else None
    if record is None or not record.is_published:
        raise Http404
    return redirect(record)
