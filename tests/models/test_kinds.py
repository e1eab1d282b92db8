"""Each kind of record declared once (programs/models/kinds/): every field of a model is declared,
an output's order names what it carries, and the fixture files, releases, API and downloads carry
what a declaration says, in its order, and nothing else."""

import dataclasses
import inspect
import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers as drf

from programs import models
from programs.api import serializers
from programs.fixtures_io import schema
from programs.models import kinds
from programs.models.kinds import Api, Field, Output
from programs.opendata import exports, jsonld, records
from tests.helpers import ROOT

LINK_KINDS = (
    kinds.PARTICIPATION,
    kinds.AFFILIATION,
    kinds.INVOLVEMENT,
    kinds.PROJECT_MEMBER,
    kinds.IDENTIFIER,
    kinds.CITATION,
)
ALL_KINDS = (*kinds.KINDS, *LINK_KINDS)


def owner_keys(kind: kinds.Kind) -> set[str]:
    """The keys to the records a link kind's rows are nested under (given by where they sit)."""
    if kind is kinds.CITATION:
        return {"content_type", "object_id"}  # the record cited, whatever its kind
    nesting = {owner.model for owner in ALL_KINDS for item in owner.items if getattr(item, "kind", None) is kind}
    return {f.name for f in kind.model._meta.concrete_fields if f.is_relation and f.related_model in nesting}


def model_fields(model) -> set[str]:
    """A model's fields: its columns and the many-to-many fields of its own (not through a link model)."""
    many = {f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created}
    return {f.name for f in model._meta.concrete_fields} | many


@pytest.mark.parametrize("kind", ALL_KINDS, ids=repr)
def test_every_field_of_a_model_is_declared_public_or_private(kind):
    declared = {item.name for item in kind.items} | set(kind.private) | set(kinds.BOOKKEEPING) | owner_keys(kind)
    assert model_fields(kind.model) - declared == set(), "declare it as an item, or among the kind's `private`"
    assert set(kind.private) <= model_fields(kind.model)
    assert not set(kind.private) & {item.name for item in kind.items}


@pytest.mark.parametrize("kind", ALL_KINDS, ids=repr)
def test_what_files_and_releases_carry_is_read_from_the_model(kind):
    for output in (Output.FIXTURE, Output.RELEASE):
        stored = [item for item in kind.carried(output) if not isinstance(item, kinds.Links)]
        assert {item.name for item in stored} <= model_fields(kind.model), output


@pytest.mark.parametrize("kind", ALL_KINDS, ids=repr)
def test_an_output_carries_each_item_once(kind):
    for output in Output:
        names = kind.names(output)
        assert len(names) == len(set(names)), output


def test_an_order_must_name_exactly_what_its_output_carries():
    export = kinds.SOURCE.orders[Output.EXPORT]
    with pytest.raises(ImproperlyConfigured, match=r"export order of source .* missing \['language'\]"):
        dataclasses.replace(kinds.SOURCE, orders={Output.EXPORT: tuple(n for n in export if n != "language")})
    with pytest.raises(ImproperlyConfigured, match=r"not carried \['author'\]"):
        dataclasses.replace(kinds.SOURCE, orders={Output.EXPORT: (*export, "author")})
    with pytest.raises(ImproperlyConfigured, match=r"repeated \['slug'\]"):
        dataclasses.replace(kinds.SOURCE, orders={Output.EXPORT: (*export, "slug")})
    # A field added to a kind whose release has an order of its own must be placed in it.
    added = Field("published_at", "When it was first published.")
    with pytest.raises(ImproperlyConfigured, match=r"release order of source .* missing \['published_at'\]"):
        dataclasses.replace(kinds.SOURCE, items=(*kinds.SOURCE.items, added))


def outputs_of(kind: kinds.Kind) -> dict[str, list[str]]:
    """The names each output gives for `kind`, as the outputs build them."""
    return {
        "fixture": list(schema.section(kind).fields),
        "release": [f.name for f in records.entity(kind).fields],
        "api": kind.api_fields(Api.DETAIL),
        "export": exports.kind_export(kind, "programs:program-list").header[:-1],  # without the permalink
    }


@pytest.mark.parametrize(
    ("carriers", "carried_by"),
    [
        ({}, {"fixture", "release", "api"}),  # a public field, in the API's lists too
        ({"export": True}, {"fixture", "release", "api", "export"}),
        ({"release": False, "api": None}, {"fixture"}),  # curated in the files, never public
        ({"fixture": False, "release": False, "api": None}, set()),  # what only curators see
    ],
)
def test_a_declared_field_reaches_the_outputs_it_names_in_order(carriers, carried_by):
    # `published_at` stands for a field just added to research areas, after their English name.
    items = list(kinds.RESEARCH_AREA.items)
    items.insert(items.index(kinds.RESEARCH_AREA.item("name_en")) + 1, Field("published_at", "Published.", **carriers))
    kind = dataclasses.replace(kinds.RESEARCH_AREA, items=tuple(items))
    before, after = outputs_of(kinds.RESEARCH_AREA), outputs_of(kind)
    for output, names in after.items():
        if output in carried_by:
            assert names == [*before[output][:3], "published_at", *before[output][3:]], output
        else:
            assert names == before[output], output


