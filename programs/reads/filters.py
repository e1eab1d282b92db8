"""FilterSets of the public lists: one per list, shared by the page, its CSV/JSON export and the API.

Each FilterSet filters and sorts its list's listing in the read model (programs/reads/read_model): the
rows are ids of published records with their sort keys and facet tokens, so a filter on a
sponsor, a kind or a country is "has one of these tokens", served by one index, and no filter
ever joins back to the curated tables or checks what is published. The records themselves are
loaded by id afterwards, a page at a time (programs/reads/lists.py).

A value a filter cannot read (an unknown kind, a year that is not a number, a slug that names
nothing public, more than `MAX_VALUES` values) is a form error: the page lists it and shows no
rows, the export and the API answer 400.

`q` is free text, cut to `MAX_QUERY_LENGTH` characters and read by programs/reads/search.py (folded,
traditional as simplified, pinyin, either order of a name, typos): every word must be in the
listing's searched text. With `q`, lists are in order of relevance unless `sort` says otherwise
(`sort=relevance` asks for it explicitly). Facet counts are programs/reads/facets.py's.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import F
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from programs.models import (
    MAX_YEAR,
    MIN_YEAR,
    Edition,
    InvolvementRole,
    Lifecycle,
    Organization,
    OrganizationKind,
    OrganizationListing,
    PersonListing,
    Program,
    ProgramKind,
    ProgramListing,
    ProjectListing,
    ResearchArea,
    Sector,
    SourceLanguage,
    SourceListing,
    is_english,
)
from programs.models.querysets import display_order
from programs.reads import search
from programs.reads.facets import ActiveFilter, Facet, count_facets
from programs.reads.identifier_filter import IdentifierFilter
from programs.reads.search import MAX_QUERY_LENGTH

MAX_VALUES = 20  # values of one filter: more would only cost time, never narrow a list usefully

QUERY_TRUNCATED = _("Your search was longer than %(max)s characters; only the first %(max)s were used.")
TOO_MANY_VALUES = ngettext_lazy("Choose at most %(max)d value.", "Choose at most %(max)d values.", "max")


# Fields and filters


class SearchField(forms.CharField):
    """Free text, stripped and cut to `MAX_QUERY_LENGTH` characters (never refused for its length)."""

    def to_python(self, value):
        return super().to_python(value)[:MAX_QUERY_LENGTH]


class SearchFilter(django_filters.CharFilter):
    """`q`: records whose searched text holds every word (programs/reads/search.py)."""

    field_class = SearchField

    def filter(self, queryset, value):
        if not value:
            return queryset
        # Words only: a search of nothing but punctuation, spaces or symbols finds nothing (ids are never null).
        query = self.parent.search_query
        return search.matching(queryset, query) if query else queryset.filter(id__isnull=True)


class YearFilter(django_filters.NumberFilter):
    """A whole year between MIN_YEAR and MAX_YEAR."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


def at_most_max_values(value):
    if len(value) > MAX_VALUES:
        raise ValidationError(TOO_MANY_VALUES % {"max": MAX_VALUES}, code="too_many")


class ChoicesField(forms.MultipleChoiceField):
    def validate(self, value):
        at_most_max_values(value)  # before each value is looked up among the choices
        super().validate(value)


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

    No value cleans to [] (not an empty queryset), so that the filter leaves the rows alone.
    """

    def clean(self, value):
        if not value:
            return []
        at_most_max_values(value)
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


class FacetFilter:
    """A filter on one facet of a listing: the rows with a token of any value chosen (`?kind=a&kind=b`).

    `facet` names the tokens (`kind:award`), by default the filter's own name; `single_valued`
    says that a record has at most one value (a programme has one kind), so that the counts of
    several values add up to the count of the rows having any of them.
    """

    def __init__(self, *args, facet: str = "", single_valued: bool = False, **kwargs):
        self.facet = facet
        self.single_valued = single_valued
        super().__init__(*args, **kwargs)

    @property
    def token_name(self) -> str:
        return self.facet or self.field_name

    def keys(self, value) -> list[str]:
        """The facet values of the filter's cleaned value, as the tokens spell them."""
        return [str(item) for item in value]

    def tokens(self, value) -> list[str]:
        return [f"{self.token_name}:{key}" for key in self.keys(value)]

    def filter(self, queryset, value):
        return queryset.filter(facets__has_any=self.tokens(value)) if value else queryset


