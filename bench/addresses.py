"""The addresses visitors ask for, drawn from the data with a fixed seed: per page class, and as a mix.

Run inside Django (bench/pages.py, or `python bench/addresses.py N` printing a mix as JSON lines).

The mix is what a public registry sees: mostly addresses nobody asked for a minute ago. Of its
requests, 35 % are lists with random filter combinations, 15 % searches, 40 % record pages and
the rest the overview, insights, other lists and the API; about 55 % of them (11,000 of 20,000)
are first visits, in every stretch of the list.
"""

import datetime
import random
import sys
from urllib.parse import urlencode

SEARCH_WORDS_ZH = ["人工智能", "实验室", "联合", "基金", "大学", "科技", "智能", "计算", "数据", "网络"]
SHORT_WORDS_ZH = ["院", "智能", "大学", "科研", "计划", "中心", "芯片", "医学"]
SEARCH_WORDS_EN = ["joint lab", "research fund", "award", "robotics", "quantum", "intelligence", "vision", "data"]
SORTS = ["name", "-start_year", "start_year", "newest"]


class Sample:
    """What the addresses are made of: slugs and codes of published records, read once."""

    def __init__(self, rng: random.Random):
        from django.db.models import Count

        from programs.models import (
            Lifecycle,
            Organization,
            OrganizationKind,
            Person,
            Program,
            ProgramKind,
            ResearchArea,
        )

        self.rng = rng
        self.kinds = [kind.value for kind in ProgramKind]
        self.lifecycles = [value.value for value in Lifecycle]
        self.organization_kinds = [kind.value for kind in OrganizationKind]
        published = Program.objects.published()
        self.programs = self.slugs(published, 5000)
        self.organizations = self.slugs(Organization.objects.published(), 3000)
        self.people = self.slugs(Person.objects.published(), 3000)
        self.areas = list(ResearchArea.objects.published().values_list("slug", flat=True))
        self.countries = list(
            Organization.objects.published().exclude(country="").values_list("country", flat=True).distinct()
        )
        busiest = Organization.objects.published().annotate(n=Count("participations")).order_by("-n")
        self.sponsors = list(busiest.values_list("slug", flat=True)[:50])
        self.largest_sponsor = self.sponsors[0]
        from programs.reads.record_links import partners_of

        # Pairs that share programmes: the ten busiest sponsors, each with its three closest partners.
        self.pairs = [
            (organization.slug, partner.slug)
            for organization in Organization.objects.filter(slug__in=self.sponsors[:10])
            for partner in partners_of(organization, 3)
        ]
        self.busiest_program = (
            published.annotate(n=Count("participations") + Count("involvements")).order_by("-n").first().slug
        )

    def slugs(self, records, count: int) -> list[str]:
        """Up to `count` slugs of `records` drawn at random (by id, so that the seed decides them)."""
        from django.db.models import Max

        highest = records.aggregate(highest=Max("id"))["highest"] or 0
        ids = self.rng.sample(range(1, highest + 1), min(highest, 2 * count))
        return sorted(records.filter(id__in=ids).values_list("slug", flat=True))[:count]

    def pick(self, values):
        return self.rng.choice(values)


def query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def filtered_list(s: Sample) -> str:
    """Two or three filters of a programme list, at random, sometimes sorted or on a later page."""
    choices = {
        "kind": lambda: s.pick(s.kinds),
        "lifecycle": lambda: s.pick(s.lifecycles),
        "country": lambda: s.pick(s.countries),
        "organization_kind": lambda: s.pick(s.organization_kinds),
        "research_area": lambda: s.pick(s.areas),
        "sponsor": lambda: s.pick(s.sponsors),
        "organization": lambda: s.pick(s.organizations),
        "start_year_min": lambda: s.rng.randint(1995, 2023),
    }
    names = s.rng.sample(sorted(choices), s.rng.randint(2, 3))
    params = {name: choices[name]() for name in names}
    if s.rng.random() < 0.3:
        params["sort"] = s.pick(SORTS)
    if s.rng.random() < 0.2:
        params["page"] = s.rng.randint(2, 4)
    return query("/programs/", **params)


def broad_list(s: Sample) -> str:
    """The whole list or one broad filter, in some order, on one of its first pages."""
    params = {"sort": s.pick(SORTS), "page": s.rng.randint(1, 40)}
    single = s.rng.choice(["", "kind", "lifecycle", "country", "organization_kind"])
    if single == "kind":
        params["kind"] = s.pick(s.kinds)
    elif single == "lifecycle":
        params["lifecycle"] = s.pick(s.lifecycles)
    elif single == "country":
        params["country"] = "CN"
    elif single == "organization_kind":
        params["organization_kind"] = s.pick(s.organization_kinds)
    return query("/programs/", **params)


def search(s: Sample, words) -> str:
    params = {"q": s.pick(words)}
    if s.rng.random() < 0.3:
        params["kind"] = s.pick(s.kinds)
    if s.rng.random() < 0.2:
        params["sort"] = s.pick(SORTS)
    return query(s.pick(["/programs/", "/en/programs/"]), **params)


def program_page(s: Sample) -> str:
    return f"{s.pick(['', '/en'])}/programs/{s.pick(s.programs)}/"


