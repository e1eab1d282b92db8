"""/id/<scheme>/<value>/, which sends a visitor to the record an external identifier names."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from programs.models import Identifier
from programs.models.identifiers import OWNERS
from programs.models.schemes import SCHEMES


def identifier_redirect(request, scheme: str, value: str):
    """The page of the published record `scheme:value` identifies (in the page's language).

    404 for a scheme that does not exist or an identifier no published record holds; 400, with
    the scheme's rule, for a value the scheme cannot have.
    """
    if scheme not in SCHEMES:
        raise Http404
    try:
        canonical = SCHEMES[scheme].normalise(value)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain; charset=utf-8")
    identifier = Identifier.objects.filter(scheme=scheme, value=canonical).select_related(*OWNERS).first()
    record = identifier.record if identifier is not None else None
    if record is None or not record.is_published:
        raise Http404
    return redirect(record)
