"""Facet counts and totals of a list, from its listing's tokens.

A facet shows, for each value, how many records the *other* filters in force would show with it:
the facets whose own filter is not in force share one set of rows (every filter's), and a facet
whose filter is in force counts the rows of all the others. A page's sets are first counted
(one statement, bounded: the list's own to "10,000+", the others to EXACT_ROWS + 1); then the
tokens of the smaller sets are counted, and those of the larger in a sample of the listing's rows,
each an aggregate over the listing alone, in one statement each. With no other filter in force,
PostgreSQL reads the counts it keeps (programs_facet_count) instead of counting, and with one
broad value the pairs it keeps (programs_facet_pair); a list's total is read from the kept counts
when its filters select the rows of some tokens.

(Counting every set in one scan of the rows, each facet filter in force a flag of the row, was
measured: 8 % less database time but no parallel scans, so slower lists at the 95th percentile.)
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, F, Q, Sum, Value

from programs.models import (
    FacetCount,
    FacetPair,
    OrganizationListing,
    PersonListing,
    ProgramListing,
    ProjectListing,
    SourceListing,
)
from programs.models.base import MAX_YEAR, MIN_YEAR
from programs.reads import read_model
from programs.reads.read_model.schema import BY_NAME

LISTINGS = (ProgramListing, OrganizationListing, PersonListing, ProjectListing, SourceListing)

FACET_LIMIT = 12  # the busiest values shown of a facet of records or countries


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
    exact: bool = True  # False: the counts are estimates from a sample (token_counts)


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_query: str


def limit_of(filter_) -> int | None:
    """How many of a facet's values are shown: all of a short list of choices, the busiest of a long one."""
    choices = filter_.extra.get("choices")
    return None if choices is not None and not callable(choices) else FACET_LIMIT


def kept(rows) -> bool:
    """Whether the database keeps the counts of `rows`' listing (a maintained table, not a live view)."""
    return read_model.maintained(rows.db) and not rows.model.live


def spec_of(filter_) -> tuple[str, int | None]:
    return filter_.token_name, limit_of(filter_)


def count_facets(filterset) -> list[Facet]:
    """Each facet of `filterset` with its values, their labels and counts.

    A facet's rows are those of every filter in force but its own. When that leaves no filter, the
    counts are the listing's kept counts; when it leaves one value (or a few values, or a range
    of start years) of a broad facet, they are sums of the kept pairs of those values with the
    facet's values; otherwise the rows' tokens are counted (`token_counts`): exactly up to
    `EXACT_ROWS` rows, estimated from a sample beyond.
    """
    filterset.is_valid()
    in_force = filterset.in_force()
    total = kept_total(filterset, in_force)
    counts: dict[str, dict[str, int]] = {}
    aggregated = []
    for excluded, specs in facet_groups(filterset, in_force).items():
        others = {name: value for name, value in in_force.items() if name != excluded}
        found, rest = read_kept(filterset, others, specs)
        counts |= found
        if rest:  # the rows of every filter in force are counted with their tokens, for count_rows
            size = total if excluded is None else None
            aggregated.append(Counted(filterset.queryset_without(excluded), rest, excluded is None, size))
    counted = token_counts(aggregated)
    filterset.row_count = total if total is not None else counted.size
    counts |= counted.values
    return [
        facet_of(filterset, filterset.filters[name], counts, exact=name not in counted.estimated)
        for name in filterset.facet_names
    ]


def facet_groups(filterset, in_force: dict) -> dict[str | None, list]:
    """The facets' specs by the filter their rows leave out: their own when it is in force, else none."""
    groups: dict[str | None, list] = {}
    for name in filterset.facet_names:
        groups.setdefault(name if name in in_force else None, []).append(spec_of(filterset.filters[name]))
    return groups


def read_kept(filterset, others: dict, specs: list) -> tuple[dict[str, dict[str, int]], list]:
    """The counts of `specs` PostgreSQL keeps for the rows `others` select, and the specs left to count."""
    rows = filterset.queryset
    if not kept(rows):
        return {}, specs
    if not others:
        return kept_counts(rows, specs), []
    paired = selected_tokens(filterset, others)
    pairable = pairable_specs(filterset, paired, specs) if paired else []
    rest = [spec for spec in specs if spec not in pairable]
    return (kept_pair_counts(rows, paired, pairable) if pairable else {}), rest


