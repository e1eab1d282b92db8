"""The seven kinds of public record, each declared once: its fields, what it nests, and which
outputs carry each item (programs/models/kinds/declaration.py says how to read them).

Items come in the order of the fixture files; `orders` gives an output's own order where it
differs. Descriptions are the data release's README (English, for the open-data reader).
"""

from programs.models import Edition, Organization, Person, Program, Project, ResearchArea, Source
from programs.models.kinds.declaration import (
    EN,
    QUALIFIERS,
    ZH,
    Api,
    Field,
    Kind,
    Links,
    Output,
    Ref,
    Refs,
    api_only,
    bilingual,
    export_only,
)
from programs.models.kinds.links import AFFILIATION, IDENTIFIER, INVOLVEMENT, PARTICIPATION, PROJECT_MEMBER

# Items many kinds share.

QUALIFIED = f"{QUALIFIERS} when the sources give no exact figure, else blank."


def slug(where: str = "", **carriers) -> Field:
    """A record's permanent identifier, with `where` it leads (its page)."""
    description = f"The record's permanent identifier; {where}." if where else "The record's permanent identifier."
    return Field("slug", description, api=Api.SUMMARY, **carriers)


def qualifier(name: str, figure: str) -> Field:
    return Field(f"{name}_qualifier", f"The {figure}' qualifier: {QUALIFIED}")


def money(**carriers) -> tuple[Field, ...]:
    """An amount with its qualifier, currency and basis; `carriers` for the amount and currency."""
    return (
        Field("amount", "A sum of money, as a decimal number, or null.", **carriers),
        Field("amount_qualifier", f"The amount's qualifier: {QUALIFIED}"),
        Field("currency", "The amount's currency, an ISO 4217 code (CNY, USD…), or blank.", **carriers),
        Field("amount_basis", "What the amount is counted per: {choices}; or blank."),
    )


DESCRIPTIVE = Field(
    "name_is_descriptive",
    "true when no source names the record: its name describes it and is no official title.",
    api=Api.SUMMARY,
)
YEARS_NOT_IN_SOURCES = Field("years_not_in_sources", "true when no source gives the record's years.")
ALIASES = Field("aliases", "Other names and abbreviations (a list; in CSV joined with '; ').")
STATUS = Field("status", release=False, api=None)  # draft or published: only published records go out
IDENTIFIERS = Links("identifiers", "The record's identifiers in external registries.", kind=IDENTIFIER)
DATES = (
    Field("created_at", "When the record was added to the tracker (ISO 8601, UTC).", fixture=False),
    Field("updated_at", "When the record was last changed (ISO 8601, UTC).", fixture=False),
)


PROGRAM = Kind(
    name="program",
    model=Program,
    plural="programs",
    description="Collaboration vehicles between academia and industry: joint labs, funds, awards, scholarships…",
    items=(
        slug("its page is /programs/<slug>/", export=True),
        *bilingual("name", "Name in Simplified Chinese.", "Name in English, or blank.", api=Api.SUMMARY, export=True),
        Field("name_en_is_official", release=False, api=None),  # the organiser's own English name: kept as spelt
        DESCRIPTIVE,
        ALIASES,
        Field("kind", "{choices}.", api=Api.SUMMARY, export=True),
        Ref("parent", "The slug of the programme it is part of, or null.", target="program", api=Api.DETAIL),
        *bilingual(
            "summary", "Summary in Simplified Chinese, or blank.", "Summary in English, or blank.", api=Api.DETAIL
        ),
        Field("start_year", "The year it started, or null.", export=True),
        Field("end_year", "The year it ended, or null.", export=True),
        YEARS_NOT_IN_SOURCES,
        Field("lifecycle", "{choices}.", export=True),
        Field("website", "Its website, or blank.", export=True),
        *money(export=True),
        Refs("research_areas", "The slugs of the programme's research areas.", target="research_area", export=True),
        Field("participants_not_in_sources", "true when no source names an organization taking part."),
        STATUS,
        Links("participants", "The organizations taking part, each with its role.", kind=PARTICIPATION),
        IDENTIFIERS,
        *api_only("children", "editions", "people", "projects", "citations"),
        *export_only("sponsors", "sponsors_en", "partners", "partners_en"),  # participants' names by role
        *DATES,
    ),
    orders={
        Output.RELEASE: (
            "slug", "name", "name_en", "aliases", "kind", "summary", "summary_en", "start_year", "end_year",
            "lifecycle", "website", "amount", "amount_qualifier", "currency", "amount_basis", "name_is_descriptive",
            "years_not_in_sources", "participants_not_in_sources", "parent", "created_at", "updated_at",
            "research_areas", "participants", "identifiers",
        ),
        Output.API: (
            "slug", "name", "name_en", "name_is_descriptive", "aliases", "kind", "summary", "summary_en", "lifecycle",
            "start_year", "end_year", "years_not_in_sources", "amount", "amount_qualifier", "currency",
            "amount_basis", "website", "participants", "participants_not_in_sources", "research_areas", "identifiers",
            "parent", "children", "editions", "people", "projects", "citations", "created_at", "updated_at",
        ),
        Output.EXPORT: (
            "slug", "name", "name_en", "kind", "lifecycle", "start_year", "end_year", "sponsors", "sponsors_en",
            "partners", "partners_en", "research_areas", "amount", "currency", "website",
        ),
    },
)  # fmt: skip

