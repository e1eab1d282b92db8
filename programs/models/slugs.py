"""Slugs for new records made from their names (the article workspace's drafts and fixture files,
accepted suggestions): the name's pinyin and Latin words in their order, numbered when taken."""

from django.utils.text import slugify
from pypinyin import lazy_pinyin

from programs.models.validators import RESERVED_SLUGS

SLUG_CHARS = 80


class FreeSlugs:
    """Slugs that no record of a model has and that this object has not handed out before (the
    records of one file are written together, after every slug is chosen)."""

    def __init__(self):
        self.given: set[str] = set(RESERVED_SLUGS)

    def new(self, name: str, model) -> str:
        base = slugify("-".join(lazy_pinyin(name)))[:SLUG_CHARS].strip("-") or model._meta.model_name
        taken = self.given | set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        self.given.add(slug)
        return slug


def free_slug(model, name: str) -> str:
    """A slug for a new record of `model` named `name` that no record has."""
    return FreeSlugs().new(name, model)