def pairable_specs(filterset, paired: list[tuple[str, str]], specs: list) -> list:
    """The specs whose counts are sums of the kept pairs of the tokens `paired` with their values."""
    seconds = paired_facets(filterset, paired[0][0])
    return [spec for spec in specs if spec[0] in seconds and (len(paired) == 1 or spec[0] not in HIGH_CARDINALITY)]


# Facets with thousands of values: a sum of their pairs over many broad values costs more than
# counting the rows, so they are read from pairs of one broad value only.
HIGH_CARDINALITY = ("sponsor", "partner", "organization")


YEAR_BOUNDS = {"start_year_min", "start_year_max"}


def selected_tokens(filterset, in_force: dict) -> list[tuple[str, str]] | None:
    """The tokens (facet, value) whose rows are exactly those `in_force` selects, none in two of
    them: one filter's values (one value, or several of a facet each row has at most one value
    of), or a range of start years; None for anything else."""
    if in_force and set(in_force) <= YEAR_BOUNDS:
        low, high = in_force.get("start_year_min", MIN_YEAR), in_force.get("start_year_max", MAX_YEAR)
        return [("start_year", str(year)) for year in range(low, high + 1)]
    if len(in_force) != 1:
        return None
    [(name, value)] = in_force.items()
    filter_ = filterset.filters[name]
    keys = filter_.keys(value) if hasattr(filter_, "token_name") else []
    if not keys or (len(keys) > 1 and not filter_.single_valued):
        return None  # rows with several of the values would be counted twice
    return [(filter_.token_name, key) for key in keys]


def paired_facets(filterset, facet: str) -> tuple[str, ...]:
    """The facets whose values PostgreSQL counts in pairs with each value of `facet`."""
    return dict(BY_NAME[filterset._meta.model.listing].pairs).get(facet, ())


def kept_pair_counts(rows, tokens: list[tuple[str, str]], specs) -> dict[str, dict[str, int]]:
    """The counts of each facet of `specs` among the rows holding one of `tokens`: the kept pairs of
    the token with the facet's values, or their sums over the tokens (each facet's busiest, or all)."""
    parts, params = [], []
    chosen = " OR ".join(["(facet_a = %s AND value_a = %s)"] * len(tokens))
    total = "n" if len(tokens) == 1 else "sum(n)"  # one token: read in the index's order, no sum
    grouped = "" if len(tokens) == 1 else " GROUP BY facet_b, value_b"
    for facet, limit in specs:
        parts.append(
            f"(SELECT facet_b || ':' || value_b, {total} AS total FROM programs_facet_pair WHERE listing = %s "
            f"AND ({chosen}) AND facet_b = %s AND n > 0{grouped}"
            + (" ORDER BY total DESC, value_b LIMIT %s)" if limit else ")")
        )
        params += [rows.model.listing, *(value for token in tokens for value in token), facet]
        params += [limit] if limit else []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return _collect(cursor.fetchall())


def totals(listing, specs) -> dict[str, dict[str, int]]:
    """Token counts of a whole listing (a model's rows, e.g. `ProgramListing.objects`), for figures:
    `specs` are (facet, how many of the busiest values, or None for all)."""
    rows = listing.all()
    return kept_counts(rows, specs) if kept(rows) else run_counts([Counted(rows, specs, False)])[0]


def facet_of(filterset, filter_, counts: dict[str, dict[str, int]], exact: bool = True) -> Facet:
    """A facet's values in its choices' order, or the busiest first; a record since deleted is left out."""
    counted = counts.get(filter_.token_name, {})
    selected = filterset.selected(filter_.field_name)
    values = []
    for key, label in filter_.labels(list(counted)).items():
        value, shown = label if isinstance(label, tuple) else (key, label)
        values.append(FacetValue(value, shown, counted[key], value in selected))
    if limit_of(filter_) is not None:
        values.sort(key=lambda item: (-item.count, item.label))
    return Facet(filter_.field_name, str(filter_.label), values, exact)


