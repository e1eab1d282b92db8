"""What a careful curator checks before trusting the published data, in one report.

`data_check()` returns every finding: a published record without an English name, years or
participants; a quote that does not name the record it supports; a name no quote gives that is
not flagged as descriptive; one organization spelled two ways; an edition whose counts contradict
its programme. `manage.py check_data` prints the report and fails when it is not empty; the admin
shows the same report (programs.curation.check_view).

Names are compared by their letters and digits only, case-folded: "杰克·唐家拉" matches the
"杰克?唐家拉" of a garbled article, "Tsinghua University" matches "Tsinghua University,".
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import models

# Involvement roles that count among an edition's recipients (see Edition.recipient_count).
RECIPIENT_ROLES = ("awardee", "scholar", "fellow", "intern", "postdoc")
QUOTE_SHOWN = 40  # characters of a quote shown in a finding


@dataclass(frozen=True)
class Check:
    key: str
    title: str


CHECKS = (
    Check("english_name", gettext_lazy("Published records without an English name")),
    Check("years", gettext_lazy("Published records without years")),
    Check("participants", gettext_lazy("Published programmes and projects without participants")),
    Check("quote_names_record", gettext_lazy("Quotes that do not name the record they support")),
    Check("descriptive_name", gettext_lazy("Names no quote gives, not flagged as descriptive")),
    Check("organization_spelling", gettext_lazy("Organizations spelled two ways")),
    Check("edition_counts", gettext_lazy("Edition counts that contradict their programme or records")),
)
CHECKS_BY_KEY = {check.key: check for check in CHECKS}


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, on which record, and what is wrong."""

    check: str
    record: object  # a model instance
    message: str

    @cached_property
    def label(self) -> str:
        """The record as fixture files name it: program/alibaba-air."""
        return f"{record_type(self.record)}/{self.record.slug}"

    def __str__(self):
        return f"{self.check}: {self.label}: {self.message}"


def record_type(record) -> str:
    name = record._meta.model_name
    return "research_area" if name == "researcharea" else name


