"""Published records as open data: the one shape that releases and the changes API both give.

Each kind of record (`Entity`) is its own fields, read with `values()`, plus the link rows nested
under it (`Links`: a programme's participants, a person's affiliations…) and the citations of
both, each with its source. Only what is public is there: a record's links and references name
published records only, citations come from published sources, and a reference to a draft is
null. Records are read a chunk at a time (`rows()`), with one query per linked table per
chunk, so that memory stays bounded however many there are.

Every field carries its description: the release's README lists them.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from programs.models.querysets import PUBLISHED
from programs.models.schemes import SCHEMES_OF
from programs.reads.chunks import chunks

CHUNK_SIZE = 2000


def plain(value):
    """A value as JSON holds it: dates and times in ISO 8601, amounts as decimal strings."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass(frozen=True)
class Field:
    """One value of a row: `name` in the files, read from the `values()` keys `reads`."""

    name: str
    description: str
    reads: tuple[str, ...] = ()
    value: Callable[[dict], object] | None = None
    relation: str = ""  # the foreign key whose record's slug this is (so the row changes with that record)

    @property
    def lookups(self) -> tuple[str, ...]:
        return self.reads or (self.name,)

    def of(self, row: dict):
        return self.value(row) if self.value else plain(row[self.name])


def reference(name: str, description: str, status: str = "") -> Field:
    """The slug of the record `name` points at, or null when there is none or it is not public.

    `status` is where that record's publication is read (its own `status` by default; an
    edition's is its programme's).
    """
    status = status or f"{name}__status"

    def value(row):
        return row[f"{name}__slug"] if row[status] == PUBLISHED else None

    return Field(name, description, reads=(f"{name}__slug", status), value=value, relation=name)


def owner_slug(name: str, description: str, relation: str = "") -> Field:
    """The slug of a record that is public whenever the row is (a project's programme).

    `relation` is the model's name for it, when the files name it otherwise.
    """
    relation = relation or name
    lookup = f"{relation}__slug"
    return Field(name, description, reads=(lookup,), value=lambda row: row[lookup], relation=relation)


CREATED = Field("created_at", "When the record was added to the tracker (ISO 8601, UTC).")
UPDATED = Field("updated_at", "When the record was last changed (ISO 8601, UTC).")
QUALIFIER = "at_least (≥) or about (≈) when the sources give no exact figure, else blank."
DESCRIPTIVE = Field(
    "name_is_descriptive", "true when no source names the record: its name describes it and is no official title."
)
YEARS_NOT_IN_SOURCES = Field("years_not_in_sources", "true when no source gives the record's years.")
AMOUNT = (
    Field("amount", "A sum of money, as a decimal number, or null."),
    Field("amount_qualifier", f"The amount's qualifier: {QUALIFIER}"),
    Field("currency", "The amount's currency, an ISO 4217 code (CNY, USD…), or blank."),
    Field("amount_basis", "What the amount is counted per: per_person, per_project, per_year or total; or blank."),
)


def identifiers_of(owner: str) -> "Links":
    """A record's identifiers in external registries (registries, not articles, give them: no citations)."""
    return Links(
        name="identifiers",
        record_type=f"{owner}_identifier",
        file=f"{owner}_identifiers",
        model_name="Identifier",
        owner=owner,
        fields=(
            Field("scheme", f"The registry: {', '.join(SCHEMES_OF[owner])}."),
            Field("value", "The identifier, in its registry's canonical form."),
        ),
        filter={},
        order=("scheme", "value"),
        description="The record's identifiers in external registries.",
        citable=False,
    )


CITATIONS_DESCRIPTION = (
    "The published sources supporting the record: each with `source` (the source's slug), `quote` "
    "(the supporting sentence), `quote_repaired` (true when the quote repairs the article's conversion "
    "noise, so it differs from the page) and `locator` (where in the source, or blank)."
)


@dataclass(frozen=True)
class Links:
    """Link rows nested under their record (`owner`), public when the records they join are.

    `filter` keeps the public rows (the owner is public already); `key` names the fields that
    identify a row in citations.csv.
    """

    name: str
    file: str
    model_name: str
    owner: str
    fields: tuple[Field, ...]
    filter: dict
    record_type: str  # how citations.csv names such a row
    order: tuple
    description: str
    key: tuple[str, ...] = ()
    citable: bool = True
    flat: bool = False  # a list of the single field's values rather than of objects

    @property
    def model(self):
        return apps.get_model("programs", self.model_name)