def kept_counts(rows, specs) -> dict[str, dict[str, int]]:
    """The counts PostgreSQL keeps of a whole listing: each facet's values, or its busiest ones."""
    parts, params = [], []
    for facet, limit in specs:
        parts.append(
            "(SELECT facet || ':' || value, n FROM programs_facet_count WHERE listing = %s AND facet = %s AND n > 0"
            + (" ORDER BY n DESC, value LIMIT %s)" if limit else ")")
        )
        params += [rows.model.listing, facet, *([limit] if limit else [])]
    with connections[rows.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return _collect(cursor.fetchall())


# Rows whose tokens a facet statement counts exactly; a set of more is counted in a sample of the
# listing's rows (`SAMPLE_ROWS` of them, chosen by id) and its counts scaled up, marked as estimates.
EXACT_ROWS = 2_000
SAMPLE_ROWS = 4_000  # a list of a third of the rows has ~1,300 in it: a value held by a tenth of them is ±10 % (1σ)
SAMPLE_BUCKETS = 1024  # a row is in the sample when id % SAMPLE_BUCKETS is below a bound (an index serves it)


@dataclass
class Counted:
    """A set of rows whose tokens are counted for the facets `specs`; `sized` also gives the list's size."""

    rows: object
    specs: list
    sized: bool
    size: int | None = None  # known already (from the kept counts): not counted again


@dataclass
class TokenCounts:
    values: dict[str, dict[str, int]]
    size: int | None  # the list's size (up to MAX_COUNTED + 1), when a set counted was the whole list
    estimated: set[str]  # facets whose counts are estimates


def token_counts(aggregated: list[Counted]) -> TokenCounts:
    """Count the rows of each set first, up to EXACT_ROWS + 1 (the list's own on to MAX_COUNTED + 1,
    for its size); then the tokens of the sets found no larger, exactly, in one statement, and of
    the others in a sample, in another, their counts estimates. A large set's rows are only
    counted, never spread into tokens, which is most of the work."""
    if not aggregated:
        return TokenCounts({}, None, set())
    sizes = run_sizes(aggregated)
    large = [group for group, size in enumerate(sizes) if size > EXACT_ROWS]
    counts = exact_counts(aggregated, large)
    if large:
        estimate_in_sample(aggregated, large, counts)
    merged = {facet: values for found in counts for facet, values in found.items()}
    estimated = {facet for group in large for facet, _limit in aggregated[group].specs}
    return TokenCounts(merged, list_size(aggregated, sizes), estimated)


def exact_counts(aggregated: list[Counted], large: list[int]) -> list[dict]:
    """The counts of each set but the `large` ones (whose counts are left empty), in one statement."""
    small = [group for group in range(len(aggregated)) if group not in large]
    counts: list[dict] = [{} for _counted in aggregated]
    if small:
        for group, found in zip(small, run_counts([aggregated[group] for group in small]), strict=True):
            counts[group] = found
    return counts


def run_sizes(groups: list[Counted]) -> list[int]:
    """How many rows each set has: its known size, or counted up to EXACT_ROWS + 1 (the list's own
    up to MAX_COUNTED + 1), the sets of unknown size in one statement."""
    unknown = [counted for counted in groups if counted.size is None]
    found = iter(count_sizes(unknown) if unknown else [])
    return [next(found) if counted.size is None else counted.size for counted in groups]


def count_sizes(groups: list[Counted]) -> list[int]:
    """The sizes of `groups` counted (see `run_sizes`) in one statement: one row, a column per set."""
    columns, params = [], []
    for counted in groups:
        stop = (MAX_COUNTED if counted.sized else EXACT_ROWS) + 1
        sql, group_params = counted.rows.order_by().values("id")[:stop].query.sql_with_params()
        columns.append(f"(SELECT count(*) FROM ({sql}) r)")
        params += group_params
    with connections[groups[0].rows.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        return list(cursor.fetchone())


def estimate_in_sample(aggregated: list[Counted], large: list[int], counts: list) -> None:
    """Replace the counts of the `large` sets by estimates from their rows in the sample."""
    bound = sample_bound(aggregated[0].rows)
    sampled = run_counts([aggregated[group] for group in large], sample=bound)
    for group, found in zip(large, sampled, strict=True):
        counts[group] = scaled(found, SAMPLE_BUCKETS / bound)


def list_size(aggregated: list[Counted], sizes: list[int]) -> int | None:
    """The list's size (up to MAX_COUNTED + 1), when the set of its rows was counted."""
    return next((sizes[group] for group, counted in enumerate(aggregated) if counted.sized), None)


def sample_bound(rows) -> int:
    """The bucket below which a row is in the sample: about SAMPLE_ROWS of the listing's rows."""
    size = listing_sizes(rows.db)[rows.model.listing]
    return max(1, min(SAMPLE_BUCKETS, -(-SAMPLE_BUCKETS * SAMPLE_ROWS // max(size, 1))))


def scaled(counts: dict[str, dict[str, int]], factor: float) -> dict[str, dict[str, int]]:
    """Counts in a sample as estimates of the whole: scaled, to two significant figures."""
    return {facet: {value: estimate(n * factor) for value, n in values.items()} for facet, values in counts.items()}


def estimate(value: float) -> int:
    digits = max(len(str(round(value))) - 2, 0)
    return round(value, -digits) if digits else round(value)


def group_sql(group: int, counted: Counted, dialect, *, sample: int | None):
    """The SQL counting one set's tokens of its facets (each of its rows, or those in the sample
    below `sample`), and its parameters."""
    unnest, token, facet_of_token = dialect
    rows = counted.rows.values("facets")
    if sample is not None:
        rows = rows.alias(bucket=F("id") % SAMPLE_BUCKETS).filter(bucket__lt=sample)
    sql, params = rows.query.sql_with_params()
    names = [facet for facet, _limit in counted.specs]
    return (
        f"SELECT {group} AS g, {token} AS t, count(*) AS n FROM ({sql}) s {unnest} "
        f"WHERE {facet_of_token(token)} IN ({', '.join(['%s'] * len(names))}) GROUP BY {token}"
    ), [*params, *names]


def run_counts(groups: list[Counted], *, sample: int | None = None) -> list[dict[str, dict[str, int]]]:
    """One statement counting each group's tokens (of all its rows, or of those in the sample
    below `sample`): for each group its {facet: {value: count}}, each facet's busiest values."""
    db = groups[0].rows.db
    dialect = DIALECTS[connections[db].vendor]
    parts, params = [], []
    for group, counted in enumerate(groups):
        sql, group_params = group_sql(group, counted, dialect, sample=sample)
        parts.append(sql)
        params += group_params
    limits, unlimited = limits_of(groups)
    facet_of_token = dialect[2]
    ranked = (
        f"SELECT c.g, c.t, c.n, row_number() OVER (PARTITION BY c.g, {facet_of_token('c.t')} "
        f"ORDER BY c.n DESC, c.t) AS r FROM ({' UNION ALL '.join(parts)}) c"
    )
    keep = f"r <= %s OR {facet_of_token('t')} IN ({', '.join(['%s'] * len(unlimited))})"
    params += [max(limits.values(), default=FACET_LIMIT), *unlimited]
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT g, t, n FROM ({ranked}) ranked WHERE {keep} ORDER BY g, n DESC, t", params)
        rows = cursor.fetchall()
    return [trimmed(_collect((t, n) for g, t, n in rows if g == group), limits) for group in range(len(groups))]


def limits_of(groups: list[Counted]) -> tuple[dict[str, int], list[str]]:
    """How many values each facet keeps, and the facets that keep all ("" when none does: the SQL
    list `IN (…)` may not be empty)."""
    specs = [spec for counted in groups for spec in counted.specs]
    limits = {facet: limit for facet, limit in specs if limit is not None}
    return limits, [*(facet for facet, limit in specs if limit is None)] or [""]


def trimmed(counts: dict[str, dict[str, int]], limits: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each facet's busiest values, as many as its limit (all of a facet without one)."""
    return {facet: dict(list(values.items())[: limits.get(facet)]) for facet, values in counts.items()}


def _collect(rows) -> dict[str, dict[str, int]]:
    """{facet: {value: count}} of (token, count) rows."""
    counts: dict[str, dict[str, int]] = {}
    for token, n in rows:
        facet, value = token.split(":", 1)
        counts.setdefault(facet, {})[value] = n
    return counts


# How each database spreads a row's tokens into rows, names one of them, and reads a token's facet.
DIALECTS = {
    "postgresql": (
        "CROSS JOIN LATERAL unnest(s.facets) AS u(t)",
        "u.t",
        lambda token: f"split_part({token}, ':', 1)",
    ),
    "sqlite": (
        "CROSS JOIN json_each(s.facets) u",
        "u.value",
        lambda token: f"substr({token}, 1, instr({token}, ':') - 1)",
    ),
}


# A list counts its rows up to this many; beyond, its size reads "10,000+" (`MAX_COUNTED + 1` rows).
MAX_COUNTED = 10_000


def count_rows(filterset) -> int:
    """How many rows the filters select: read from the kept counts where they can say (`kept_total`),
    counted otherwise, up to MAX_COUNTED + 1 (more than MAX_COUNTED)."""
    if getattr(filterset, "row_count", None) is not None:  # counted with the facets
        return filterset.row_count
    total = kept_total(filterset, filterset.in_force())
    return total if total is not None else filterset.qs.order_by()[: MAX_COUNTED + 1].count()


def kept_total(filterset, in_force: dict) -> int | None:
    """The size of the list `in_force` selects, exact, from the counts PostgreSQL keeps: the
    listing's, one filter's tokens' (`selected_tokens`), or the pairs of two such filters' tokens
    when those pairs are kept; None when they cannot say it."""
    groups = token_groups(filterset, in_force) if kept(filterset.queryset) else None
    if groups is None or len(groups) > 2:
        return None
    if len(groups) == 2:
        return kept_pair_total(filterset, *groups)
    chosen = Q()
    for facet, value in groups[0] if groups else [("", "")]:  # "": the listing's size
        chosen |= Q(facet=facet, value=value)
    counts = FacetCount.objects.using(filterset.queryset.db).filter(chosen, listing=filterset._meta.model.listing)
    return sum(counts.values_list("n", flat=True))


def token_groups(filterset, in_force: dict) -> list[list[tuple[str, str]]] | None:
    """For each filter in force (the start years' bounds one), the tokens it selects the rows of
    (`selected_tokens`); None when one selects other rows (a search, several values of a facet a row
    may hold several of)."""
    years = {name: value for name, value in in_force.items() if name in YEAR_BOUNDS}
    parts = [years] if years else []
    parts += [{name: value} for name, value in in_force.items() if name not in YEAR_BOUNDS]
    groups = [selected_tokens(filterset, part) for part in parts]
    return None if None in groups else groups


def kept_pair_total(filterset, first: list, second: list) -> int | None:
    """How many rows hold one of the tokens `first` and one of `second` (a row holds at most one of
    each), summed from the kept pairs; None when PostgreSQL keeps no pairs of their facets."""
    if second[0][0] not in paired_facets(filterset, first[0][0]):
        first, second = second, first
        if second[0][0] not in paired_facets(filterset, first[0][0]):
            return None
    pairs = FacetPair.objects.using(filterset.queryset.db).filter(
        listing=filterset._meta.model.listing,
        facet_a=first[0][0],
        value_a__in=[value for _facet, value in first],
        facet_b=second[0][0],
        value_b__in=[value for _facet, value in second],
    )
    return pairs.aggregate(total=Sum("n"))["total"] or 0


def listing_sizes(using: str | None = None) -> dict[str, int]:
    """{listing: rows} of every listing (the published programmes, organizations, ...), in one query,
    on `using` or where the request reads (a replica, perhaps: the primary may be down)."""
    listings = [model.listing for model in LISTINGS]
    if read_model.maintained(using or FacetCount.objects.db):
        kept = FacetCount.objects.using(using).filter(listing__in=listings, facet="", value="")
        sizes = dict(kept.values_list("listing", "n"))
    else:
        counts = [
            model.objects.using(using).annotate(listing=Value(model.listing)).values("listing") for model in LISTINGS
        ]
        union = counts[0].annotate(n=Count("id")).union(*(c.annotate(n=Count("id")) for c in counts[1:]), all=True)
        sizes = dict(union.values_list("listing", "n"))
    return {listing: sizes.get(listing, 0) for listing in listings}