def organization_page(s: Sample) -> str:
    slug = s.largest_sponsor if s.rng.random() < 0.05 else s.pick(s.organizations)
    return f"{s.pick(['', '/en'])}/organizations/{slug}/"


def person_page(s: Sample) -> str:
    return f"{s.pick(['', '/en'])}/people/{s.pick(s.people)}/"


def organization_list(s: Sample) -> str:
    params = {"sort": s.pick(["name", "programs", "newest"]), "page": s.rng.randint(1, 20)}
    if s.rng.random() < 0.5:
        params["kind"] = s.pick(s.organization_kinds)
    if s.rng.random() < 0.3:
        params["country"] = s.pick(s.countries)
    return query("/organizations/", **params)


def people_list(s: Sample) -> str:
    params = {"page": s.rng.randint(1, 20)}
    choice = s.rng.random()
    if choice < 0.3:
        params["sector"] = s.pick(["academia", "industry", "other"])
    elif choice < 0.6:
        params["organization"] = s.pick(s.sponsors)
    return query("/people/", **params)


def feed(s: Sample) -> str:
    params = {"kind": s.pick(s.kinds)} if s.rng.random() < 0.5 else {"sponsor": s.pick(s.sponsors)}
    return query(s.pick(["/programs/feed/", "/en/programs/feed/"]), **params)


def last_sync(s: Sample) -> str:
    """The day a mirror last synced: one to thirty days ago (a daily, weekly or monthly sync)."""
    return (datetime.date.today() - datetime.timedelta(days=s.rng.randint(1, 30))).isoformat()


def modified_since_list(s: Sample) -> str:
    return query(s.pick(["/programs/", "/api/programs/"]), modified_since=last_sync(s), kind=s.pick(s.kinds))


def changes(s: Sample) -> str:
    return query("/api/changes/", since=last_sync(s))


def partnership(s: Sample) -> str:
    first, second = sorted(s.pick(s.pairs))
    return f"/partners/{first}/{second}/"


def api_list(s: Sample) -> str:
    params = {"kind": s.pick(s.kinds), "page_size": s.pick([10, 25, 50])}
    if s.rng.random() < 0.5:
        params["start_year_min"] = s.rng.randint(2000, 2020)
    if s.rng.random() < 0.3:
        params["sponsor"] = s.pick(s.sponsors)
    return query("/api/programs/", **params)


# Page classes: what the targets name, each made of many distinct addresses.
CLASSES = {
    "broad list": broad_list,
    "filtered list": filtered_list,
    "Chinese search": lambda s: search(s, SEARCH_WORDS_ZH),
    "Chinese search, 1-2 characters": lambda s: search(s, SHORT_WORDS_ZH),
    "English search": lambda s: search(s, SEARCH_WORDS_EN),
    "programme page": program_page,
    "organization page": organization_page,
    "person page": person_page,
    "organization list": organization_list,
    "people list": people_list,
    "overview": lambda s: s.pick(["/", "/en/"]),
    "insights": lambda s: s.pick(["/insights/", "/en/insights/"]),
    "API list": api_list,
    "feed": feed,
    "modified_since list": modified_since_list,
    "changes API": changes,
    "partnership page": partnership,
}

# The visitor mix: (share of requests, page class).
MIX = [
    (0.35, filtered_list),
    (0.075, lambda s: search(s, SEARCH_WORDS_ZH + SHORT_WORDS_ZH)),
    (0.075, lambda s: search(s, SEARCH_WORDS_EN)),
    (0.25, program_page),
    (0.08, organization_page),
    (0.07, person_page),
    (0.03, lambda s: s.pick(["/", "/en/"])),
    (0.02, lambda s: s.pick(["/insights/", "/en/insights/"])),
    (0.02, broad_list),
    (0.02, organization_list),
    (0.02, people_list),
    (0.04, api_list),
]


def class_addresses(sample: Sample, per_class: int) -> dict[str, list[str]]:
    """`per_class` addresses of each page class (distinct where the class allows)."""
    addresses = {}
    for name, make in CLASSES.items():
        seen = dict.fromkeys(make(sample) for _ in range(per_class * 3))
        addresses[name] = list(seen)[:per_class]
    addresses["organization page"][0] = f"/organizations/{sample.largest_sponsor}/"
    addresses["programme page"][0] = f"/programs/{sample.busiest_program}/"
    largest = [pair for pair in sample.pairs if sample.largest_sponsor in pair]
    addresses["partnership page"][0] = "/partners/{}/{}/".format(*sorted(largest[0]))
    return addresses


def visitor_mix(sample: Sample, requests: int, distinct_share: float = 0.55) -> list[str]:
    """`requests` addresses drawn from the mix, each new with probability `distinct_share` and
    otherwise one asked for before: every stretch of the list has the same share of first visits,
    so that a run that stops early measures what the whole list would."""
    weights = [share for share, _make in MIX]
    makers = [make for _share, make in MIX]
    order: list[str] = []
    for _ in range(requests):
        if order and sample.rng.random() > distinct_share:
            order.append(sample.pick(order))
        else:
            order.append(sample.rng.choices(makers, weights=weights)[0](sample))
    return order


if __name__ == "__main__":
    import django

    django.setup()
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    mix = visitor_mix(Sample(random.Random(7)), count)
    sys.stdout.write("\n".join(mix) + "\n")