@dataclass(frozen=True)
class Entity:
    """A kind of public record: `name` in the changes API, `file` the release's files."""

    name: str
    file: str
    model_name: str
    description: str
    fields: tuple[Field, ...]
    links: tuple[Links, ...] = ()
    citable: bool = True

    @property
    def model(self):
        return apps.get_model("programs", self.model_name)

    def published(self):
        return self.model.objects.published()

    @property
    def columns(self) -> list[str]:
        """The CSV columns: the record's own fields."""
        return [f.name for f in self.fields]


PROGRAM = Entity(
    name="program",
    file="programs",
    model_name="Program",
    description="Collaboration vehicles between academia and industry: joint labs, funds, awards, scholarships…",
    fields=(
        Field("slug", "The record's permanent identifier; its page is /programs/<slug>/."),
        Field("name", "Name in Simplified Chinese."),
        Field("name_en", "Name in English, or blank."),
        Field("aliases", "Other names and abbreviations (a list; in CSV joined with '; ')."),
        Field(
            "kind",
            "joint_lab, research_fund, award, scholarship, postdoc_station, internship, talent_program, "
            "training_base, alliance, competition, open_platform or other.",
        ),
        Field("summary", "Summary in Simplified Chinese, or blank."),
        Field("summary_en", "Summary in English, or blank."),
        Field("start_year", "The year it started, or null."),
        Field("end_year", "The year it ended, or null."),
        Field("lifecycle", "active, ended, announced or unknown."),
        Field("website", "Its website, or blank."),
        *AMOUNT,
        DESCRIPTIVE,
        YEARS_NOT_IN_SOURCES,
        Field("participants_not_in_sources", "true when no source names an organization taking part."),
        reference("parent", "The slug of the programme it is part of, or null."),
        CREATED,
        UPDATED,
    ),
    links=(
        Links(
            name="research_areas",
            record_type="program_research_area",
            file="program_research_areas",
            model_name="Program_research_areas",
            owner="program",
            fields=(owner_slug("research_area", "A research area's slug.", relation="researcharea"),),
            filter={"researcharea__status": PUBLISHED},
            order=("researcharea__slug",),
            description="The slugs of the programme's research areas.",
            citable=False,
            flat=True,
        ),
        Links(
            name="participants",
            record_type="participation",
            file="participations",
            model_name="Participation",
            owner="program",
            fields=(
                owner_slug("organization", "The organization's slug."),
                Field(
                    "role", "sponsor, host, partner, funder, co_founder or participant (takes part without running it)."
                ),
                Field("note", "A note on the role, or blank."),
            ),
            filter={"organization__status": PUBLISHED},
            order=("role", "organization__slug", "pk"),
            description="The organizations taking part, each with its role.",
            key=("program", "organization", "role"),
        ),
        identifiers_of("program"),
    ),
)

ORGANIZATION = Entity(
    name="organization",
    file="organizations",
    model_name="Organization",
    description="Universities, companies, research institutes, public bodies and their units.",
    fields=(
        Field("slug", "The record's permanent identifier; its page is /organizations/<slug>/."),
        Field("name", "Name in Simplified Chinese."),
        Field("name_en", "Name in English, or blank."),
        Field("short_name", "A short name, or blank."),
        Field("aliases", "Other names and abbreviations (a list; in CSV joined with '; ')."),
        Field("kind", "university, company, research_institute, government, nonprofit or other."),
        Field("country", "ISO 3166-1 alpha-2 country code, or blank."),
        Field("city", "City, or blank."),
        Field("website", "Its website, or blank."),
        reference("parent", "The slug of the organization it belongs to, or null."),
        Field("description", "Description in Simplified Chinese, or blank."),
        Field("description_en", "Description in English, or blank."),
        DESCRIPTIVE,
        CREATED,
        UPDATED,
    ),
    links=(identifiers_of("organization"),),
)

