"""FilterSets of the public lists: one per list, shared by the page, its CSV/JSON export and the API.

Each filter reads slugs or choice values from the query string, with a translated label. A value
the filter cannot read (an unknown kind, a year that is not a number, a slug that names nothing
public) is a form error: the page lists it and shows no rows, the export answers 400.

`q` is free text: stripped, cut to `MAX_QUERY_LENGTH` characters, split into at most `MAX_TERMS`
words, every word matched (lower-cased, `LIKE '%word%'`) against the record's `search_text`
column, which a trigram index serves on PostgreSQL (and, for Chinese words of one or two
characters, an index of its Chinese characters).

Facets (`facets()`) count, for each value of a filter, the published records that match every
*other* active filter: one aggregate query per facet, whatever the number of values.
"""

import copy
import datetime
import functools
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import connections
from django.db.models import Count, Exists, F, Func, OuterRef, Q, TextField
from django.http import QueryDict
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from programs.caching import cached
from programs.models import (
    MAX_YEAR,
    MIN_YEAR,
    Affiliation,
    Edition,
    Involvement,
    InvolvementRole,
    Lifecycle,
    Organization,
    OrganizationKind,
    Participation,
    Person,
    Program,
    ProgramKind,
    Project,
    ResearchArea,
    Source,
    SourceLanguage,
)
from programs.querysets import PARTNER_ROLES, PUBLISHED, SPONSOR_ROLES, display_order, links

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
FACET_LIMIT = 12

QUERY_TRUNCATED = _("Your search was longer than %(max)s characters; only the first %(max)s were used.")


def search_terms(value: str) -> list[str]:
    """The lower-cased words of a free-text query, at most `MAX_TERMS` of them."""
    return value.lower().split()[:MAX_TERMS]


# The code points that programs_cjk_chars() keeps in `search_chars` (migration 0004).
CJK_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x10FFFF))


def is_cjk(term: str) -> bool:
    return all(any(low <= ord(char) <= high for low, high in CJK_RANGES) for char in term)


class SearchChars(Func):
    """A searched table's `search_chars` column on PostgreSQL: the Chinese characters of its
    `search_text`, kept and indexed by the database (migration 0004), which the models do not
    declare. Written as the table's (aliased) `search_text` column renamed, so that it names the
    right table inside subqueries too."""

    output_field = ArrayField(TextField())

    def __init__(self):
        super().__init__(F("search_text"))

    def as_sql(self, compiler, connection, **extra_context):
        column = self.get_source_expressions()[0]  # resolved: a Col carrying the query's alias
        return f"{compiler.quote_name_unless_alias(column.alias)}.{connection.ops.quote_name('search_chars')}", []


def search_text_filter(queryset, value: str):
    """Records whose `search_text` contains every word of `value`.

    On PostgreSQL a trigram index serves words of three characters or more. Shorter Chinese
    words also require their characters from the index of CJK characters, so that they too are
    found without reading every row.
    """
    terms = search_terms(value)
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    short_chinese = sorted({char for term in terms if len(term) < 3 and is_cjk(term) for char in term})
    if short_chinese and connections[queryset.db].vendor == "postgresql":
        queryset = queryset.alias(search_chars=SearchChars()).filter(search_chars__contains=short_chinese)
    return queryset


class SearchField(forms.CharField):
    """Free text, stripped and cut to `MAX_QUERY_LENGTH` characters (never refused for its length)."""

    def to_python(self, value):
        return super().to_python(value)[:MAX_QUERY_LENGTH]


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class YearFilter(django_filters.NumberFilter):
    """A whole year between MIN_YEAR and MAX_YEAR."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class ModifiedSinceField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date or date-time; a naive one is read in the site's time zone, a date as its midnight."""

    default_error_messages = {
        "invalid": _("Give an ISO 8601 date or date-time, e.g. 2025-01-31 or 2025-01-31T08:00:00+08:00."),
    }

    def to_python(self, value):
        moment = super().to_python(value)
        try:
            # In UTC: databases refuse some offsets Python accepts (PostgreSQL's end at ±15:59).
            return moment and moment.astimezone(datetime.UTC)
        except OverflowError:  # e.g. 9999-12-31T23:00-05:00, past the last representable moment
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ModifiedSinceFilter(django_filters.IsoDateTimeFilter):
    """`modified_since`: records changed at or after a moment (their `updated_at`), for clients that sync.

    Served by each table's (updated_at, id) index.
    """

    field_class = ModifiedSinceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Modified since"))
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)


class SlugChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Published records named by slug; a value that cannot be a slug is refused before any query.

    No value cleans to [] (not an empty queryset), so that the filter's method is not called.
    """

    def clean(self, value):
        if not value:
            return []
        return super().clean(value)

    def _check_values(self, value):
        for item in value:
            try:
                validate_slug(str(item))
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                ) from None
        return super()._check_values(value)


class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more published records by slug (`?sponsor=a&sponsor=b`: either)."""

    field_class = SlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


def choice_filter(label, choices, **kwargs):
    """One or more values of a choice field (`?kind=award&kind=scholarship`: either)."""
    return django_filters.MultipleChoiceFilter(label=label, choices=choices, distinct=False, **kwargs)


def country_choices():
    return [(country.code, country.name) for country in countries]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_query: str


class SharedFields(dict):
    """A FilterSet form class's `base_fields`, which Django deep-copies for every form.

    The filter forms are only validated, never rendered or changed: their fields keep no state
    of a request, so a shallow copy of each is enough. Deep copies of every field's choices,
    querysets and widgets took about a twentieth of a list page's time, as did the filters'.
    """

    def __deepcopy__(self, memo):
        return {name: self.copy_of(item) for name, item in self.items()}

    @staticmethod
    def copy_of(item):
        return copy.copy(item)


class SharedFilters(SharedFields):
    """A FilterSet class's `base_filters`, which django-filter deep-copies for every FilterSet.

    A filter keeps no state of a request but the `parent` and `model` set on each copy, so a
    shallow copy is enough.
    """

    @staticmethod
    def copy_of(item):
        copied = copy.copy(item)
        copied.method = item.method  # a FilterMethod of its own, calling the copy's parent
        return copied


