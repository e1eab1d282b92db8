"""/data/: the data releases published on this site, with their manifests, sizes, checksums and downloads.

The releases are the folders of `settings.DATA_RELEASES_DIR` written by `manage.py export_release`
(programs/opendata/releases.py). A download names a release folder and one of the files its SHA256SUMS
lists; nothing else under the folder, and nothing outside it, is ever served. The page reads the
folder, not the database, so the page cache (keyed on the data version) must not keep it.
"""

import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from programs.opendata import jsonld
from programs.opendata.releases import CHECKSUMS, MANIFEST, release_file, releases_in

TITLE = _("Open data")
FORMATS = {".jsonl": "application/jsonl", ".csv": "text/csv", ".json": "application/json", ".md": "text/markdown"}


def file_format(name: str) -> str:
    return next((kind for suffix, kind in FORMATS.items() if name.endswith(suffix)), "text/plain")


class DataView(TemplateView):
    template_name = "programs/data.html"

    def get_context_data(self, **kwargs):
        releases = releases_in(settings.DATA_RELEASES_DIR)
        for release in releases:
            for file in release["files"]:
                file["url"] = reverse("programs:data-file", args=[release["name"], file["name"]])
            release["checksums_url"] = reverse("programs:data-file", args=[release["name"], CHECKSUMS])
            release["manifest_url"] = reverse("programs:data-file", args=[release["name"], MANIFEST])
        return super().get_context_data(
            releases=releases,
            title=TITLE,
            licence=settings.DATA_LICENSE,
            jsonld=jsonld.script(self.dataset(releases)),
            **kwargs,
        )

    def dataset(self, releases) -> dict:
        """The schema.org Dataset of the site's data, each release a part of it with its files."""
        absolute = self.request.build_absolute_uri
        names = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names[code] = (gettext("Partnership Program Tracker"), str(DESCRIPTION))
        with translation.override(settings.LANGUAGE_CODE):
            identifier = absolute(reverse("programs:data"))
        parts = [
            jsonld.compact(
                {
                    "@type": "Dataset",
                    "name": f"{names['en'][0]} data release {release['release']}",
                    "version": str(release["release"]),
                    "dateModified": release.get("time"),
                    "distribution": [
                        {
                            "@type": "DataDownload",
                            "name": file["name"],
                            "encodingFormat": file_format(file["name"]),
                            "contentUrl": absolute(file["url"]),
                            "contentSize": f"{file['bytes']} B",
                        }
                        for file in release["files"]
                    ],
                }
            )
            for release in releases
        ]
        return jsonld.compact(
            {
                "@context": jsonld.CONTEXT,
                "@type": "Dataset",
                "@id": identifier,
                "url": absolute(self.request.path),
                "name": jsonld.texts(names["zh-hans"][0], names["en"][0]),
                "description": jsonld.texts(names["zh-hans"][1], names["en"][1]),
                "license": settings.DATA_LICENSE["url"],
                "isAccessibleForFree": True,
                "inLanguage": ["zh-Hans", "en"],
                "creator": {"@type": "Organization", "name": names["en"][0]},
                "version": releases and str(releases[0]["release"]),
                "dateModified": releases and releases[0].get("time"),
                "distribution": parts and parts[0]["distribution"],
                "hasPart": parts,
            }
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_cache_control(response, no_cache=True)  # the folder may change without a write to the data
        return response


DESCRIPTION = _(
    "Every published record of the tracker — programmes, organizations, people, projects, editions, "
    "research areas and sources, with their links and citations — as numbered, dated, checksummed "
    "releases in JSON Lines and CSV."
)


def data_file(request, release: str, filename: str):
    """A file of a release, as a download; 404 for anything its checksums do not list."""
    path = release_file(settings.DATA_RELEASES_DIR, release, filename)
    if path is None:
        raise Http404
    content_type = mimetypes.guess_type(filename)[0] or file_format(filename)
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