class ChoiceFacetFilter(FacetFilter, django_filters.MultipleChoiceFilter):
    """Choice values (`?kind=award`), labelled by their choices."""

    field_class = ChoicesField

    def labels(self, keys) -> dict[str, str]:
        """The label of each of `keys`, in the choices' order."""
        choices = self.extra["choices"]
        wanted = set(keys)
        return {value: str(label) for value, label in (choices() if callable(choices) else choices) if value in wanted}


class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more published records by slug (`?sponsor=a&sponsor=b`: either)."""

    field_class = SlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class RecordFacetFilter(FacetFilter, SlugFilter):
    """Records by slug whose tokens carry their id (`?sponsor=alibaba-group` is `sponsor:12`)."""

    def keys(self, value) -> list[str]:
        return [str(record.pk) for record in value]

    def labels(self, keys) -> dict[str, tuple[str, str]]:
        """(slug, name shown) of each record id, in one query."""
        records = self.queryset.model.objects.filter(pk__in=[int(key) for key in keys]).only("slug", *self.name_fields)
        return {str(record.pk): (record.slug, record.display_name) for record in records}

    @property
    def name_fields(self) -> tuple[str, ...]:
        return ("title", "title_en") if hasattr(self.queryset.model, "title") else ("name", "name_en")


class SortFilter(django_filters.ChoiceFilter):
    """`sort`: one of the list's orders, each a label and its `order_by()` (or a function of the
    page's language giving it). The FilterSet orders its rows once every filter is applied."""

    def __init__(self, orders: dict, default: str, **kwargs):
        self.orders = orders
        self.default = default
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(choices=[(value, label) for value, (label, _order) in orders.items()], **kwargs)

    def filter(self, queryset, value):
        return queryset

    def order(self, value) -> list:
        order = self.orders[value or self.default][1]
        return list(order() if callable(order) else order)


def by_name(field: str = "name"):
    """The order of a name as a visitor reads it: English (falling back to Chinese) on English pages."""

    def order():
        return [f"{field}_en_sort" if is_english() else field, "id"]

    return order


NEWEST = (_("Recently added"), ["-created_at", "-id"])
RELEVANCE = "relevance"


def relevance(field: str = "name"):
    """Best matches first (programs/reads/search.py: rank), then in the order of names."""
    return (_("Relevance"), by_name(field))


def country_choices():
    return [(country.code, country.name) for country in countries]


class PublicFilterSet(django_filters.FilterSet):
    """A list's filters over its listing, its sort orders (`sort`), its facets and the filters in force.

    Subclasses declare their filters, `sort` (a SortFilter) and `facet_names`: the FacetFilters
    whose values the page offers with counts.
    """

    facet_names: tuple[str, ...] = ()

    def __init__(self, data=None, *args, **kwargs):
        self.notices = []
        if data is not None and len((data.get("q") or "").strip()) > MAX_QUERY_LENGTH:
            self.notices.append(QUERY_TRUNCATED % {"max": MAX_QUERY_LENGTH})
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset):
        order = self.filters["sort"].order(self.sort_value)
        if self.ranks():
            order = [search.rank(self.search_query), *order]
        return super().filter_queryset(queryset).order_by(*order)

    def ranks(self) -> bool:
        """Whether the rows are in order of relevance: a search, sorted by relevance."""
        return self.sort_value == RELEVANCE and bool(self.search_query)

    def ranked_ids(self, stop: int, count: int) -> list[int]:
        """The ids of the first `stop` rows in order of relevance, `count` of them or more, reading
        about as many rows as that needs (programs/reads/search.py: ranked_ids)."""
        order = self.filters["sort"].order(RELEVANCE)
        rows, unsearched = self.qs.order_by(), self.queryset_without("q")
        return search.ranked_ids(rows, unsearched, self.search_query, order, stop, count)

    @property
    def sort_value(self) -> str:
        """The order asked for, or by default relevance with a search and the list's own order without."""
        self.is_valid()
        asked = self.form.cleaned_data.get("sort")
        if asked:
            return asked
        return (
            RELEVANCE
            if self.search_query and RELEVANCE in self.filters["sort"].orders
            else self.filters["sort"].default
        )

    @cached_property
    def search_query(self) -> search.SearchQuery:
        """`q` as search reads it, with the corrections its typos may need among this list's names."""
        self.is_valid()
        value = self.form.cleaned_data.get("q") or ""
        query = search.read_query(value)
        return search.corrected(query, self.queryset) if query else query

    def in_force(self) -> dict:
        """The valid filters with a value, but the sort order."""
        self.is_valid()
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name != "sort" and value not in (None, "", [], ())
        }

    def queryset_without(self, name: str | None):
        """The rows matching every filter in force but `name`, unordered: what a facet counts."""
        queryset = self.queryset.all()
        for filter_name, value in self.in_force().items():
            if filter_name != name:
                queryset = self.filters[filter_name].filter(queryset, value)
        return queryset.order_by()

    def facets(self) -> list[Facet]:
        return count_facets(self)

    # The filters in force, for the page

    def _raw_values(self, name: str) -> list[str]:
        if self.data is None:
            return []
        if hasattr(self.data, "getlist"):
            return [value for value in self.data.getlist(name) if value]
        value = self.data.get(name)
        return [str(item) for item in value] if isinstance(value, list | tuple) else ([str(value)] if value else [])

    def selected(self, name: str) -> set[str]:
        """The values of filter `name` as given in the query string."""
        return set(self._raw_values(name))

    def active_filters(self) -> list[ActiveFilter]:
        """The valid filters in force, one entry per value, each with the query string that removes it."""
        self.is_valid()
        active = []
        for name, value in self.in_force().items():
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
        filter_ = self.filters[name]
        if isinstance(filter_, ChoiceFacetFilter):
            return str(item), filter_.labels([str(item)])[str(item)]
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