PERSON = Entity(
    name="person",
    file="people",
    model_name="Person",
    description="Researchers, engineers and managers named by the sources.",
    fields=(
        Field("slug", "The record's permanent identifier; its page is /people/<slug>/."),
        Field("name", "Name in Chinese."),
        Field("name_en", "Name in English, or blank."),
        Field("headline", "Current position in Chinese, or blank."),
        Field("headline_en", "Current position in English, or blank."),
        Field("homepage", "A homepage, or blank."),
        Field("bio", "Biography in Chinese, or blank."),
        Field("bio_en", "Biography in English, or blank."),
        CREATED,
        UPDATED,
    ),
    links=(
        Links(
            name="affiliations",
            record_type="affiliation",
            file="affiliations",
            model_name="Affiliation",
            owner="person",
            fields=(
                owner_slug("organization", "The organization's slug."),
                Field("title", "The position in Chinese, or blank."),
                Field("title_en", "The position in English, or blank."),
                Field("start_year", "The year it started, or null."),
                Field("end_year", "The year it ended, or null."),
                Field("is_current", "true when the source says the person holds it now."),
                Field("note", "A note, or blank."),
            ),
            filter={"organization__status": PUBLISHED},
            order=(F("start_year").asc(nulls_first=True), "pk"),
            description="The person's career: positions at organizations.",
            key=("person", "organization", "title"),
        ),
        Links(
            name="involvements",
            record_type="involvement",
            file="involvements",
            model_name="Involvement",
            owner="person",
            fields=(
                owner_slug("program", "The programme's slug."),
                reference("edition", "The slug of the edition (round), or null.", status="edition__program__status"),
                Field("role", "awardee, scholar, fellow, intern, postdoc, lead, mentor or member."),
                Field("year", "The year, or null."),
                Field("note", "A note, or blank."),
            ),
            filter={"program__status": PUBLISHED},
            order=("program__slug", "role", F("year").asc(nulls_first=True), "pk"),
            description="The person's parts in programmes.",
            key=("person", "program", "role", "edition"),
        ),
        identifiers_of("person"),
    ),
)

PROJECT = Entity(
    name="project",
    file="projects",
    model_name="Project",
    description="Research projects funded or run through a programme.",
    fields=(
        Field("slug", "The record's permanent identifier; its page is /projects/<slug>/."),
        Field("title", "Title in Chinese."),
        Field("title_en", "Title in English, or blank."),
        owner_slug("program", "The slug of the programme it belongs to."),
        reference(
            "edition", "The slug of the programme's edition (round), or null.", status="edition__program__status"
        ),
        Field("summary", "Summary in Chinese, or blank."),
        Field("summary_en", "Summary in English, or blank."),
        Field("year", "The year, or null."),
        Field("outcomes", "Outcomes in Chinese, or blank."),
        Field("outcomes_en", "Outcomes in English, or blank."),
        DESCRIPTIVE,
        YEARS_NOT_IN_SOURCES,
        CREATED,
        UPDATED,
    ),
    links=(
        Links(
            name="members",
            record_type="project_member",
            file="project_members",
            model_name="ProjectMember",
            owner="project",
            fields=(
                owner_slug("person", "The person's slug."),
                reference("organization", "The slug of the organization they represented, or null."),
                Field("role", "lead, member or industry_lead."),
            ),
            filter={"person__status": PUBLISHED},
            order=("role", "person__slug", "pk"),
            description="The people working on the project.",
            key=("project", "person"),
        ),
    ),
)

EDITION = Entity(
    name="edition",
    file="editions",
    model_name="Edition",
    description="Rounds of the programmes, with their counts and money.",
    fields=(
        Field("slug", "The record's permanent identifier."),
        owner_slug("program", "The slug of its programme."),
        Field("year", "The year of the round, or null."),
        Field("label", "How the programme names the round, in Chinese (e.g. 第二届)."),
        Field("label_en", "The label in English, or blank."),
        Field("recipient_count", "Awardees, scholars, fellows or interns selected, or null."),
        Field("recipient_count_qualifier", f"The recipients' qualifier: {QUALIFIER}"),
        Field("project_count", "Projects selected, or null."),
        Field("project_count_qualifier", f"The projects' qualifier: {QUALIFIER}"),
        Field("application_count", "Applications received, or null."),
        Field("application_count_qualifier", f"The applications' qualifier: {QUALIFIER}"),
        *AMOUNT,
        Field("notes", "Notes in Chinese, or blank."),
        Field("notes_en", "Notes in English, or blank."),
        CREATED,
        UPDATED,
    ),
)

