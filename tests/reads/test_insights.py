"""The figures behind the charts, and the chart geometry."""

import pytest

from programs import models
from programs.reads import charts, insights
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_career_moves_count_consecutive_steps_by_sector():
    company, university, other_university = f.CompanyFactory(), f.OrganizationFactory(), f.OrganizationFactory()
    to_academia = f.PersonFactory()
    f.AffiliationFactory(person=to_academia, organization=company, start_year=2010)
    f.AffiliationFactory(person=to_academia, organization=university, start_year=2015)
    f.AffiliationFactory(person=to_academia, organization=other_university, start_year=2020)
    to_industry = f.PersonFactory()
    f.AffiliationFactory(person=to_industry, organization=university, start_year=2001)
    f.AffiliationFactory(person=to_industry, organization=company, start_year=2003)
    hidden = f.PersonFactory(status=models.Status.DRAFT)
    f.AffiliationFactory(person=hidden, organization=company, start_year=2001)
    f.AffiliationFactory(person=hidden, organization=university, start_year=2003)
    moves = {(move.origin, move.destination): move.count for move in insights.career_moves()}
    assert moves[("industry", "academia")] == 1
    assert moves[("academia", "academia")] == 1
    assert moves[("academia", "industry")] == 1
    assert moves[("industry", "industry")] == 0


def test_programs_by_start_year_fills_the_gaps_and_skips_drafts():
    f.ProgramFactory(start_year=2010)
    f.ProgramFactory(start_year=2013)
    f.ProgramFactory(start_year=2030, status=models.Status.DRAFT)
    rows = insights.by_start_year(insights.program_counts(start_year=None)["start_year"])
    assert [(year, count) for year, count, url in rows] == [(2010, 1), (2011, 0), (2012, 0), (2013, 1)]
    assert rows[0][2] == "/programs/?start_year_min=2010&start_year_max=2010"


def test_top_sponsors_and_network_count_shared_programmes():
    company, university = f.CompanyFactory(), f.OrganizationFactory()
    for _ in range(3):
        program = f.ProgramFactory()
        f.ParticipationFactory(program=program, organization=company)
        f.ParticipationFactory(program=program, organization=university, role=models.ParticipationRole.PARTNER)
    draft = f.ProgramFactory(status=models.Status.DRAFT)
    f.ParticipationFactory(program=draft, organization=company)
    counts = insights.program_counts(sponsor=10, organization=24)
    assert insights.sponsor_bars(counts["sponsor"])[0][:2] == (company.display_name, 3)
    organizations, links = insights.collaboration_network(counts["organization"])
    assert {org.pk for org in organizations} == {company.pk, university.pk}
    assert [(link.shared) for link in links] == [3]


def test_bar_chart_scales_to_the_largest_value():
    chart = charts.hbar_chart([("a", 10, "/a"), ("b", 5, "/b"), ("c", 0, "/c")])
    assert chart.bars[0].width == 2 * chart.bars[1].width
    assert chart.bars[2].width == 0
    assert charts.hbar_chart([]).empty


def test_column_chart_has_round_ticks_and_labels_that_fit():
    chart = charts.column_chart([(year, year % 7, "/") for year in range(1990, 2030)])
    assert [value for y, value in chart.ticks] == [0, 2, 4, 6, 8, 10]  # max 6, axis to 10
    assert 0 < sum(1 for bar in chart.bars if bar.tick) < len(chart.bars)


def test_network_places_every_node_and_links_known_ones():
    network = charts.circle_network(
        [(1, "A", "/a", "", 3), (2, "B", "/b", "", 1), (3, "C", "/c", "", 1)], [(1, 2, 2), (1, 99, 1)]
    )
    assert len(network.nodes) == 3 and len(network.edges) == 1
    assert all(0 <= node.x <= network.width and 0 <= node.y <= network.height for node in network.nodes)
