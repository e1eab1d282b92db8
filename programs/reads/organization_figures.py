"""The figures of an organization's page, as GrantNav gives funders and recipients: its published
programmes per start year and per kind, their amounts by currency and basis, and its top partners.

Programmes per year and per kind are pairs the read model keeps (programs.reads.record_links.pair_counts),
so that the largest sponsor's page costs what any other's does; the amounts are one aggregate over
the organization's programmes that state one. Only amounts given in total are added up: 200,000 CNY
per person in one programme and 50,000 CNY per person in another make no 250,000 of anything, so
amounts per person, per project or per year (or without a basis) show their range and count.
"""

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum

from programs.models import AmountBasis, Participation, Program
from programs.models.base import choice_label
from programs.models.programs import amount_display
from programs.reads import charts, insights
from programs.reads.partnerships import partnership_url
from programs.reads.record_links import pair_counts

TOP_PARTNERS = 10


def organization_figures(organization, partners: list) -> dict:
    """Charts and rows for the page; `partners` are the organization's partners, busiest first,
    with `shared_count` (programs.reads.record_links.partners_of)."""
    programs = Program.objects.published().filter(
        Exists(Participation.objects.filter(program=OuterRef("pk"), organization=organization))
    )
    return {
        "year_chart": charts.column_chart(
            insights.by_start_year(pair_counts(organization, "start_year"), organization=organization.slug)
        ),
        "kind_chart": charts.hbar_chart(
            insights.per_kind(pair_counts(organization, "kind"), organization=organization.slug)
        ),
        "amounts": amount_rows(programs),
        "partner_chart": charts.hbar_chart(
            (
                (
                    partner.display_name,
                    partner.shared_count,
                    partnership_url(organization, partner),
                    f"sector-{partner.sector}",
                )
                for partner in partners[:TOP_PARTNERS]
            ),
            label_width=180,
        ),
    }


def amount_rows(programs) -> list[dict]:
    """Per currency and basis: how many programmes state an amount, its range, and the sum of those
    given in total (blank for the other bases)."""
    rows = (
        programs.exclude(amount=None)
        .values("currency", "amount_basis")
        .annotate(
            n=Count("pk"),
            smallest=Min("amount"),
            largest=Max("amount"),
            total=Sum("amount", filter=Q(amount_basis=AmountBasis.TOTAL)),
        )
        .order_by("currency", "amount_basis")
    )
    return [
        {
            "currency": row["currency"],
            "basis": str(choice_label(AmountBasis, row["amount_basis"])) if row["amount_basis"] else "",
            "programs": row["n"],
            "range": amount_range(row["smallest"], row["largest"]),
            "total": amount_display(row["total"]) if row["total"] is not None else "",
        }
        for row in rows
    ]


def amount_range(smallest, largest) -> str:
    """ "50,000–200,000", or one amount when all are the same."""
    if smallest == largest:
        return amount_display(smallest)
    return f"{amount_display(smallest)}–{amount_display(largest)}"
