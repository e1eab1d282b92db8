"""What a reviewer compares: the record as it is beside the proposed change, the registry's nearest
records to a proposed name (so that a duplicate is caught before it is made), and the other
suggestions about the same thing.

Each is bounded: one record, at most `CANDIDATES` matches (the reconciliation matcher,
programs.reconcile.matching), at most `RELATED` other suggestions, whatever the number of
suggestions or records.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import ParticipationRole, Suggestion
from programs.models.base import choice_label
from programs.reconcile.matching import MAX_QUERY_LENGTH, TYPES, Query, candidates_of_batch, normal

CANDIDATES = 5
RELATED = 10
NOTHING = "—"


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side view: a field, its value now, the proposed value."""

    label: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.proposed != NOTHING and self.proposed != self.current


def shown(value) -> str:
    """A stored value as text: a list one item per line, nothing as a dash."""
    if isinstance(value, list):
        return "\n".join(map(str, value)) or NOTHING
    return str(value) if value not in (None, "") else NOTHING


def participants_shown(participations) -> str:
    return shown([f"{organization} ({choice_label(ParticipationRole, role)})" for organization, role in participations])


def side_by_side(suggestion: Suggestion, record) -> list[Row]:
    """The rows the review page compares. Without a field, the record's names beside nothing (the
    message says what is wrong); for a new record, its proposed name beside nothing."""
    if record is None:
        return [Row(str(_("name")), NOTHING, suggestion.name)] if suggestion.is_new else []
    field = suggestion.suggested_field
    if field is None:
        return [
            Row(str(_("name")), shown(record.name), NOTHING),
            Row(str(_("English name")), shown(record.name_en), NOTHING),
        ]
    if field.kind == "participant":
        role = choice_label(ParticipationRole, suggestion.role)
        return [Row(str(field.label), participants_shown(field.stored(record)), f"+ {suggestion.value} ({role})")]
    current = field.stored(record)
    if field.kind == "alias":
        return [Row(str(field.label), shown(current), f"+ {suggestion.value}")]
    current_text = field.label_of(str(current)) if current not in (None, "") else NOTHING
    return [Row(str(field.label), current_text, suggestion.value_label)]


def nearest_records(suggestion: Suggestion) -> list:
    """The published records nearest to a proposed new record's name, or to a proposed participant's
    (organizations), best first, each with its score and whether it is a certain match."""
    if suggestion.is_new and suggestion.name:
        entity, text = TYPES[suggestion.record_type], suggestion.name
    elif suggestion.field == "participant" and suggestion.value:
        entity, text = TYPES["organization"], suggestion.value
    else:
        return []
    query = Query(text=normal(text)[:MAX_QUERY_LENGTH], types=(entity,), limit=CANDIDATES)
    return candidates_of_batch([query])[0] if query.text else []


def related_suggestions(suggestion: Suggestion):
    """Other suggestions about the same record, or proposing a record of the same name: the
    duplicates a reviewer may point to, newest first."""
    if suggestion.is_new:
        same = Q(is_new=True, name__iexact=suggestion.name)
        if suggestion.record_id is not None:
            same |= Q(record_id=suggestion.record_id)
    else:
        same = Q(record_id=suggestion.record_id)
    return list(
        Suggestion.objects.for_inbox()
        .filter(same, record_type=suggestion.record_type)
        .exclude(pk=suggestion.pk)
        .order_by("-created_at", "-id")[:RELATED]
    )


def deletion_of(suggestion: Suggestion):
    """The history entry of the record's deletion, when the record a suggestion names is gone."""
    if suggestion.record_id is None:
        return None
    history = suggestion.model.history
    return history.filter(id=suggestion.record_id, history_type="-").order_by("-history_date").first()