def name_key(text: str) -> str:
    """Text reduced to its letters and digits, case-folded, for comparing names with quotes."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())


def data_check() -> list[Finding]:
    """Every finding of every check, in the order of CHECKS, then by record."""
    findings = [
        *english_name_findings(),
        *years_findings(),
        *participant_findings(),
        *quote_findings(),
        *organization_spelling_findings(),
        *edition_count_findings(),
    ]
    order = {check.key: index for index, check in enumerate(CHECKS)}
    return sorted(findings, key=lambda finding: (order[finding.check], finding.label, finding.message))


def grouped(findings: list[Finding]) -> list[tuple[Check, list[Finding]]]:
    """(check, its findings) for each check that found something, in the order of CHECKS."""
    by_check = defaultdict(list)
    for finding in findings:
        by_check[finding.check].append(finding)
    return [(check, by_check[check.key]) for check in CHECKS if by_check[check.key]]


# Published records without an English name, years or participants.

ENGLISH_NAMES = (
    (models.Organization, "name_en"),
    (models.Program, "name_en"),
    (models.Person, "name_en"),
    (models.Project, "title_en"),
    (models.ResearchArea, "name_en"),
    (models.Source, "title_en"),
    (models.Edition, "label_en"),
)


def english_name_findings():
    message = _("no English name")
    for model, field in ENGLISH_NAMES:
        for record in model.objects.published().filter(**{field: ""}).order_by("slug"):
            yield Finding("english_name", record, message)


def years_findings():
    """A programme is dated by its own years or by a dated edition."""
    dated_editions = models.Edition.objects.filter(program=OuterRef("pk"), year__isnull=False)
    undated = Q(start_year__isnull=True, end_year__isnull=True, years_not_in_sources=False) & ~Exists(dated_editions)
    for program in models.Program.objects.published().filter(undated).order_by("slug"):
        yield Finding("years", program, _("no year, nor a dated edition, and not marked as given by no source"))
    for project in models.Project.objects.published().filter(year__isnull=True, years_not_in_sources=False):
        yield Finding("years", project, _("no year, and not marked as given by no source"))
    for edition in models.Edition.objects.published().filter(year__isnull=True).select_related("program"):
        yield Finding("years", edition, _("no year"))


def participant_findings():
    participations = models.Participation.objects.published().filter(program=OuterRef("pk"))
    programs = models.Program.objects.published().annotate(has_participants=Exists(participations))
    for program in programs.order_by("slug"):
        if not program.has_participants and not program.participants_not_in_sources:
            yield Finding("participants", program, _("no organization takes part, and none is marked as unnamed"))
        elif program.has_participants and program.participants_not_in_sources:
            yield Finding("participants", program, _("marked as naming no organization, yet organizations take part"))
    members = models.ProjectMember.objects.published().filter(project=OuterRef("pk"))
    for project in models.Project.objects.published().filter(~Exists(members)).order_by("slug"):
        yield Finding("participants", project, _("no member"))


# Quotes and names.


class Names:
    """The names each published record of one kind goes by, and whether its name is descriptive."""

    def __init__(self, model):
        self.model = model
        self.content_type = ContentType.objects.get_for_model(model)
        self.records = {}  # pk -> record
        self.keys = {}  # pk -> the name keys a quote may contain
        for record in self.queryset():
            self.records[record.pk] = record
            self.keys[record.pk] = {key for key in map(name_key, self.names(record)) if key}

    def queryset(self):
        records = self.model.objects.published()
        return records.select_related("program") if self.model is models.Edition else records

    def names(self, record) -> list[str]:
        if isinstance(record, models.Edition):
            program = record.program
            return [program.name, program.name_en, *program.aliases, record.label, record.label_en]
        if isinstance(record, models.Project):
            return [record.title, record.title_en]
        return [
            record.name,
            record.name_en,
            getattr(record, "short_name", ""),
            *getattr(record, "aliases", []),
        ]

    def is_descriptive(self, pk) -> bool:
        """An edition goes by its programme's name, so it is as descriptive as that name."""
        record = self.records[pk]
        return getattr(record.program if isinstance(record, models.Edition) else record, "name_is_descriptive", False)


NAMED_MODELS = (
    models.Organization,
    models.Program,
    models.Person,
    models.Project,
    models.ResearchArea,
    models.Edition,
)


def quote_findings():
    """Each record's quotes (from published sources) must name it; if none does, the name is a description.

    A record whose name is flagged descriptive is not checked: a description cannot be quoted.
    """
    for model in NAMED_MODELS:
        names = Names(model)
        quotes = defaultdict(list)
        citations = (
            models.Citation.objects.published()
            .filter(content_type=names.content_type, object_id__in=list(names.records))
            .values_list("object_id", "source__slug", "quote")
            .order_by("object_id", "source__slug")
        )
        for object_id, source, quote in citations:
            quotes[object_id].append((source, quote))
        for pk, record_quotes in quotes.items():
            if names.is_descriptive(pk):
                continue
            keys = names.keys[pk]
            unnamed = [
                (source, quote) for source, quote in record_quotes if not any(k in name_key(quote) for k in keys)
            ]
            record = names.records[pk]
            if len(unnamed) == len(record_quotes):
                yield Finding(
                    "descriptive_name",
                    record,
                    _("no quote gives its name or an alias: flag it as descriptive, or quote the sentence naming it"),
                )
                continue
            for source, quote in unnamed:
                yield Finding(
                    "quote_names_record",
                    record,
                    _("the quote from %(source)s gives neither its name nor an alias: “%(quote)s”")
                    % {"source": source, "quote": shorten(quote)},
                )


def shorten(quote: str) -> str:
    return quote if len(quote) <= QUOTE_SHOWN else quote[: QUOTE_SHOWN - 1] + "…"


