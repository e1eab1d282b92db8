"""POST /api/suggestions/: a correction of a published record, or a record the registry lacks, as
JSON, under the rules of the site's form (the model's own validation, programs.models.suggestions)
and its rate limits (programs.serving.rate_limits). The answer (201) gives the address of the
suggestion's status page, which only the proposer then knows.

The honeypot and the minimum fill time are the form's: a program posting JSON has no form to fill.
This is the API's only endpoint that writes, and it writes nothing public.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from programs.api.schema import ERROR_SCHEMA
from programs.models import ParticipationRole, SuggestedType, Suggestion
from programs.models.suggestions import FIELD_NAMES, MESSAGE_MAX, QUOTE_MAX, URL_MAX, referenced_record
from programs.serving.rate_limits import SuggestionLimits

REFERENCE_REGEX = rf"^({'|'.join(SuggestedType.values)}):[-a-zA-Z0-9_]+$"

NO_SUCH_RECORD = _("No published record has this type and slug.")
TYPE_MISMATCH = _("The record is of another type.")
NEEDS_RECORD_OR_TYPE = _("Give `record` to correct a published record, or `type` and `name` to propose a new one.")

NOT_TEXT = _("Not a string.")


class TextField(serializers.CharField):
    """A string, and only a string: DRF's CharField would take the number 42 for the text "42"."""

    default_error_messages = {"invalid": NOT_TEXT}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


BODY_ERROR_SCHEMA = {
    "type": "object",
    "description": _(
        "Each field of the body that could not be used, with what was wrong with it; or, for a body that is "
        "not a JSON object, `detail`."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"evidence_url": ["A new fact needs its evidence: the public address of a page that says it."]},
}


class SuggestionRequestSerializer(serializers.Serializer):
    """A suggestion: either `record` and what changes, or `type` and `name` of a new record."""

    record = serializers.RegexField(
        REFERENCE_REGEX,
        required=False,
        max_length=120,
        help_text=_("The published record to correct, as type:slug (program:…, organization:…, person:…)."),
    )
    type = serializers.ChoiceField(
        choices=SuggestedType.choices, required=False, help_text=_("The type of a new record (without `record`).")
    )
    name = TextField(required=False, allow_blank=True, max_length=200, help_text=_("A new record's name."))
    field = serializers.ChoiceField(
        choices=FIELD_NAMES, required=False, help_text=_("The field to correct; each type has its own.")
    )
    value = TextField(required=False, allow_blank=True, max_length=300, help_text=_("Its correct value."))
    role = serializers.ChoiceField(
        choices=ParticipationRole.choices, required=False, help_text=_("A participant's role (field `participant`).")
    )
    message = TextField(required=False, allow_blank=True, max_length=MESSAGE_MAX)
    evidence_url = serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=URL_MAX,
        help_text=_("A public page that says it (http or https); needed for a new record or a value."),
    )
    quote = TextField(
        required=False, allow_blank=True, max_length=QUOTE_MAX, help_text=_("The sentence of that page that says it.")
    )
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text=_("Where to send news of the outcome; never shown, erased once the suggestion is closed."),
    )

    TEXTS = ("name", "field", "value", "role", "message", "evidence_url", "quote", "email")

    def validate(self, attrs):
        """The suggestion, checked by the model's rules, as `attrs["suggestion"]`."""
        suggestion = Suggestion(
            **{name: attrs[name] for name in self.TEXTS if name in attrs}, **self.target(attrs), language=get_language()
        )
        try:
            suggestion.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {
                    "non_field_errors" if key == "__all__" else key: messages
                    for key, messages in error.message_dict.items()
                }
            ) from None
        return {"suggestion": suggestion}

    @staticmethod
    def target(attrs) -> dict:
        """The model's fields naming what the suggestion is about."""
        if "record" not in attrs:
            if "type" not in attrs:
                raise serializers.ValidationError({"type": [NEEDS_RECORD_OR_TYPE]})
            return {"record_type": attrs["type"], "is_new": True}
        found = referenced_record(attrs["record"])
        if found is None:
            raise serializers.ValidationError({"record": [NO_SUCH_RECORD]})
        suggested, record = found
        if attrs.get("type", suggested) != suggested:
            raise serializers.ValidationError({"type": [TYPE_MISMATCH]})
        return {"record_type": suggested, "record_id": record.pk, "record_label": str(record)}


class SuggestionCreatedSerializer(serializers.Serializer):
    status_url = serializers.URLField(help_text=_("The suggestion's status page: keep it, it is the only way to it."))
    state = serializers.CharField(help_text=_("received"))


class SuggestionView(APIView):
    """Propose a correction of a published record, or a record the registry lacks."""

    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="suggestions_create",
        request=SuggestionRequestSerializer,
        responses={
            201: SuggestionCreatedSerializer,
            400: BODY_ERROR_SCHEMA,
            413: ERROR_SCHEMA,
            415: ERROR_SCHEMA,
            429: ERROR_SCHEMA,
        },
        examples=[
            OpenApiExample(
                "A correction",
                request_only=True,
                value={
                    "record": "program:alibaba-air",
                    "field": "start_year",
                    "value": "2017",
                    "evidence_url": "https://example.org/announcement",
                    "quote": "The programme started in 2017.",
                },
            ),
        ],
    )
    def post(self, request):
        serializer = SuggestionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refused = SuggestionLimits.hit(request)
        if refused is not None:
            raise Throttled(wait=refused[1], detail=SuggestionLimits.refusal(*refused))
        suggestion = serializer.validated_data["suggestion"]
        suggestion.save()
        url = request.build_absolute_uri(
            reverse("programs:suggestion-status", kwargs={"token": suggestion.status_token()})
        )
        return Response(
            {"status_url": url, "state": suggestion.state}, status=status.HTTP_201_CREATED, headers={"Location": url}
        )
