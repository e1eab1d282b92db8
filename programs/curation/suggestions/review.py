"""A reviewer's decisions on a suggestion: accept, decline (with a reason), mark as a duplicate.

Only a received suggestion is decided, once: the suggestion is re-read under a row lock, so two
reviewers deciding at the same moment cannot both succeed. Each decision closes the suggestion: the
reviewer and the moment are kept, the proposer's e-mail address is erased in the same transaction,
and once it commits the proposer is told the outcome at that address (mail.py), with the address of
the status page in the language they wrote in.

Accepting a new record makes it a draft through the admin's own form (drafts.py); accepting a
correction leaves the record alone until a curator saves the change in the record's form.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from programs.curation.suggestions import drafts, mail
from programs.models import Suggestion, SuggestionState
from programs.models.base import control_character_errors
from programs.models.suggestions import REASON_MAX

ALREADY_CLOSED = _("This suggestion is %(state)s already: it cannot be decided again.")
RECORD_GONE = _("The record this suggestion corrects was deleted since: decline it, or mark it as a duplicate.")
DRAFT_REFUSED = _("The draft could not be made: %(errors)s")
NEEDS_REASON = _("Say why the suggestion is declined: the proposer reads it on the status page.")
REASON_TOO_LONG = _("The reason may have at most %(max)s characters.")
NEEDS_TARGET = _("Name the suggestion or the record this one repeats.")
NOT_ITSELF = _("A suggestion cannot repeat itself.")
NO_SUCH_SUGGESTION = _("There is no suggestion #%(number)s.")
NO_SUCH_RECORD = _("No %(type)s has the slug “%(slug)s”.")
RECORD_FOR_NEW_ONLY = _("Only a proposed new record can repeat a record; a correction repeats a suggestion.")
SPAM_REASON = _("It does not propose anything about a record of the registry.")


class ReviewError(Exception):
    """A decision that cannot be made, with the message the reviewer is shown."""


def status_url(suggestion: Suggestion, base_url: str) -> str:
    """The suggestion's status page, in the language its proposer wrote in."""
    with translation.override(suggestion.language):
        path = reverse("programs:suggestion-status", kwargs={"token": suggestion.status_token()})
    return base_url.rstrip("/") + path


def received(suggestion: Suggestion) -> Suggestion:
    """The suggestion, locked for this transaction, while no one has decided it."""
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.is_closed:
        raise ReviewError(ALREADY_CLOSED % {"state": locked.get_state_display()})
    return locked


def close(suggestion: Suggestion, state: str, *, reviewer, base_url: str, notify: bool = True) -> Suggestion:
    email = suggestion.email
    suggestion.state = state
    suggestion.email = ""
    suggestion.reviewed_by = reviewer
    suggestion.reviewed_at = timezone.now()
    suggestion.save()
    if email and notify:
        url = status_url(suggestion, base_url)
        transaction.on_commit(lambda: mail.send_outcome(suggestion, email, url))
    return suggestion


def suggestion_accept(*, suggestion: Suggestion, request, site) -> Suggestion:
    """Accept: a new record becomes a draft at once; a correction waits for its record's form."""
    base_url = request.build_absolute_uri("/")
    with transaction.atomic():
        suggestion = received(suggestion)
        if suggestion.is_new:
            try:
                record = drafts.draft_from_suggestion(request=request, site=site, suggestion=suggestion)
            except ValidationError as error:
                raise ReviewError(DRAFT_REFUSED % {"errors": "; ".join(error.messages)}) from None
            suggestion.record_id = record.pk
            suggestion.applied_at = timezone.now()
        elif suggestion.record() is None:
            raise ReviewError(RECORD_GONE)
        return close(suggestion, SuggestionState.ACCEPTED, reviewer=request.user, base_url=base_url)


def suggestion_decline(*, suggestion: Suggestion, reason: str, reviewer, base_url: str) -> Suggestion:
    reason = reason.strip()
    if not reason:
        raise ReviewError(NEEDS_REASON)
    if len(reason) > REASON_MAX:
        raise ReviewError(REASON_TOO_LONG % {"max": REASON_MAX})
    with transaction.atomic():
        suggestion = received(suggestion)
        suggestion.reason = reason
        if problem := control_character_errors(suggestion).get("reason"):
            raise ReviewError(" ".join(problem.messages))
        return close(suggestion, SuggestionState.DECLINED, reviewer=reviewer, base_url=base_url)


def suggestion_mark_duplicate(
    *, suggestion: Suggestion, reviewer, base_url: str, of_suggestion: str = "", of_record: str = ""
) -> Suggestion:
    """A duplicate of another suggestion (by number), or, for a proposed new record, of a record
    the registry has (by slug)."""
    with transaction.atomic():
        suggestion = received(suggestion)
        if of_suggestion:
            suggestion.duplicate_of = repeated_suggestion(suggestion, of_suggestion)
        elif of_record:
            suggestion.record_id = repeated_record(suggestion, of_record).pk
        else:
            raise ReviewError(NEEDS_TARGET)
        return close(suggestion, SuggestionState.DUPLICATE, reviewer=reviewer, base_url=base_url)


def repeated_suggestion(suggestion: Suggestion, number: str) -> Suggestion:
    number = number.strip().lstrip("#")
    original = Suggestion.objects.filter(pk=number).first() if number.isdigit() else None
    if original is None:
        raise ReviewError(NO_SUCH_SUGGESTION % {"number": number[:20]})
    if original.pk == suggestion.pk:
        raise ReviewError(NOT_ITSELF)
    return original


def repeated_record(suggestion: Suggestion, slug: str):
    if not suggestion.is_new:
        raise ReviewError(RECORD_FOR_NEW_ONLY)
    record = suggestion.model.objects.filter(slug=slug.strip()).first()
    if record is None:
        raise ReviewError(NO_SUCH_RECORD % {"type": suggestion.get_record_type_display(), "slug": slug[:100]})
    return record


def suggestions_decline_as_spam(*, suggestions, reviewer) -> int:
    """Decline every received suggestion among `suggestions`, without e-mail (a bot may give anyone's
    address). Returns how many were declined."""
    declined = 0
    with transaction.atomic():
        for suggestion in suggestions.select_for_update().filter(state=SuggestionState.RECEIVED):
            with translation.override(suggestion.language):
                suggestion.reason = str(SPAM_REASON)
            close(suggestion, SuggestionState.DECLINED, reviewer=reviewer, base_url="", notify=False)
            declined += 1
    return declined
