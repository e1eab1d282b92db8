"""The reconciliation service's endpoints under /reconcile/; what they answer is built by the modules
named for each part of the protocol (manifest, queries, extend, suggest). Every answer may be read
from any origin (CORS, django-cors-headers), requests are throttled per client address, and the
endpoint takes POSTed forms without a CSRF token, as the specification requires; the rest of the site
keeps its CSRF protection. Names and descriptions follow the request's Accept-Language (Chinese by
default).
"""

from csp.decorators import csp_replace
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.clickjacking import xframe_options_exempt
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from programs.reconcile.extend import extend, propose_properties
from programs.reconcile.manifest import manifest
from programs.reconcile.matching import describe
from programs.reconcile.protocol import BadRequest, entity_of
from programs.reconcile.queries import read_batch, results
from programs.reconcile.suggest import suggest_entities, suggest_properties, suggest_types
from programs.serving.languages import accepted_language
from programs.serving.throttling import RatesFromSettings


class ReconcileThrottle(RatesFromSettings, SimpleRateThrottle):
    """`reconcile` requests per period and client address (DJANGO_RECONCILE_RATE)."""

    scope = "reconcile"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ServiceView(APIView):
    """A JSON endpoint of the service: no sign-in, forms in, JSON out, throttled, in the asked language."""

    authentication_classes = []
    permission_classes = []
    parser_classes = [FormParser, MultiPartParser]  # forms as browsers and OpenRefine send them
    renderer_classes = [JSONRenderer]
    throttle_classes = [ReconcileThrottle]
    schema = None  # not part of the REST API's schema: the specification documents it

    def dispatch(self, request, *args, **kwargs):
        with translation.override(accepted_language(request)):
            response = super().dispatch(request, *args, **kwargs)
            response.render()  # in the language of the request
        patch_vary_headers(response, ("Accept-Language",))
        return response

    def answer(self, compute):
        try:
            return Response(compute())
        except BadRequest as error:
            raise ParseError(str(error)) from None

    def param(self, request, name):
        """A parameter of the query string or, for POST, of the form."""
        if request.method == "POST" and name in request.data:
            return request.data.get(name)
        return request.query_params.get(name)


class ReconcileView(ServiceView):
    """The endpoint: the manifest, reconciliation batches (`queries`) and data extension (`extend`)."""

    def get(self, request):
        return self.serve(request)

    def post(self, request):
        return self.serve(request)

    def serve(self, request):
        queries, extension = self.param(request, "queries"), self.param(request, "extend")
        if queries is not None:
            return self.answer(lambda: results(read_batch(queries)))
        if extension is not None:
            return self.answer(lambda: extend(extension))
        base = request.build_absolute_uri("/").rstrip("/")
        return Response(manifest(base))


class ProposePropertiesView(ServiceView):
    def get(self, request):
        return self.answer(
            lambda: propose_properties(request.query_params.get("type"), request.query_params.get("limit"))
        )


class SuggestEntityView(ServiceView):
    def get(self, request):
        params = request.query_params
        return self.answer(lambda: suggest_entities(params.get("prefix"), params.get("cursor"), params.get("type")))


class SuggestPropertyView(ServiceView):
    def get(self, request):
        return self.answer(lambda: suggest_properties(request.query_params.get("prefix")))


class SuggestTypeView(ServiceView):
    def get(self, request):
        return self.answer(lambda: suggest_types(request.query_params.get("prefix")))


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def preview(request):
    """A small HTML card of an entity, for clients to show in a frame (hence framing allowed here)."""
    with translation.override(accepted_language(request)):
        found = entity_of(request.GET.get("id"))
        if found is None:
            raise Http404
        entity, record = found
        response = render(
            request,
            "reconcile/preview.html",
            {"entity": entity, "record": record, "description": describe(entity, record)},
        )
    patch_vary_headers(response, ("Accept-Language",))
    return response


def view(request, kind, slug):
    """The page of an entity (the manifest's view template)."""
    found = entity_of(f"{kind}/{slug}")
    if found is None:
        raise Http404
    return redirect(found[1])