ORGANIZATION = Kind(
    name="organization",
    model=Organization,
    plural="organizations",
    description="Universities, companies, research institutes, public bodies and their units.",
    items=(
        slug("its page is /organizations/<slug>/", export=True),
        *bilingual("name", "Name in Simplified Chinese.", "Name in English, or blank.", api=Api.SUMMARY, export=True),
        DESCRIPTIVE,
        Field("short_name", "A short name, or blank."),
        ALIASES,
        Field("kind", "{choices}.", api=Api.SUMMARY, export=True),
        Ref("parent", "The slug of the organization it belongs to, or null.", target="organization"),
        Field("country", "ISO 3166-1 alpha-2 country code, or blank.", export=True),
        Field("city", "City, or blank.", export=True),
        Field("website", "Its website, or blank.", export=True),
        *bilingual(
            "description", "Description in Simplified Chinese, or blank.", "Description in English, or blank.",
            api=Api.DETAIL,
        ),
        STATUS,
        IDENTIFIERS,
        Field("program_count", fixture=False, release=False, export=True),  # counted when read
        *api_only("units", "programs", "people", "people_count", "citations"),
        *DATES,
    ),
    orders={
        Output.RELEASE: (
            "slug", "name", "name_en", "short_name", "aliases", "kind", "country", "city", "website", "parent",
            "description", "description_en", "name_is_descriptive", "created_at", "updated_at", "identifiers",
        ),
        Output.API: (
            "slug", "name", "name_en", "name_is_descriptive", "short_name", "aliases", "kind", "country", "city",
            "website", "parent", "program_count", "identifiers", "description", "description_en", "units",
            "programs", "people", "people_count", "citations", "created_at", "updated_at",
        ),
        Output.EXPORT: ("slug", "name", "name_en", "kind", "country", "city", "program_count", "website"),
    },
)  # fmt: skip

PERSON = Kind(
    name="person",
    model=Person,
    plural="people",
    description="Researchers, engineers and managers named by the sources.",
    items=(
        slug("its page is /people/<slug>/", export=True),
        *bilingual("name", "Name in Chinese.", "Name in English, or blank.", api=Api.SUMMARY, export=True),
        *bilingual(
            "headline", "Current position in Chinese, or blank.", "Current position in English, or blank.", export=True
        ),
        Field("homepage", "A homepage, or blank.", export=True),
        *bilingual("bio", "Biography in Chinese, or blank.", "Biography in English, or blank.", api=Api.DETAIL),
        STATUS,
        Links("affiliations", "The person's career: positions at organizations.", kind=AFFILIATION),
        Links("involvements", "The person's parts in programmes.", kind=INVOLVEMENT, api=Api.DETAIL),
        IDENTIFIERS,
        *api_only("projects", "citations"),
        *DATES,
    ),
    orders={
        Output.API: (
            "slug", "name", "name_en", "headline", "headline_en", "homepage", "affiliations", "identifiers", "bio",
            "bio_en", "involvements", "projects", "citations", "created_at", "updated_at",
        ),
    },
)  # fmt: skip

