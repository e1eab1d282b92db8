"""`{% suggest_correction record %}` on a record's page and `{% suggest_new view %}` on a list: links
to the suggestion form, for the kinds of record the public may correct or propose (nothing for the
others, nor for a draft previewed by a curator)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from programs.models import SuggestedType
from programs.site.suggestion_views import TITLES

register = template.Library()

LINK = "includes/_suggest_link.html"


def form_url(**params) -> str:
    return f"{reverse('programs:suggestion-new')}?{urlencode(params)}"


@register.inclusion_tag(LINK)
def suggest_correction(record) -> dict:
    suggested = SuggestedType.of_model(type(record))
    if suggested is None or not record.is_published:
        return {}
    return {"url": form_url(record=f"{suggested.value}:{record.slug}"), "label": TITLES["correction"]}


@register.inclusion_tag(LINK)
def suggest_new(view) -> dict:
    """The list view's link (given the view: a template would call a model class it was given)."""
    suggested = SuggestedType.of_model(getattr(view, "model", None))
    if suggested is None:
        return {}
    return {"url": form_url(type=suggested.value), "label": TITLES[suggested]}
