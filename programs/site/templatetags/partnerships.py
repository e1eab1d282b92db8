"""`{% partnership_url a b %}`: the page of two organizations' partnership, in either order."""

from django import template

from programs.reads.partnerships import partnership_url as url_of

register = template.Library()


@register.simple_tag
def partnership_url(first, second) -> str:
    return url_of(first, second)
