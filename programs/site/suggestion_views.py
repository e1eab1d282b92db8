"""The public's side of suggestions: the form (`/suggestions/new/?record=program:<slug>` to correct
a published record, `?type=program` to propose a new one) and the status page at the unguessable
address the proposer lands on (`/suggestions/<token>/`).

Both are sent uncached and kept out of search engines: the form carries a CSRF token and the
moment it was made, and a status page shows what one proposer wrote, to them only. The status page
reads the primary database: suggestions do not move the data version, by which the replica's
freshness is judged.
"""

from django.db import DEFAULT_DB_ALIAS
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from programs.models import SuggestedType, Suggestion, SuggestionState
from programs.models.suggestions import referenced_record
from programs.serving.rate_limits import SuggestionLimits
from programs.site.suggestion_forms import SuggestionForm, Target, form_stamp

NOINDEX = "noindex, nofollow"

TITLES = {
    SuggestedType.PROGRAM: _("Suggest a programme"),
    SuggestedType.ORGANIZATION: _("Suggest an organization"),
    SuggestedType.PERSON: _("Suggest a person"),
    "correction": _("Suggest a correction"),
}


def target_of(params) -> Target | None:
    """What the form's query string names: `record=<type>:<slug>` (a published record) or `type=<type>`."""
    reference = params.get("record", "")
    if reference:
        found = referenced_record(reference)
        return Target(*found) if found is not None else None
    record_type = params.get("type", "")
    return Target(SuggestedType(record_type)) if record_type in SuggestedType.values else None


def private(response):
    response["X-Robots-Tag"] = NOINDEX
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def suggestion_new(request):
    target = target_of(request.GET)
    if target is None:
        raise Http404
    form = SuggestionForm(request.POST if request.method == "POST" else None, target=target)
    if form.is_bound and form.is_valid():
        refused = SuggestionLimits.hit(request)
        if refused is not None:
            limit, wait = refused
            message = SuggestionLimits.refusal(limit, wait)
            response = render(request, "suggestions/limited.html", {"message": message}, status=429)
            response["Retry-After"] = str(wait)
            return private(response)
        suggestion = form.save(commit=False)
        suggestion.language = get_language()
        suggestion.save()
        return redirect("programs:suggestion-status", token=suggestion.status_token())
    title = TITLES[target.type if target.record is None else "correction"]
    context = {"form": form, "target": target, "title": title, "issued": form_stamp()}
    return private(render(request, "suggestions/new.html", context, status=400 if form.is_bound else 200))


@never_cache
@require_http_methods(["GET", "HEAD"])
def suggestion_status(request, token: str):
    suggestion = Suggestion.objects.using(DEFAULT_DB_ALIAS).select_related("duplicate_of").by_token(token)
    if suggestion is None:
        raise Http404
    context = {"suggestion": suggestion, "States": SuggestionState, **shown(suggestion)}
    return private(render(request, "suggestions/status.html", context))


def shown(suggestion: Suggestion) -> dict:
    """What the status page says of the suggestion's record: its page while it is published."""
    record = None
    if suggestion.record_id is not None:
        record = suggestion.model.objects.using(DEFAULT_DB_ALIAS).published().filter(pk=suggestion.record_id).first()
    return {
        "record": record,
        "change_is_public": record is not None
        and suggestion.state == SuggestionState.ACCEPTED
        and suggestion.applied_at is not None,
    }
