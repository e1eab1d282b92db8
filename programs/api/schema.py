"""The OpenAPI schema's view of the API: drf-spectacular's, plus the error answers every
operation can give and the limits the FilterSets enforce on their parameters."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_parameter_type
from drf_spectacular.utils import OpenApiParameter

from programs.models import MAX_YEAR, MIN_YEAR
from programs.reads.filters import MAX_QUERY_LENGTH, SearchFilter, SlugFilter, YearFilter
from programs.reads.identifier_filter import MAX_LENGTH as IDENTIFIER_MAX_LENGTH
from programs.reads.identifier_filter import IdentifierFilter

# What a slug may hold (Django's slug converter): anything else names no record.
SLUG_REGEX = r"^[-a-zA-Z0-9_]+$"

SLUGS_DESCRIPTION = _("%(label)s: slugs of published records; several values match any of them.")
CHOICES_DESCRIPTION = _("%(label)s: several values match any of them.")
IDENTIFIER_DESCRIPTION = _(
    "An identifier in an external registry, as scheme:value (e.g. ror:03vek6s52, wikidata:Q42) or as "
    "its resolver's address; a value its scheme's rule refuses is a 400."
)

# The error bodies, as the schema describes them.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": _("What went wrong.")}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": _("Each query-string parameter that could not be used, with what was wrong with it."),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"kind": ["Select a valid choice. spaceship is not one of the available choices."]},
}


class PublicApiSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        # A single-valued parameter given empty (`?sort=`, as a submitted form sends it) counts as
        # not given, in the FilterSets and the pagination alike; a repeatable one may not be empty.
        for parameter in (operation or {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["schema"].get("type") != "array":
                parameter["allowEmptyValue"] = True
        return operation

    def get_response_serializers(self):
        responses = {200: super().get_response_serializers()}
        if getattr(self.view, "action", None) == "list":
            responses[400] = VALIDATION_ERROR_SCHEMA
        else:
            responses[404] = ERROR_SCHEMA
        responses[429] = ERROR_SCHEMA
        return responses


class FilterSetBackendExtension(DjangoFilterExtension):
    """django-filter's parameters as drf-spectacular reads them, completed from the FilterSets:

    - a SlugFilter (records by slug) is an array of slugs, repeatable (`?sponsor=a&sponsor=b`);
    - a choice filter whose choices come from a function (countries) lists them as an enum;
    - `q` has the length the API accepts, and a YearFilter the years it accepts;
    - `identifier` is one `scheme:value` string.
    """

    target_class = "programs.api.filtering.FilterSetBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        label = filter_field.label
        if isinstance(filter_field, SlugFilter):
            item = {"type": "string", "pattern": SLUG_REGEX}
            return [self._repeatable(field_name, item, SLUGS_DESCRIPTION % {"label": label})]
        if isinstance(filter_field, IdentifierFilter):
            schema = {"type": "string", "maxLength": IDENTIFIER_MAX_LENGTH}
            return [
                build_parameter_type(field_name, schema, OpenApiParameter.QUERY, description=IDENTIFIER_DESCRIPTION)
            ]
        choices = filter_field.extra.get("choices")
        if isinstance(filter_field, django_filters.MultipleChoiceFilter) and callable(choices):
            item = {"type": "string", "enum": sorted({value for value, _label in choices()})}
            return [self._repeatable(field_name, item, CHOICES_DESCRIPTION % {"label": label})]
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            if isinstance(filter_field, SearchFilter):
                parameter["schema"]["maxLength"] = MAX_QUERY_LENGTH
            elif isinstance(filter_field, YearFilter):
                parameter["schema"].update(type="integer", minimum=MIN_YEAR, maximum=MAX_YEAR)
        return parameters

    @staticmethod
    def _repeatable(name: str, item: dict, description: str) -> dict:
        return build_parameter_type(
            name=name,
            location=OpenApiParameter.QUERY,
            schema=build_array_type(item),
            description=description,
            explode=True,
            style="form",
        )