PROJECT = Kind(
    name="project",
    model=Project,
    plural="projects",
    description="Research projects funded or run through a programme.",
    items=(
        slug("its page is /projects/<slug>/", export=True),
        *bilingual("title", "Title in Chinese.", "Title in English, or blank.", api=Api.SUMMARY, export=True),
        DESCRIPTIVE,
        Ref("program", "The slug of the programme it belongs to.", target="program", public=True, export=True),
        Ref("edition", "The slug of the programme's edition (round), or null.", target="edition"),
        Field("year", "The year, or null.", api=Api.SUMMARY, export=True),
        YEARS_NOT_IN_SOURCES,
        *bilingual("summary", "Summary in Chinese, or blank.", "Summary in English, or blank.", api=Api.DETAIL),
        *bilingual("outcomes", "Outcomes in Chinese, or blank.", "Outcomes in English, or blank.", api=Api.DETAIL),
        STATUS,
        Links("members", "The people working on the project.", kind=PROJECT_MEMBER, api=Api.DETAIL),
        *api_only("citations"),
        *DATES,
    ),
    orders={
        Output.RELEASE: (
            "slug", "title", "title_en", "program", "edition", "summary", "summary_en", "year", "outcomes",
            "outcomes_en", "name_is_descriptive", "years_not_in_sources", "created_at", "updated_at", "members",
        ),
        Output.API: (
            "slug", "title", "title_en", "name_is_descriptive", "year", "years_not_in_sources", "program", "edition",
            "summary", "summary_en", "outcomes", "outcomes_en", "members", "citations", "created_at", "updated_at",
        ),
    },
)  # fmt: skip

EDITION = Kind(
    name="edition",
    model=Edition,
    plural="editions",
    description="Rounds of the programmes, with their counts and money.",
    status="program__status",
    items=(
        slug(),
        Ref("program", "The slug of its programme.", target="program", public=True),
        Field("year", "The year of the round, or null.", api=Api.SUMMARY),
        *bilingual(
            "label", "How the programme names the round, in Chinese (e.g. 第二届).", "The label in English, or blank.",
            api=Api.SUMMARY,
        ),
        Field("recipient_count", "Awardees, scholars, fellows or interns selected, or null."),
        qualifier("recipient_count", "recipients"),
        Field("project_count", "Projects selected, or null."),
        qualifier("project_count", "projects"),
        Field("application_count", "Applications received, or null."),
        qualifier("application_count", "applications"),
        *money(),
        *bilingual("notes", "Notes in Chinese, or blank.", "Notes in English, or blank.", api=Api.DETAIL),
        *api_only("people", "projects", "citations"),
        *DATES,
    ),
)  # fmt: skip

RESEARCH_AREA = Kind(
    name="research_area",
    model=ResearchArea,
    plural="research_areas",
    description="Research fields that programmes fund or study.",
    items=(
        slug("/programs/?research_area=<slug> lists its programmes"),
        *bilingual("name", "Name in Chinese.", "Name in English, or blank.", api=Api.SUMMARY),
        Field("program_count", fixture=False, release=False),  # counted when read
        *bilingual(
            "description", "Description in Chinese, or blank.", "Description in English, or blank.", api=Api.DETAIL
        ),
        STATUS,
        *api_only("programs", "citations"),
        *DATES,
    ),
)  # fmt: skip

SOURCE = Kind(
    name="source",
    model=Source,
    plural="sources",
    description="The articles every fact comes from.",
    items=(
        slug("its page is /sources/<slug>/", export=True),
        *bilingual("title", "The article's title.", "The title in English, or blank.", api=Api.SUMMARY, export=True),
        DESCRIPTIVE,
        Field("publisher", "Who published it, or blank.", language=ZH, api=Api.SUMMARY, export=True),
        Field("publisher_en", "The publisher in English, or blank.", language=EN),
        Field("author", "Its author, or blank."),
        Field("published_on", "The date it was published (ISO 8601), or null.", api=Api.SUMMARY, export=True),
        Field("url", "Where it can be read, or blank.", api=Api.SUMMARY, export="article_url"),
        Field("language", "{choices}.", export=True),
        *bilingual("summary", "Summary in Chinese, or blank.", "Summary in English, or blank.", api=Api.DETAIL),
        STATUS,
        *api_only("citations"),  # the records citing it
        *DATES,
    ),
    orders={
        Output.RELEASE: (
            "slug", "title", "title_en", "publisher", "publisher_en", "author", "published_on", "url", "language",
            "summary", "summary_en", "name_is_descriptive", "created_at", "updated_at",
        ),
        Output.EXPORT: ("slug", "title", "title_en", "publisher", "published_on", "language", "url"),
    },
    private=("text", "dismissed_proposals"),  # the article workspace's: for curators only (copyright)
)  # fmt: skip

KINDS = (PROGRAM, ORGANIZATION, PERSON, PROJECT, EDITION, RESEARCH_AREA, SOURCE)
