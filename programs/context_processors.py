"""What every page's layout needs: the same page in the other language."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def languages(request):
    """`language_links`: for each site language, its name and this page (path and query) in it."""
    current = get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ]
    }
