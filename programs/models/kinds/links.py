"""The kinds of rows nested under a record: the links between records, identifiers and citations.

A link row is public when the records it joins are (`Ref(public=True)`); the record it is
nested under (its owner: a programme's participations, a person's affiliations) is the one
whose model the row's foreign key names.
"""

from programs.models import Affiliation, Citation, Identifier, Involvement, Participation, ProjectMember
from programs.models.kinds.declaration import Api, Field, Kind, Output, Ref, api_only

PARTICIPATION = Kind(
    name="participation",
    model=Participation,
    plural="participations",
    items=(
        Ref("program", "The programme's slug.", target="program", public=True),
        Ref("organization", "The organization's slug.", target="organization", public=True),
        Field("role", "{choices} (takes part without running it)."),
        Field("note", "A note on the role, or blank.", api=None),
    ),
    private=("created_at", "updated_at"),
)

AFFILIATION = Kind(
    name="affiliation",
    model=Affiliation,
    plural="affiliations",
    items=(
        Ref("person", "The person's slug.", target="person", public=True),
        Ref("organization", "The organization's slug.", target="organization", public=True),
        Field("title", "The position in Chinese, or blank."),
        Field("title_en", "The position in English, or blank."),
        Field("start_year", "The year it started, or null."),
        Field("end_year", "The year it ended, or null."),
        Field("is_current", "true when the source says the person holds it now."),
        Field("note", "A note, or blank.", api=None),
    ),
    private=("created_at", "updated_at"),
)

INVOLVEMENT = Kind(
    name="involvement",
    model=Involvement,
    plural="involvements",
    items=(
        Ref("person", "The person's slug.", target="person", public=True),
        Ref("program", "The programme's slug.", target="program", public=True),
        Ref("edition", "The slug of the edition (round), or null.", target="edition"),
        Field("role", "{choices}."),
        Field("year", "The year, or null."),
        Field("note", "A note, or blank.", api=None),
    ),
    orders={Output.API: ("person", "program", "role", "year", "edition")},
    private=("created_at", "updated_at"),
)

PROJECT_MEMBER = Kind(
    name="project_member",
    model=ProjectMember,
    plural="project_members",
    items=(
        Ref("project", "The project's slug.", target="project", public=True),
        Ref("person", "The person's slug.", target="person", public=True),
        Ref("organization", "The slug of the organization they represented, or null.", target="organization"),
        Field("role", "{choices}."),
    ),
    orders={Output.API: ("project", "person", "role", "organization")},
    private=("created_at", "updated_at"),
)

# The identifiers of organizations, people and programmes: registries, not articles, give them
# (no citations). "{schemes}" is the schemes of the record's kind.
IDENTIFIER = Kind(
    name="identifier",
    model=Identifier,
    plural="identifiers",
    items=(
        Field("scheme", "The registry: {schemes}."),
        Field("value", "The identifier, in its registry's canonical form."),
        *api_only("url", level=Api.LIST),
    ),
    private=("created_at", "updated_at"),
    per_owner=True,
)

CITATION = Kind(
    name="citation",
    model=Citation,
    plural="citations",
    items=(
        Ref(
            "source",
            "The source's slug (`sources.jsonl`).",
            target="source",
            public=True,
            brief="the source's slug",
        ),
        Field("quote", "The sentence of the source that supports the record.", brief="the supporting sentence"),
        Field(
            "quote_repaired",
            "true when the quote repairs the article's conversion noise, so it differs from the page.",
            brief="true when the quote repairs the article's conversion noise, so it differs from the page",
        ),
        Field("locator", "Where in the source, or blank.", brief="where in the source, or blank"),
    ),
    private=("created_at", "updated_at"),
)
