"""How an accepted suggestion reaches its record: through the admin's own forms, so that the record's
history, the admin's log and the status rules read exactly as for a curator's own edit, and the
history's change reason names the suggestion ("Suggestion #12").

- A proposed new record becomes a draft when it is accepted: the record's admin form, as the
  reviewer has it, is filled with the proposed name, a free slug and the defaults, then saved with
  the admin's `save_model`, `save_related` and `log_addition`. It stays a draft (hidden from the
  public) until a curator completes it and an editor publishes it.
- An accepted correction waits in its suggestion: the record's change form opened from it
  (`?suggestion=<id>`) has the proposed value filled in (a participant: a new row of the programme's
  organizations, with the matched organization when the match is certain). The curator edits and
  saves; that save applies the change (on a published record it is public at once, as any saved
  change is) and marks the suggestion applied.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programs.curation.suggestions.comparison import nearest_records
from programs.models import Lifecycle, Participation, Status, SuggestedType, Suggestion
from programs.models.slugs import free_slug


def draft_from_suggestion(*, request, site, suggestion: Suggestion):
    """The draft record a proposed new record becomes, saved as the admin saves an added record.

    Raises PermissionDenied when the reviewer may not add such records, and ValidationError when
    the admin's form refuses the proposal.
    """
    model_admin = site.get_model_admin(suggestion.model)
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form_class = model_admin.get_form(request, None, change=False)
    proposed = {
        "name": suggestion.name,
        "slug": free_slug(suggestion.model, suggestion.name),
        "kind": "other",  # both programmes and organizations have it; the curator chooses
        "lifecycle": Lifecycle.UNKNOWN,
        "status": Status.DRAFT,
    }
    form = form_class({name: value for name, value in proposed.items() if name in form_class.base_fields})
    if not form.is_valid():
        raise ValidationError([f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()])
    record = form.save(commit=False)
    record.status = Status.DRAFT
    record._change_reason = suggestion.change_reason
    model_admin.save_model(request, record, form, change=False)
    model_admin.save_related(request, form, [], change=False)
    model_admin.log_addition(request, record, model_admin.construct_change_message(request, form, [], add=True))
    return record


def proposed_initial(suggestion: Suggestion, record) -> dict:
    """The change form's initial values that carry the proposed value (none for a participant,
    who goes in a new row of the organizations)."""
    field = suggestion.suggested_field
    if field is None or field.kind == "participant":
        return {}
    if field.kind == "alias":
        return {field.name: [*record.aliases, suggestion.value]}
    if field.kind == "year":
        return {field.name: int(suggestion.value)}
    return {field.name: suggestion.value}


class SuggestedChangeMixin:
    """For the admins of the records the public may correct: a change form opened from an accepted
    suggestion (`?suggestion=<id>`) shows it and carries its value; saving it applies the suggestion.
    Every change form also lists the accepted suggestions waiting to be applied to its record."""

    change_form_template = "admin/programs/suggested_change_form.html"
    SUGGESTION_PARAMETER = "suggestion"

    @property
    def suggested_type(self) -> SuggestedType:
        return SuggestedType.of_model(self.model)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        request.applied_suggestion = self.suggestion_to_apply(request, object_id)
        waiting = []
        if object_id.isdigit() and request.user.has_perm("programs.view_suggestion"):
            waiting = list(
                Suggestion.objects.waiting_to_be_applied().for_inbox().about(self.suggested_type, object_id)[:20]
            )
        context = {**(extra_context or {}), "applied_suggestion": request.applied_suggestion, "waiting": waiting}
        return super().change_view(request, object_id, form_url, context)

    def suggestion_to_apply(self, request, object_id: str):
        number = request.GET.get(self.SUGGESTION_PARAMETER, "")
        if not (number.isdigit() and object_id.isdigit() and request.user.has_perm("programs.change_suggestion")):
            return None
        return (
            Suggestion.objects.waiting_to_be_applied().about(self.suggested_type, object_id).filter(pk=number).first()
        )

    @staticmethod
    def prefilling(request) -> Suggestion | None:
        """The suggestion whose value the form shows: on the form's first display, not when it is
        sent (a sent form's values are the curator's, compared with the record's to log the change)."""
        return getattr(request, "applied_suggestion", None) if request.method == "GET" else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        suggestion = self.prefilling(request)
        initial = proposed_initial(suggestion, obj) if suggestion is not None and obj is not None else {}
        if not initial.keys() <= form.base_fields.keys():
            return form

        class SuggestedForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return SuggestedForm if initial else form

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if self.proposed_participant(request) is not None:
            for inline in inlines:
                if inline.model is Participation:
                    inline.extra = 1  # an instance of this request: the class keeps its own
        return inlines

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        participant = self.proposed_participant(request)
        if participant is not None and inline.model is Participation:
            kwargs["initial"] = [participant]
        return kwargs

    def proposed_participant(self, request) -> dict | None:
        """The new organizations row a participant suggestion fills: its role, and the organization
        when the matcher is certain of it."""
        suggestion = self.prefilling(request)
        if suggestion is None or suggestion.field != "participant":
            return None
        cache = request.__dict__.setdefault("_proposed_participant", {})
        if suggestion.pk not in cache:
            certain = [candidate.record.pk for candidate in nearest_records(suggestion) if candidate.match]
            cache[suggestion.pk] = {"organization": certain[0] if certain else None, "role": suggestion.role}
        return cache[suggestion.pk]

    def save_model(self, request, obj, form, change):
        suggestion = getattr(request, "applied_suggestion", None)
        if suggestion is not None:
            obj._change_reason = suggestion.change_reason
        super().save_model(request, obj, form, change)
        if suggestion is not None:
            Suggestion.objects.filter(pk=suggestion.pk).update(applied_at=timezone.now())
