"""The suggestions inbox: the suggestions' change list (newest first, filtered by state, record type,
new or correction, and what waits to be applied; searched; declined as spam in bulk), and in place
of a change form each suggestion's review page: the record as it is beside the proposed change, the
evidence, the nearest records the registry has, the other suggestions about the same thing, and the
decisions (accept, decline with a reason, mark as a duplicate).

Why a ModelAdmin rather than a curation Tool: its permissions are the roles' (programs.curation.roles
gives curators and editors view and change of suggestions, editors delete), and the change list
brings filters, search, paging and bulk actions, which a reviewer needs when bots flood the inbox.
Nobody adds a suggestion here: they come from the public. The inbox and review pages read a fixed
number of queries whatever the number of suggestions.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs.curation.suggestions import comparison, review
from programs.models import Suggestion, SuggestionState
from programs.models.suggestions import REASON_MAX

ACCEPTED_NEW = _("Accepted: the draft below was made from it. Complete it; an editor publishes it.")
ACCEPTED_CORRECTION = _("Accepted: the change is filled in below. Check it, edit it if need be, and save.")
DECLINED = _("Declined; the proposer reads your reason on the status page.")
MARKED_DUPLICATE = _("Marked as a duplicate.")


class WaitingFilter(admin.SimpleListFilter):
    """Accepted corrections that no curator has saved into their record yet."""

    title = _("to apply")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("accepted, not applied yet"))]

    def queryset(self, request, queryset):
        return queryset.waiting_to_be_applied() if self.value() == "yes" else queryset


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the proposer reads it)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class DuplicateForm(forms.Form):
    of_suggestion = forms.CharField(label=_("It repeats suggestion number"), max_length=20, required=False)
    of_record = forms.SlugField(label=_("or the record with the slug"), max_length=100, required=False)


class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "record_type", "about", "state", "applied_at"]
    list_display_links = ["number", "about"]
    list_filter = ["state", "record_type", "is_new", WaitingFilter]
    search_fields = ["record_label", "name", "value", "message"]
    list_per_page = 50
    actions = ["decline_as_spam"]
    review_template = "admin/programs/suggestion/review.html"

    def get_queryset(self, request):
        return super().get_queryset(request).for_inbox()

    def has_add_permission(self, request):
        return False  # suggestions come from the public (programs.site, programs.api)

    @admin.display(description="#", ordering="id")
    def number(self, suggestion):
        return f"#{suggestion.pk}"

    @admin.display(description=_("what is proposed"))
    def about(self, suggestion):
        if suggestion.is_new:
            text = f"{_('new')}: {suggestion.name}"
        else:
            field = suggestion.suggested_field
            text = suggestion.record_label + (f" · {field.label}: {suggestion.value_label}" if field else "")
        return Truncator(text).chars(100)

    @admin.action(permissions=["change"], description=_("Decline the selected suggestions as spam (no e-mail)"))
    def decline_as_spam(self, request, queryset):
        declined = review.suggestions_decline_as_spam(suggestions=queryset, reviewer=request.user)
        message = ngettext("%(count)d suggestion declined.", "%(count)d suggestions declined.", declined)
        self.message_user(request, message % {"count": declined})

    # The review page, in place of the change form.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = unquote(object_id)
        suggestion = (
            Suggestion.objects.select_related("duplicate_of", "reviewed_by").filter(pk=pk).first()
            if pk.isdigit()
            else None
        )
        if suggestion is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, suggestion):
            raise PermissionDenied
        forms_shown = {"decline": DeclineForm(), "duplicate": DuplicateForm()}
        if request.method == "POST":
            if not self.has_change_permission(request, suggestion):
                raise PermissionDenied
            action = request.POST.get("action", "")
            if action not in {"accept", *forms_shown}:
                return HttpResponseBadRequest()
            if action in forms_shown:
                forms_shown[action] = type(forms_shown[action])(request.POST)
            response = self.decide(request, suggestion, action, forms_shown.get(action))
            if response is not None:
                return response
        return self.review_page(request, suggestion, forms_shown)

    def decide(self, request, suggestion, action: str, form):
        """Make the decision; a redirect when it is made, None to show the page again with why not."""
        if form is not None and not form.is_valid():
            return None
        try:
            if action == "accept":
                return self.accept(request, suggestion)
            base_url = request.build_absolute_uri("/")
            if action == "decline":
                review.suggestion_decline(
                    suggestion=suggestion, reason=form.cleaned_data["reason"], reviewer=request.user, base_url=base_url
                )
                message = DECLINED
            else:
                review.suggestion_mark_duplicate(
                    suggestion=suggestion, reviewer=request.user, base_url=base_url, **form.cleaned_data
                )
                message = MARKED_DUPLICATE
        except review.ReviewError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.log_change(request, suggestion, str(message))
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def accept(self, request, suggestion):
        """Accept, then open the record's form: the new draft, or the record with the change filled in."""
        model_admin = self.admin_site.get_model_admin(suggestion.model)
        record = suggestion.record()
        may = (
            model_admin.has_add_permission(request)
            if suggestion.is_new
            else record is None or model_admin.has_change_permission(request, record)
        )
        if not may:
            raise PermissionDenied
        suggestion = review.suggestion_accept(suggestion=suggestion, request=request, site=self.admin_site)
        self.log_change(request, suggestion, str(SuggestionState.ACCEPTED.label))
        self.message_user(request, ACCEPTED_NEW if suggestion.is_new else ACCEPTED_CORRECTION, messages.SUCCESS)
        return HttpResponseRedirect(self.record_url(suggestion, applying=not suggestion.is_new))

    def model_url(self, model, view: str, *args) -> str:
        opts = model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args)

    def admin_url(self, record) -> str:
        return self.model_url(type(record), "change", record.pk)

    def record_url(self, suggestion, *, applying: bool = False) -> str:
        """The admin page of the suggestion's record; with `applying`, its form carrying the change."""
        url = self.model_url(suggestion.model, "change", suggestion.record_id)
        return f"{url}?suggestion={suggestion.pk}" if applying else url

    def review_page(self, request, suggestion, forms_shown: dict):
        record = suggestion.record()
        received = suggestion.state == SuggestionState.RECEIVED
        waiting = suggestion.state == SuggestionState.ACCEPTED and suggestion.applied_at is None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Suggestion %(number)s") % {"number": f"#{suggestion.pk}"},
            "opts": self.opts,
            "suggestion": suggestion,
            "record": record,
            "deletion": comparison.deletion_of(suggestion) if record is None else None,
            "rows": comparison.side_by_side(suggestion, record),
            "candidates": [
                (candidate, self.admin_url(candidate.record)) for candidate in comparison.nearest_records(suggestion)
            ]
            if received
            else [],
            "related": comparison.related_suggestions(suggestion),
            "may_decide": received and self.has_change_permission(request, suggestion),
            "decline_form": forms_shown["decline"],
            "duplicate_form": forms_shown["duplicate"],
            "record_url": self.admin_url(record) if record is not None else "",
            "deleted_url": self.model_url(suggestion.model, "deleted"),
            "apply_url": self.record_url(suggestion, applying=True) if record is not None and waiting else "",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.review_template, context)
