"""The API's documentation page: Swagger UI from the drf-spectacular-sidecar static files.

drf-spectacular's own template writes an inline <style> and (unless split) an inline <script>,
which the site's Content-Security-Policy refuses. This page's template has neither: Swagger UI
is started by a static script (static/api/docs.js) that reads the schema's address from a
`data-` attribute, and the page's few styles are in static/api/docs.css.
"""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView


class ApiDocsView(SpectacularSwaggerView):
    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # drf-spectacular relaxes Cross-Origin-Opener-Policy for OAuth pop-ups, which this page has
        # none of: the site's own policy (same-origin) applies.
        del response.headers["Cross-Origin-Opener-Policy"]
        return response