# Programmes


def organizations(label):
    return RecordFacetFilter(label=label, queryset=Organization.objects.published())


class ProgramFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"))
    kind = ChoiceFacetFilter(label=_("Kind"), choices=ProgramKind.choices, single_valued=True)
    lifecycle = ChoiceFacetFilter(label=_("Lifecycle"), choices=Lifecycle.choices, single_valued=True)
    sponsor = organizations(_("Sponsor"))
    partner = organizations(_("Partner"))
    organization = organizations(_("Organization"))
    organization_kind = ChoiceFacetFilter(label=_("Organization kind"), choices=OrganizationKind.choices)
    country = ChoiceFacetFilter(label=_("Country"), choices=country_choices)
    research_area = RecordFacetFilter(label=_("Research area"), queryset=ResearchArea.objects.published())
    start_year_min = YearFilter(label=_("Started in or after"), field_name="start_year", lookup_expr="gte")
    start_year_max = YearFilter(label=_("Started in or before"), field_name="start_year", lookup_expr="lte")
    modified_since = ModifiedSinceFilter()
    sort = SortFilter(
        {
            RELEVANCE: relevance(),
            "name": (_("Name"), by_name()),
            "-start_year": (_("Start year, newest first"), [F("start_year").desc(nulls_last=True), "name", "id"]),
            "start_year": (_("Start year, oldest first"), [F("start_year").asc(nulls_last=True), "name", "id"]),
            "newest": NEWEST,
        },
        default="name",
    )

    facet_names = ("kind", "lifecycle", "organization_kind", "country", "research_area", "sponsor", "partner")

    class Meta:
        model = ProgramListing
        fields = []


# Organizations


def organizations_of(programs) -> list[int]:
    """The ids of the published organizations taking part in `programs` (published programmes), read
    from the programmes' listing rows."""
    prefix = "organization:"
    rows = ProgramListing.objects.filter(id__in=[program.pk for program in programs]).values_list("facets", flat=True)
    return sorted({int(token[len(prefix) :]) for facets in rows for token in facets if token.startswith(prefix)})


class OrganizationFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"))
    kind = ChoiceFacetFilter(label=_("Kind"), choices=OrganizationKind.choices, single_valued=True)
    country = ChoiceFacetFilter(label=_("Country"), choices=country_choices, single_valued=True)
    program = SlugFilter(label=_("Programme"), queryset=Program.objects.published(), method="filter_program")
    identifier = IdentifierFilter(label=_("Identifier"), owner="organization")
    modified_since = ModifiedSinceFilter()
    sort = SortFilter(
        {
            RELEVANCE: relevance(),
            "name": (_("Name"), by_name()),
            "programs": (_("Most programmes"), ["-program_count", "name", "id"]),
            "newest": NEWEST,
        },
        default="name",
    )

    facet_names = ("kind", "country")

    class Meta:
        model = OrganizationListing
        fields = []

    def filter_program(self, queryset, name, value):
        return queryset.filter(id__in=organizations_of(value))