class PublicFilterSet(django_filters.FilterSet):
    """A list's filters, with its sort orders (`sort`), its facets and the filters in force.

    Subclasses name their facets in `facet_names` and count each one in `count_<name>(queryset)`,
    returning (value, label, count) rows; `orderings` maps each `sort` value to its order_by().
    """

    facet_names: tuple[str, ...] = ()
    orderings: dict = {}
    default_sort = "name"

    @classmethod
    def get_filters(cls):
        return SharedFilters(super().get_filters())

    def get_form_class(self):
        return self.form_class()

    @classmethod
    @functools.cache
    def form_class(cls):
        """The form of the class's filters, built once: its fields depend on no request (the forms
        made from it copy them)."""
        fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
        form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
        form_class.base_fields = SharedFields(form_class.base_fields)
        return form_class

    def __init__(self, data=None, *args, **kwargs):
        self.notices = []
        if data is not None and len((data.get("q") or "").strip()) > MAX_QUERY_LENGTH:
            self.notices.append(QUERY_TRUNCATED % {"max": MAX_QUERY_LENGTH})
        super().__init__(data, *args, **kwargs)

    # Filtering and sorting

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return self.apply_sort(queryset, self.sort_value)

    @property
    def sort_value(self) -> str:
        """The order asked for, or the default one."""
        return self.form.cleaned_data.get("sort") or self.default_sort

    def apply_sort(self, queryset, value):
        ordering = self.orderings[value]
        return queryset.order_by(*(ordering() if callable(ordering) else ordering))

    def keep_order(self, queryset, name, value):
        """The `sort` filter's method: `filter_queryset` orders, so the filter itself leaves the rows alone."""
        return queryset

    def search(self, queryset, name, value):
        return search_text_filter(queryset, value) if value else queryset

    def narrows(self, name: str) -> bool:
        """Whether a valid filter other than `name` (and the sort order) is in force."""
        return any(
            value not in (None, "", [], ())
            for filter_name, value in self.form.cleaned_data.items()
            if filter_name not in (name, "sort")
        )

    def within(self, rows, lookup: str, queryset):
        """Link rows (`rows`, published on their other side) whose `lookup` side is one of `queryset`.

        When no other filter is in force that is simply every published record: the facet then
        skips the semi-join, which is most of its cost on a large table. Otherwise the semi-join
        alone says it (`queryset` holds published records only), without a second join for status.
        """
        if not self._narrowed:
            return rows.filter(**{f"{lookup}__status": PUBLISHED})
        return rows.filter(**{f"{lookup}__in": queryset.values("pk")})

    def queryset_without(self, name: str):
        """The records matching every valid filter but `name`, unordered: what a facet counts."""
        queryset = self.queryset.all()
        for filter_name, value in self.form.cleaned_data.items():
            if filter_name not in (name, "sort"):
                queryset = self.filters[filter_name].filter(queryset, value)
        return queryset.order_by()

    # Facets and the filters in force, for the page

    def _raw_values(self, name: str) -> list[str]:
        if self.data is None:
            return []
        if hasattr(self.data, "getlist"):
            return [value for value in self.data.getlist(name) if value]
        value = self.data.get(name)
        return [str(item) for item in value] if isinstance(value, list | tuple) else ([str(value)] if value else [])

    def facets(self) -> list[Facet]:
        """Each facet with its values (the busiest first) and how many records each would show.

        Counted once per filters, language and data version (programs.caching): the counts of a
        large table cost more than the rest of the page.
        """
        return cached("facets", (get_language(), self.facet_key()), self._count_facets)

    def facet_key(self) -> tuple:
        """What the facets depend on: the list and its filters as given, but not the order or the page."""
        raw = tuple((name, tuple(sorted(self._raw_values(name)))) for name in self.filters if name != "sort")
        return (type(self).__name__, raw)

    def rows_key(self) -> tuple:
        """What the matching rows depend on besides the data: the filters as given, and whether
        they are valid (invalid ones, a bad `sort` included, match nothing)."""
        return (self.facet_key(), self.is_valid())

    def _count_facets(self) -> list[Facet]:
        self.is_valid()
        facets = []
        for name in self.facet_names:
            selected = set(self._raw_values(name))
            self._narrowed = self.narrows(name)
            rows = getattr(self, f"count_{name}")(self.queryset_without(name))
            values = [FacetValue(str(value), str(label), count, str(value) in selected) for value, label, count in rows]
            facets.append(Facet(name, str(self.filters[name].label), values))
        return facets

    def active_filters(self) -> list[ActiveFilter]:
        """The valid filters in force, one entry per value, each with the query string that removes it."""
        self.is_valid()
        active = []
        for name, value in self.form.cleaned_data.items():
            if name == "sort" or value in (None, "", [], ()):
                continue
            label = str(self.filters[name].label)
            items = value if isinstance(value, list | tuple) or hasattr(value, "model") else [value]
            for item in items:
                raw, shown = self._describe(name, item)
                active.append(ActiveFilter(label, shown, self._query_without(name, raw)))
        return active

    def _describe(self, name, item):
        """The raw query-string value of one filter value, and how a visitor reads it."""
        if hasattr(item, "slug"):
            return item.slug, item.display_name
        choices = getattr(self.filters[name], "extra", {}).get("choices")
        if choices:
            return str(item), str(dict(choices() if callable(choices) else choices).get(item, item))
        return str(item), str(item)

    def _query_without(self, name: str, raw: str) -> str:
        if isinstance(self.data, QueryDict):
            query = self.data.copy()
        else:  # a plain dict, e.g. from the API
            query = QueryDict(mutable=True)
            for key, value in self.data.items():
                query.setlist(key, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)])
        query.setlist(name, [value for value in query.getlist(name) if value != raw])
        query.pop("page", None)
        return query.urlencode()


def choice_counts(queryset, field: str, choices) -> list[tuple]:
    """(value, label, count) for each value of a choice field present in `queryset`, in choice order."""
    counts = dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())
    return [(value, label, counts[value]) for value, label in choices if counts.get(value)]


def organization_counts(participations, roles, limit=FACET_LIMIT) -> list[tuple]:
    """(slug, name, programmes) for the organizations of `participations` in one of `roles`, busiest first."""
    rows = (
        participations.filter(role__in=roles)
        .values("organization__slug", "organization__name", "organization__name_en")
        .annotate(n=Count("program", distinct=True))
        .order_by("-n", "organization__name")[:limit]
    )
    return [(row["organization__slug"], _localized_row(row, "organization__name"), row["n"]) for row in rows]


def _localized_row(row: dict, field: str) -> str:
    """A `values()` row's English name on English pages when it has one, else the Chinese one."""
    if (get_language() or "").startswith("en"):
        return row[f"{field}_en"] or row[field]
    return row[field]


# Programmes


PROGRAM_SORTS = [
    ("name", _("Name")),
    ("-start_year", _("Start year, newest first")),
    ("start_year", _("Start year, oldest first")),
    ("newest", _("Recently added")),
]


class ProgramFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"), method="search")
    kind = choice_filter(_("Kind"), ProgramKind.choices)
    lifecycle = choice_filter(_("Lifecycle"), Lifecycle.choices)
    sponsor = SlugFilter(label=_("Sponsor"), queryset=Organization.objects.published(), method="filter_sponsor")
    partner = SlugFilter(label=_("Partner"), queryset=Organization.objects.published(), method="filter_partner")
    organization = SlugFilter(
        label=_("Organization"), queryset=Organization.objects.published(), method="filter_organization"
    )
    organization_kind = choice_filter(_("Organization kind"), OrganizationKind.choices, method="filter_org_kind")
    country = choice_filter(_("Country"), country_choices, method="filter_country")
    research_area = SlugFilter(
        label=_("Research area"), queryset=ResearchArea.objects.published(), method="filter_research_area"
    )
    start_year_min = YearFilter(label=_("Started in or after"), field_name="start_year", lookup_expr="gte")
    start_year_max = YearFilter(label=_("Started in or before"), field_name="start_year", lookup_expr="lte")
    modified_since = ModifiedSinceFilter()
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=PROGRAM_SORTS, method="keep_order")

    facet_names = ("kind", "lifecycle", "organization_kind", "country", "research_area", "sponsor", "partner")
    orderings = {
        "name": lambda: [display_order("name"), "pk"],
        "-start_year": [F("start_year").desc(nulls_last=True), "name", "pk"],
        "start_year": [F("start_year").asc(nulls_last=True), "name", "pk"],
        "newest": ["-created_at", "-pk"],
    }

    class Meta:
        model = Program
        fields = []

    def filter_sponsor(self, queryset, name, value):
        return queryset.with_participant(SPONSOR_ROLES, organization__in=value)

    def filter_partner(self, queryset, name, value):
        return queryset.with_participant(PARTNER_ROLES, organization__in=value)

    def filter_organization(self, queryset, name, value):
        return queryset.with_participant(organization__in=value)

    def filter_org_kind(self, queryset, name, value):
        return queryset.with_participant(organization__kind__in=value)

    def filter_country(self, queryset, name, value):
        return queryset.with_participant(organization__country__in=value)

    def filter_research_area(self, queryset, name, value):
        through = Program.research_areas.through
        return queryset.filter(Exists(through.objects.filter(program=OuterRef("pk"), researcharea__in=value)))

    def count_kind(self, queryset):
        return choice_counts(queryset, "kind", ProgramKind.choices)

    def count_lifecycle(self, queryset):
        return choice_counts(queryset, "lifecycle", Lifecycle.choices)

    def count_organization_kind(self, queryset):
        counts = dict(
            self.within(links(Participation, "organization"), "program", queryset)
            .values_list("organization__kind")
            .annotate(n=Count("program", distinct=True))
            .order_by()
        )
        return [(value, label, counts[value]) for value, label in OrganizationKind.choices if counts.get(value)]

    def count_country(self, queryset):
        rows = (
            self.within(links(Participation, "organization"), "program", queryset)
            .exclude(organization__country="")
            .values_list("organization__country")
            .annotate(n=Count("program", distinct=True))
            .order_by("-n", "organization__country")[:FACET_LIMIT]
        )
        return [(code, countries.name(code) or code, n) for code, n in rows]

    def count_research_area(self, queryset):
        # One filter() call, so that the status and the narrowing apply to the same join.
        published = {"programs__status": "published"}
        if self._narrowed:
            published["programs__in"] = queryset.values("pk")
        rows = (
            ResearchArea.objects.published()
            .filter(**published)
            .values("slug", "name", "name_en")
            .annotate(n=Count("programs"))
            .order_by("-n", "name")[:FACET_LIMIT]
        )
        return [(row["slug"], _localized_row(row, "name"), row["n"]) for row in rows]

    def count_sponsor(self, queryset):
        return organization_counts(
            self.within(links(Participation, "organization"), "program", queryset),
            SPONSOR_ROLES,
        )

    def count_partner(self, queryset):
        return organization_counts(
            self.within(links(Participation, "organization"), "program", queryset),
            PARTNER_ROLES,
        )


# Organizations


class OrganizationFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"), method="search")
    kind = choice_filter(_("Kind"), OrganizationKind.choices)
    country = choice_filter(_("Country"), country_choices)
    program = SlugFilter(label=_("Programme"), queryset=Program.objects.published(), method="filter_program")
    modified_since = ModifiedSinceFilter()
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("name", _("Name")), ("programs", _("Most programmes")), ("newest", _("Recently added"))],
        method="keep_order",
    )

    facet_names = ("kind", "country")
    orderings = {
        "name": lambda: [display_order("name"), "pk"],
        "newest": ["-created_at", "-pk"],
    }

    class Meta:
        model = Organization
        fields = []

    def filter_program(self, queryset, name, value):
        participations = Participation.objects.published().filter(organization=OuterRef("pk"), program__in=value)
        return queryset.filter(Exists(participations))

    def apply_sort(self, queryset, value):
        if value == "programs":
            # One GROUP BY over the participations: cheaper than a correlated count per organization.
            # for_list() then uses this count instead of adding its own.
            return queryset.annotate(
                program_count=Count(
                    "participations__program", filter=Q(participations__program__status="published"), distinct=True
                )
            ).order_by("-program_count", "name", "pk")
        return super().apply_sort(queryset, value)

    def count_kind(self, queryset):
        return choice_counts(queryset, "kind", OrganizationKind.choices)

    def count_country(self, queryset):
        rows = (
            queryset.exclude(country="")
            .values_list("country")
            .annotate(n=Count("pk"))
            .order_by("-n", "country")[:FACET_LIMIT]
        )
        return [(code, countries.name(code) or code, n) for code, n in rows]


# People

SECTORS = [("academia", _("Academia")), ("industry", _("Industry")), ("other", _("Other sectors"))]
SECTOR_KINDS = {
    "academia": [kind for kind in OrganizationKind if kind.is_academic],
    "industry": [kind for kind in OrganizationKind if kind.is_industry],
    "other": [kind for kind in OrganizationKind if not (kind.is_academic or kind.is_industry)],
}


def sector_of(kind: str) -> str:
    """`academia`, `industry` or `other` for an organization kind."""
    return next(sector for sector, kinds in SECTOR_KINDS.items() if kind in kinds)


class PersonFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"), method="search")
    organization = SlugFilter(
        label=_("Organization"), queryset=Organization.objects.published(), method="filter_organization"
    )
    sector = choice_filter(_("Sector worked in"), SECTORS, method="filter_sector")
    program = SlugFilter(label=_("Programme"), queryset=Program.objects.published(), method="filter_program")
    role = choice_filter(_("Role in a programme"), InvolvementRole.choices, method="filter_role")
    modified_since = ModifiedSinceFilter()
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=[("name", _("Name")), ("newest", _("Recently added"))], method="keep_order"
    )

    facet_names = ("sector", "role", "organization")
    orderings = {"name": lambda: [display_order("name"), "pk"], "newest": ["-created_at", "-pk"]}

    class Meta:
        model = Person
        fields = []

    def filter_organization(self, queryset, name, value):
        affiliations = Affiliation.objects.published().filter(person=OuterRef("pk"), organization__in=value)
        return queryset.filter(Exists(affiliations))

    def filter_sector(self, queryset, name, value):
        kinds = [kind for sector in value for kind in SECTOR_KINDS[sector]]
        affiliations = Affiliation.objects.published().filter(person=OuterRef("pk"), organization__kind__in=kinds)
        return queryset.filter(Exists(affiliations))

    def filter_program(self, queryset, name, value):
        return queryset.filter(Exists(Involvement.objects.published().filter(person=OuterRef("pk"), program__in=value)))

    def filter_role(self, queryset, name, value):
        return queryset.filter(Exists(Involvement.objects.published().filter(person=OuterRef("pk"), role__in=value)))

    def count_sector(self, queryset):
        totals = self.within(links(Affiliation, "organization"), "person", queryset).aggregate(
            **{
                sector: Count("person", distinct=True, filter=Q(organization__kind__in=kinds))
                for sector, kinds in SECTOR_KINDS.items()
            }
        )
        return [(value, label, totals[value]) for value, label in SECTORS if totals[value]]

    def count_role(self, queryset):
        counts = dict(
            self.within(links(Involvement, "program"), "person", queryset)
            .values_list("role")
            .annotate(n=Count("person", distinct=True))
            .order_by()
        )
        return [(value, label, counts[value]) for value, label in InvolvementRole.choices if counts.get(value)]

    def count_organization(self, queryset):
        rows = (
            self.within(links(Affiliation, "organization"), "person", queryset)
            .values("organization__slug", "organization__name", "organization__name_en")
            .annotate(n=Count("person", distinct=True))
            .order_by("-n", "organization__name")[:FACET_LIMIT]
        )
        return [(row["organization__slug"], _localized_row(row, "organization__name"), row["n"]) for row in rows]