def test_descriptions_list_the_choices_the_models_have():
    kind = kinds.PROGRAM.describe(kinds.PROGRAM.item("kind"))
    assert kind == ", ".join(models.ProgramKind.values[:-1]) + f" or {models.ProgramKind.values[-1]}."
    role = records.BY_NAME["program"].links[1].fields[1]
    assert (role.name, role.description) == (
        "role",
        "sponsor, host, partner, funder, co_founder or participant (takes part without running it).",
    )
    qualifier = kinds.EDITION.describe(kinds.EDITION.item("recipient_count_qualifier"))
    assert all(f"{value.value} ({value.symbol})" in qualifier for value in models.Qualifier)
    identifiers = {links.name: links for links in records.BY_NAME["person"].links}["identifiers"]
    assert identifiers.fields[0].description == "The registry: orcid, wikidata, isni."


@pytest.mark.parametrize("entity", records.ENTITIES, ids=lambda entity: entity.name)
def test_every_field_a_release_gives_is_described(entity):
    for f in (*entity.fields, *(f for links in entity.links for f in links.fields), *records.CITATION_FIELDS):
        assert f.description.endswith(".") and "{" not in f.description, f.name
    # A citation's fields are also described in one sentence, each by its `brief`.
    assert all(item.brief for item in kinds.CITATION.carried(Output.RELEASE))


def test_a_bilingual_pair_is_a_declared_one():
    assert kinds.PERSON.pair("headline") == ("headline", "headline_en")
    with pytest.raises(LookupError, match="not a bilingual pair"):
        kinds.PROGRAM.pair("kind")
    person = models.Person(name="李四", name_en="Li Si", headline="教授")
    assert jsonld.bilingual(person, "name") == [
        {"@value": "李四", "@language": "zh-Hans"},
        {"@value": "Li Si", "@language": "en"},
    ]
    assert jsonld.bilingual(person, "headline") == [{"@value": "教授", "@language": "zh-Hans"}]


def model_serializers():
    for _name, serializer in inspect.getmembers(serializers, inspect.isclass):
        if issubclass(serializer, drf.ModelSerializer) and hasattr(serializer, "Meta"):
            yield serializer


@pytest.mark.parametrize("serializer", list(model_serializers()), ids=lambda serializer: serializer.__name__)
def test_what_the_api_nests_or_counts_its_serializer_says_how(serializer):
    """ModelSerializer would build a field it is not given from the model (a bare id for a reference):
    every item but a record's own plain value is declared by the serializer."""
    kind = kinds.BY_MODEL[serializer.Meta.model]
    for name in serializer.Meta.fields:
        item = next((item for item in kind.items if item.name == name), None)
        if item is not None and not (type(item) is Field and kind.is_value(item)):
            assert name in serializer._declared_fields, name


def admin_fields(model_admin, rf, admin_user) -> set[str]:
    request = rf.get("/")
    request.user = admin_user
    return set(flatten_fieldsets(model_admin.get_fieldsets(request)))


@pytest.mark.parametrize("kind", kinds.KINDS, ids=repr)
def test_curators_edit_every_field_the_files_carry(kind, rf, admin_user):
    carried = {item.name for item in kind.carried(Output.FIXTURE) if not isinstance(item, kinds.Links)}
    assert carried <= admin_fields(admin.site._registry[kind.model], rf, admin_user)


@pytest.mark.parametrize("kind", LINK_KINDS, ids=repr)
def test_curators_edit_every_field_of_a_link_where_it_is_nested(kind, rf, admin_user):
    carried = set(kind.names(Output.FIXTURE))
    inlines = [
        (parent, inline)
        for parent, model_admin in admin.site._registry.items()
        for inline in model_admin.inlines
        if inline.model is kind.model
    ]
    assert inlines
    for parent, inline in inlines:
        to_parent = {f.name for f in kind.model._meta.concrete_fields if f.is_relation and f.related_model is parent}
        assert carried - to_parent <= set(inline.fields), (parent, inline)


def test_the_fixture_format_documents_each_section_as_declared():
    """docs/fixtures.md's table of sections: their required and optional fields (identifiers have a row
    of their own)."""
    text = (ROOT / "docs" / "fixtures.md").read_text(encoding="utf-8")
    rows = {
        name: (required, optional)
        for name, required, optional in re.findall(r"^\| `(\w+)` \| ([^|]*) \| ([^|]*) \|", text, re.MULTILINE)
    }
    for section in schema.SECTIONS:
        required, optional = rows[section.name]
        names = {*section.fields, *(link.name for link in section.links)} - {"identifiers"}
        assert set(required.split(", ")) == set(section.required), section.name
        assert set(optional.split(", ")) == names - set(section.required), section.name
