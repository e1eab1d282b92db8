"""schema.org descriptions of the public records and of the data releases, as JSON-LD.

Each record page carries its record as a schema.org node: a programme as a `MonetaryGrant` or
`Grant` (funds, scholarships, awards: with `funder` and `amount`), a `ResearchOrganization`,
`EducationalOccupationalProgram`, `Consortium`, `Event`, `Service` or `Project` by its kind; an
organization as `CollegeOrUniversity`, `Corporation`, `ResearchOrganization`,
`GovernmentOrganization`, `NGO` or `Organization`; a person as a `Person` with `affiliation`; a
project as a `ResearchProject` with its `funding`; a source as an `Article`. Names and texts come
in both languages, tagged: which fields pair up, and their languages, are the kinds' declarations
(programs/models/kinds/). Related records are named by their page's address (`@id`), and the
sources a record cites by `citation`. Only published records appear, related ones included.
Which schema.org property each field gives is written here, node by node (docs/architecture.md,
"Record kinds", says why).

Built from what a page's `for_detail()` loads. `script()` writes it as a data block
(`<script type="application/ld+json">`, which no browser runs: the strict CSP allows it), with
`<`, `>` and `&` escaped as json_script does, so that no text can end the block.
"""

import json
from collections.abc import Callable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from programs.models import OrganizationKind, ProgramKind, kinds
from programs.models.base import CitableModel
from programs.models.querysets import SPONSOR_ROLES

CONTEXT = "https://schema.org"
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

GRANTS = {ProgramKind.RESEARCH_FUND, ProgramKind.SCHOLARSHIP, ProgramKind.AWARD}
PROGRAM_TYPES = {
    ProgramKind.JOINT_LAB: "ResearchOrganization",
    ProgramKind.INTERNSHIP: "EducationalOccupationalProgram",
    ProgramKind.POSTDOC_STATION: "EducationalOccupationalProgram",
    ProgramKind.TRAINING_BASE: "EducationalOccupationalProgram",
    ProgramKind.TALENT_PROGRAM: "EducationalOccupationalProgram",
    ProgramKind.ALLIANCE: "Consortium",
    ProgramKind.COMPETITION: "Event",
    ProgramKind.OPEN_PLATFORM: "Service",
}
ORGANIZATION_TYPES = {
    OrganizationKind.UNIVERSITY: "CollegeOrUniversity",
    OrganizationKind.COMPANY: "Corporation",
    OrganizationKind.RESEARCH_INSTITUTE: "ResearchOrganization",
    OrganizationKind.GOVERNMENT: "GovernmentOrganization",
    OrganizationKind.NONPROFIT: "NGO",
}


def script(data: dict) -> str:
    """`data` as a JSON-LD data block for a page."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


def texts(chinese: str, english: str = "") -> list[dict]:
    """A text in both languages, each tagged (English only where there is one)."""
    found = [{"@value": chinese, "@language": kinds.ZH}] if chinese else []
    return found + ([{"@value": english, "@language": kinds.EN}] if english else [])


def bilingual(record, name: str) -> list[dict]:
    """A field of the record and its English twin (a pair its kind declares), tagged."""
    chinese, english = kinds.BY_MODEL[record._meta.model].pair(name)
    return texts(getattr(record, chinese), getattr(record, english))


def compact(node: dict) -> dict:
    """The node without its empty properties."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def same_as(website: str, record) -> list[str]:
    """The record's other addresses: its website, and its identifiers' pages in their registries."""
    return [address for address in [website, *(identifier.url for identifier in record.identifiers.all())] if address]


def program_type(program) -> str:
    if program.kind in GRANTS:
        return "MonetaryGrant" if program.amount is not None else "Grant"
    return PROGRAM_TYPES.get(program.kind, "Project")


def organization_type(organization) -> str:
    return ORGANIZATION_TYPES.get(organization.kind, "Organization")


