"""What every page's layout needs: the same page in the other language, the years the models accept."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, override

from programs.models import MAX_YEAR, MIN_YEAR


def languages(request):
    """`language_links`: for each site language, its name and this page (path and query) in it."""
    current = get_language()
    return {
        "language_links": [
            {"code": code, "name": name, "url": page_in(request, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ]
    }


def page_in(request, language: str) -> str:
    """This page's address in `language`: reversed from the view it resolved to (cheaper than
    resolving the path again, as `translate_url` does, which pages that resolved to none need)."""
    match = request.resolver_match
    if match is None:
        return translate_url(request.get_full_path(), language)
    with override(language):
        path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    _, question_mark, query = request.get_full_path().partition("?")  # the query as sent, IRI-encoded
    return path + question_mark + query


def year_bounds(request):
    """`MIN_YEAR` and `MAX_YEAR`, the years the models accept: the bounds of the pages' year inputs."""
    return {"MIN_YEAR": MIN_YEAR, "MAX_YEAR": MAX_YEAR}