def organization_spelling_findings():
    """Two slugs with one English name (modulo case and punctuation), or one name with two English names."""
    organizations = list(models.Organization.objects.published().order_by("slug"))
    by_english = defaultdict(list)
    by_name = defaultdict(list)
    for organization in organizations:
        if organization.name_en:
            by_english[name_key(organization.name_en)].append(organization)
        by_name[organization.name].append(organization)
    for same in by_english.values():
        if len(same) > 1:
            others = ", ".join(f"organization/{other.slug}" for other in same[1:])
            yield Finding(
                "organization_spelling",
                same[0],
                _("has the English name of %(others)s: one organization, or names to tell apart") % {"others": others},
            )
    for name, same in by_name.items():
        spellings = {
            name_key(organization.name_en): organization.name_en for organization in same if organization.name_en
        }
        if len(spellings) > 1:
            yield Finding(
                "organization_spelling",
                same[0],
                _("the name %(name)s is spelled in English as %(spellings)s")
                % {"name": name, "spellings": " / ".join(sorted(spellings.values()))},
            )


# Editions.


def edition_count_findings():
    editions = list(
        models.Edition.objects.published()
        .select_related("program")
        .annotate(
            listed_projects=Count("projects", filter=Q(projects__status=models.Status.PUBLISHED), distinct=True),
            listed_recipients=Count(
                "involvements__person",
                filter=Q(
                    involvements__role__in=RECIPIENT_ROLES,
                    involvements__person__status=models.Status.PUBLISHED,
                ),
                distinct=True,
            ),
        )
        .order_by("slug")
    )
    parent_editions = defaultdict(list)  # (programme id, year) -> its editions
    for edition in models.Edition.objects.published().filter(
        program__in={edition.program.parent_id for edition in editions if edition.program.parent_id}
    ):
        parent_editions[(edition.program_id, edition.year)].append(edition)

    for edition in editions:
        yield from listed_beyond_counts(edition)
        yield from amount_beyond_programme(edition)
        for parent_edition in parent_editions.get((edition.program.parent_id, edition.year), []):
            yield from counts_beyond_parent(edition, parent_edition)


def exceeds(value, limit, limit_qualifier) -> bool:
    """`value` is more than `limit` allows: a limit given as "at least" allows anything above it."""
    return value is not None and limit is not None and limit_qualifier != models.Qualifier.AT_LEAST and value > limit


def listed_beyond_counts(edition):
    listed = (
        ("project_count", edition.listed_projects, _("lists %(listed)s projects, but counts %(count)s")),
        ("recipient_count", edition.listed_recipients, _("lists %(listed)s recipients, but counts %(count)s")),
    )
    for field, number, message in listed:
        count = getattr(edition, field)
        if exceeds(number, count, getattr(edition, f"{field}_qualifier")):
            yield Finding("edition_counts", edition, message % {"listed": number, "count": count})


def amount_beyond_programme(edition):
    program = edition.program
    if (edition.currency, edition.amount_basis) == (program.currency, program.amount_basis) and exceeds(
        edition.amount, program.amount, program.amount_qualifier
    ):
        yield Finding(
            "edition_counts",
            edition,
            _("its amount %(amount)s is more than its programme's %(programme)s")
            % {"amount": edition.money_display, "programme": program.money_display},
        )


def counts_beyond_parent(edition, parent_edition):
    for field in models.COUNT_FIELDS:
        value, limit = getattr(edition, field), getattr(parent_edition, field)
        if exceeds(value, limit, getattr(parent_edition, f"{field}_qualifier")):
            yield Finding(
                "edition_counts",
                edition,
                _("%(field)s %(value)s is more than the %(limit)s of edition/%(parent)s of the programme it is part of")
                % {
                    "field": models.Edition._meta.get_field(field).verbose_name,
                    "value": value,
                    "limit": limit,
                    "parent": parent_edition.slug,
                },
            )