# Projects


class ProjectFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"), method="search")
    program = SlugFilter(label=_("Programme"), queryset=Program.objects.published(), method="filter_program")
    year_min = YearFilter(label=_("Year from"), field_name="year", lookup_expr="gte")
    year_max = YearFilter(label=_("Year to"), field_name="year", lookup_expr="lte")
    modified_since = ModifiedSinceFilter()
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("name", _("Title")), ("-year", _("Year, newest first")), ("newest", _("Recently added"))],
        method="keep_order",
    )

    facet_names = ("program",)
    orderings = {
        "name": lambda: [display_order("title"), "pk"],
        "-year": [F("year").desc(nulls_last=True), "title", "pk"],
        "newest": ["-created_at", "-pk"],
    }

    class Meta:
        model = Project
        fields = []

    def filter_program(self, queryset, name, value):
        return queryset.filter(program__in=value)

    def count_program(self, queryset):
        rows = (
            queryset.values("program__slug", "program__name", "program__name_en")
            .annotate(n=Count("pk"))
            .order_by("-n", "program__name")[:FACET_LIMIT]
        )
        return [(row["program__slug"], _localized_row(row, "program__name"), row["n"]) for row in rows]


# Sources


class SourceFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"), method="search")
    language = choice_filter(_("Language"), SourceLanguage.choices)
    year = YearFilter(label=_("Year published"), field_name="published_on__year")
    modified_since = ModifiedSinceFilter()
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("date", _("Newest first")), ("name", _("Title"))],
        method="keep_order",
    )

    facet_names = ("language",)
    default_sort = "date"
    orderings = {
        "date": [F("published_on").desc(nulls_last=True), "title", "pk"],
        "name": lambda: [display_order("title"), "pk"],
    }

    class Meta:
        model = Source
        fields = []

    def search(self, queryset, name, value):
        # Sources have no search column: a title or publisher containing every word.
        for term in search_terms(value):
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(title_en__icontains=term) | Q(publisher__icontains=term)
            )
        return queryset

    def count_language(self, queryset):
        return choice_counts(queryset, "language", SourceLanguage.choices)


# Editions (the API's list; the site shows them on each programme's page)


class EditionFilterSet(PublicFilterSet):
    program = SlugFilter(label=_("Programme"), queryset=Program.objects.published(), method="filter_program")
    year_min = YearFilter(label=_("Year from"), field_name="year", lookup_expr="gte")
    year_max = YearFilter(label=_("Year to"), field_name="year", lookup_expr="lte")
    modified_since = ModifiedSinceFilter()
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("program", _("Programme, then year")), ("-year", _("Year, newest first")), ("year", _("Year"))],
        method="keep_order",
    )

    default_sort = "program"
    orderings = {
        "program": lambda: [
            display_order("program__name"),
            "program_id",
            F("year").asc(nulls_last=True),
            "label",
            "pk",
        ],
        "-year": [F("year").desc(nulls_last=True), "program__name", "label", "pk"],
        "year": [F("year").asc(nulls_last=True), "program__name", "label", "pk"],
    }

    class Meta:
        model = Edition
        fields = []

    def filter_program(self, queryset, name, value):
        return queryset.filter(program__in=value)


# Research areas (the API's list; the site links each area to the programmes filtered by it)


class ResearchAreaFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"), method="search")
    modified_since = ModifiedSinceFilter()
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=[("name", _("Name")), ("newest", _("Recently added"))], method="keep_order"
    )

    orderings = {"name": lambda: [display_order("name"), "pk"], "newest": ["-created_at", "-pk"]}

    class Meta:
        model = ResearchArea
        fields = []

    def search(self, queryset, name, value):
        # Research areas have no search column: a Chinese or English name containing every word.
        for term in search_terms(value):
            queryset = queryset.filter(Q(name__icontains=term) | Q(name_en__icontains=term))
        return queryset


def filter_errors(filterset) -> list[str]:
    """The problems with a list's query string, one readable sentence per field."""
    messages = []
    for name, errors in filterset.errors.items():
        label = filterset.filters[name].label if name in filterset.filters else name
        messages.extend(gettext("%(field)s: %(error)s") % {"field": label, "error": error} for error in errors)
    return messages