# People

SECTORS = Sector.choices


class PersonFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"))
    organization = organizations(_("Organization"))
    sector = ChoiceFacetFilter(label=_("Sector worked in"), choices=SECTORS)
    program = RecordFacetFilter(label=_("Programme"), queryset=Program.objects.published())
    role = ChoiceFacetFilter(label=_("Role in a programme"), choices=InvolvementRole.choices)
    modified_since = ModifiedSinceFilter()
    sort = SortFilter({RELEVANCE: relevance(), "name": (_("Name"), by_name()), "newest": NEWEST}, default="name")

    facet_names = ("sector", "role", "organization")

    class Meta:
        model = PersonListing
        fields = []


# Projects


class ProjectFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"))
    program = RecordFacetFilter(label=_("Programme"), queryset=Program.objects.published(), single_valued=True)
    year_min = YearFilter(label=_("Year from"), field_name="year", lookup_expr="gte")
    year_max = YearFilter(label=_("Year to"), field_name="year", lookup_expr="lte")
    modified_since = ModifiedSinceFilter()
    sort = SortFilter(
        {
            RELEVANCE: relevance("title"),
            "name": (_("Title"), by_name("title")),
            "-year": (_("Year, newest first"), [F("year").desc(nulls_last=True), "title", "id"]),
            "newest": NEWEST,
        },
        default="name",
    )

    facet_names = ("program",)

    class Meta:
        model = ProjectListing
        fields = []


# Sources


class SourceFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"))
    language = ChoiceFacetFilter(label=_("Language"), choices=SourceLanguage.choices, single_valued=True)
    year = YearFilter(label=_("Year published"), field_name="published_on__year")
    modified_since = ModifiedSinceFilter()
    sort = SortFilter(
        {
            RELEVANCE: relevance("title"),
            "date": (_("Newest first"), [F("published_on").desc(nulls_last=True), "title", "id"]),
            "name": (_("Title"), by_name("title")),
        },
        default="date",
    )

    facet_names = ("language",)

    class Meta:
        model = SourceListing
        fields = []


# Editions and research areas: the API's lists of small tables, read from the tables themselves.


class EditionFilterSet(PublicFilterSet):
    program = SlugFilter(label=_("Programme"), queryset=Program.objects.published(), method="filter_program")
    year_min = YearFilter(label=_("Year from"), field_name="year", lookup_expr="gte")
    year_max = YearFilter(label=_("Year to"), field_name="year", lookup_expr="lte")
    modified_since = ModifiedSinceFilter()
    sort = SortFilter(
        {
            "program": (
                _("Programme, then year"),
                lambda: [
                    display_order("program__name"),
                    "program_id",
                    F("year").asc(nulls_last=True),
                    "label",
                    "pk",
                ],
            ),
            "-year": (_("Year, newest first"), [F("year").desc(nulls_last=True), "program__name", "label", "pk"]),
            "year": (_("Year"), [F("year").asc(nulls_last=True), "program__name", "label", "pk"]),
        },
        default="program",
    )

    class Meta:
        model = Edition
        fields = []

    def filter_program(self, queryset, name, value):
        return queryset.filter(program__in=value)


class ResearchAreaFilterSet(PublicFilterSet):
    q = SearchFilter(label=_("Search"))
    modified_since = ModifiedSinceFilter()
    sort = SortFilter(
        {
            RELEVANCE: (_("Relevance"), lambda: [display_order("name"), "pk"]),
            "name": (_("Name"), lambda: [display_order("name"), "pk"]),
            "newest": (NEWEST[0], ["-created_at", "-pk"]),
        },
        default="name",
    )

    class Meta:
        model = ResearchArea
        fields = []


def filter_errors(filterset) -> list[str]:
    """The problems with a list's query string, one readable sentence per field."""
    messages = []
    for name, errors in filterset.errors.items():
        label = filterset.filters[name].label if name in filterset.filters else name
        messages.extend(gettext("%(field)s: %(error)s") % {"field": label, "error": error} for error in errors)
    return messages
