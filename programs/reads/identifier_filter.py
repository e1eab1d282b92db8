"""`?identifier=scheme:value` for the lists and the API: the record an external identifier names."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from programs.models import Identifier
from programs.models.identifiers import NOT_FOR_RECORDS, RECORDS
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