RESEARCH_AREA = Entity(
    name="research_area",
    file="research_areas",
    model_name="ResearchArea",
    description="Research fields that programmes fund or study.",
    fields=(
        Field("slug", "The record's permanent identifier; /programs/?research_area=<slug> lists its programmes."),
        Field("name", "Name in Chinese."),
        Field("name_en", "Name in English, or blank."),
        Field("description", "Description in Chinese, or blank."),
        Field("description_en", "Description in English, or blank."),
        CREATED,
        UPDATED,
    ),
)

SOURCE = Entity(
    name="source",
    file="sources",
    model_name="Source",
    description="The articles every fact comes from.",
    fields=(
        Field("slug", "The record's permanent identifier; its page is /sources/<slug>/."),
        Field("title", "The article's title."),
        Field("title_en", "The title in English, or blank."),
        Field("publisher", "Who published it, or blank."),
        Field("publisher_en", "The publisher in English, or blank."),
        Field("author", "Its author, or blank."),
        Field("published_on", "The date it was published (ISO 8601), or null."),
        Field("url", "Where it can be read, or blank."),
        Field("language", "zh-Hans, zh-Hant or en."),
        Field("summary", "Summary in Chinese, or blank."),
        Field("summary_en", "Summary in English, or blank."),
        DESCRIPTIVE,
        CREATED,
        UPDATED,
    ),
    citable=False,
)

ENTITIES = (PROGRAM, ORGANIZATION, PERSON, PROJECT, EDITION, RESEARCH_AREA, SOURCE)
BY_NAME = {entity.name: entity for entity in ENTITIES}


def rows(entity: Entity, queryset, chunk_size: int = CHUNK_SIZE) -> Iterator[list[tuple[int, dict]]]:
    """The records of `queryset` (published ones of `entity`) as (pk, row) pairs, a chunk at a time."""
    lookups = list(dict.fromkeys(["pk", *(lookup for f in entity.fields for lookup in f.lookups)]))
    for chunk in chunks(queryset.values(*lookups), chunk_size):
        ids = [record["pk"] for record in chunk]
        built = [(record["pk"], {f.name: f.of(record) for f in entity.fields}) for record in chunk]
        by_pk = dict(built)
        for links in entity.links:
            _attach_links(entity, links, ids, by_pk)
        if entity.citable:
            for pk, citations in _citations(entity.model, ids).items():
                by_pk[pk]["citations"] = citations
            for row in by_pk.values():
                row.setdefault("citations", [])
        yield built


def _attach_links(entity: Entity, links: Links, ids: list[int], by_pk: dict) -> None:
    for row in by_pk.values():
        row[links.name] = []
    lookups = list(dict.fromkeys(["pk", f"{links.owner}_id", *(x for f in links.fields for x in f.lookups)]))
    found = list(
        links.model.objects.filter(**{f"{links.owner}_id__in": ids}, **links.filter)
        .order_by(*links.order)
        .values(*lookups)
    )
    citations = _citations(links.model, [row["pk"] for row in found]) if links.citable else {}
    for row in found:
        nested = {f.name: f.of(row) for f in links.fields}
        if links.flat:
            (value,) = nested.values()
            by_pk[row[f"{links.owner}_id"]][links.name].append(value)
            continue
        if links.citable:
            nested["citations"] = citations.get(row["pk"], [])
        by_pk[row[f"{links.owner}_id"]][links.name].append(nested)


def _citations(model, ids: Iterable[int]) -> dict[int, list[dict]]:
    """The published citations of the `model` records `ids`, by record, each with its source's slug."""
    ids = list(ids)
    if not ids:
        return {}
    found = (
        apps.get_model("programs", "Citation")
        .objects.published()
        .filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
        .order_by("source__slug", "pk")
        .values_list("object_id", "source__slug", "quote", "quote_repaired", "locator")
    )
    citations: dict[int, list[dict]] = {}
    for object_id, source, quote, repaired, locator in found:
        citations.setdefault(object_id, []).append(
            {"source": source, "quote": quote, "quote_repaired": repaired, "locator": locator}
        )
    return citations


def content(entity: Entity, ids: Iterable[int]) -> dict[int, dict]:
    """The rows of the published records `ids` of `entity`, by pk (those not public are left out)."""
    ids = list(ids)
    if not ids:
        return {}
    found: dict[int, dict] = {}
    for chunk in rows(entity, entity.published().filter(pk__in=ids).order_by("pk")):
        found.update(chunk)
    return found
