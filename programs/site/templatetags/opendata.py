"""`{% record_jsonld object %}`: a published record's schema.org JSON-LD (programs/opendata/jsonld.py), for its page."""

from django import template
from django.utils.translation import get_language

from programs.opendata import jsonld
from programs.serving.caching import cached

register = template.Library()


@register.simple_tag(takes_context=True)
def record_jsonld(context, record) -> str:
    """The record's JSON-LD data block; nothing for a draft (a curator's preview).

    Built once per record, language, address and data version. From the record as the page
    loaded it when its body was rendered now (with `for_detail()`), else loaded so.
    """
    if not record.is_published:
        return ""
    request = context["request"]
    parts = (record._meta.label, record.pk, get_language(), request.build_absolute_uri("/"))

    def build():
        loaded = (
            record
            if hasattr(record, "_prefetched_objects_cache")
            else type(record).objects.for_detail().get(pk=record.pk)
        )
        return jsonld.script(jsonld.record_node(loaded, request.build_absolute_uri))

    return cached("jsonld", parts, build)