class Describer:
    """Nodes of records, with `absolute` turning a page's path into its address."""

    def __init__(self, absolute: Callable[[str], str]):
        self.absolute = absolute

    def ref(self, record, type_: str) -> dict:
        """A related record: its type, identifier (its page in the default language) and names."""
        with translation.override(settings.LANGUAGE_CODE):
            path = record.get_absolute_url()
        return {"@type": type_, "@id": self.absolute(path), "name": bilingual(record, record.name_field)}

    def base(self, record, type_: str) -> dict:
        node = {"@context": CONTEXT, **self.ref(record, type_), "url": self.absolute(record.get_absolute_url())}
        if isinstance(record, CitableModel):
            node["citation"] = [self.source(citation.source) for citation in record.citations.all()]
        return node

    def source(self, source) -> dict:
        return compact({**self.ref(source, "Article"), "sameAs": source.url})

    def organization_ref(self, organization) -> dict:
        return self.ref(organization, organization_type(organization))

    def program(self, program) -> dict:
        type_ = program_type(program)
        participations = program.linked_participations
        node = {
            **self.base(program, type_),
            "alternateName": program.aliases,
            "description": bilingual(program, "summary"),
            "sameAs": same_as(program.website, program),
            "funder": [self.organization_ref(p.organization) for p in participations if p.role in SPONSOR_ROLES],
            "sponsor": [self.organization_ref(p.organization) for p in participations if p.role not in SPONSOR_ROLES],
            "isPartOf": program.public_parent and self.ref(program.public_parent, program_type(program.public_parent)),
            "keywords": [area.display_name for area in program.linked_research_areas],
        }
        if type_ == "MonetaryGrant":
            node["amount"] = {"@type": "MonetaryAmount", "value": program.amount, "currency": program.currency}
        if type_ in ("MonetaryGrant", "Grant"):
            node["fundedItem"] = [self.ref(project, "ResearchProject") for project in program.projects.all()]
        return compact(node)

    def organization(self, organization) -> dict:
        parent = organization.public_parent
        return compact(
            {
                **self.base(organization, organization_type(organization)),
                "alternateName": [name for name in [organization.short_name, *organization.aliases] if name],
                "description": bilingual(organization, "description"),
                "sameAs": same_as(organization.website, organization),
                "address": compact(
                    {
                        "@type": "PostalAddress",
                        "addressCountry": organization.country.code,
                        "addressLocality": organization.city,
                    }
                )
                if organization.country or organization.city
                else None,
                "parentOrganization": parent and self.organization_ref(parent),
                "subOrganization": [self.organization_ref(unit) for unit in organization.units.all()],
            }
        )

    def person(self, person) -> dict:
        career = list(person.affiliations.all())
        return compact(
            {
                **self.base(person, "Person"),
                "jobTitle": bilingual(person, "headline"),
                "description": bilingual(person, "bio"),
                "sameAs": same_as(person.homepage, person),
                "affiliation": list(
                    {step.organization_id: self.organization_ref(step.organization) for step in career}.values()
                ),
                "worksFor": [self.organization_ref(step.organization) for step in career if step.is_current],
            }
        )

    def project(self, project) -> dict:
        return compact(
            {
                **self.base(project, "ResearchProject"),
                "description": bilingual(project, "summary"),
                "funding": self.ref(project.program, program_type(project.program)),
                "member": [self.ref(member.person, "Person") for member in project.memberships.all()],
            }
        )

    def article(self, source) -> dict:
        types = {
            "program": lambda r: self.ref(r, program_type(r)),
            "organization": self.organization_ref,
            "person": lambda r: self.ref(r, "Person"),
            "project": lambda r: self.ref(r, "ResearchProject"),
        }
        cited = [c.record for c in source.listed_citations if c.record is not None]
        return compact(
            {
                **self.base(source, "Article"),
                "headline": source.title,
                "sameAs": source.url,
                "publisher": source.publisher and {"@type": "Organization", "name": bilingual(source, "publisher")},
                "author": source.author,
                "datePublished": source.published_on,
                "inLanguage": source.language,
                "abstract": bilingual(source, "summary"),
                "mentions": [types[r._meta.model_name](r) for r in cited if r._meta.model_name in types],
            }
        )


def record_node(record, absolute: Callable[[str], str]) -> dict:
    """The schema.org node of a published record loaded with `for_detail()`."""
    describer = Describer(absolute)
    name = record._meta.model_name
    return getattr(describer, "article" if name == "source" else name)(record)
