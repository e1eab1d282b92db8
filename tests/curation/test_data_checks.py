"""check_data and its admin page: each check finds a record that breaks it and passes one that keeps it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from programs import models
from programs.curation.data_checks import data_check
from tests import factories as f

pytestmark = pytest.mark.django_db


def found(check: str) -> list[tuple[str, str]]:
    """(record, message) of each finding of `check`, in English."""
    with translation.override("en"):
        return [(finding.label, finding.message) for finding in data_check() if finding.check == check]


def labels(check: str) -> list[str]:
    return [label for label, _message in found(check)]


def sound_program(**fields):
    """A published programme that passes every check: English name, a year, a participant, a quote naming it."""
    program = f.ProgramFactory(**fields)
    f.ParticipationFactory(program=program)
    f.CitationFactory(record=program, quote=f"据报道，{program.name}于今年启动。")
    return program


def test_sound_records_pass_every_check():
    program = sound_program()
    edition = f.EditionFactory(program=program, label_en="2020", recipient_count=2)
    f.CitationFactory(record=edition, quote=f"{program.name}首届共有两人入选。")
    project = f.ProjectFactory(program=program, year=2020)
    f.ProjectMemberFactory(project=project)
    assert data_check() == []


# English names


@pytest.mark.parametrize(
    ("factory", "field", "label"),
    [
        (f.ProgramFactory, "name_en", "program"),
        (f.OrganizationFactory, "name_en", "organization"),
        (f.PersonFactory, "name_en", "person"),
        (f.ResearchAreaFactory, "name_en", "research_area"),
        (f.ProjectFactory, "title_en", "project"),
        (f.SourceFactory, "title_en", "source"),
    ],
)
def test_a_published_record_without_an_english_name_is_reported(factory, field, label):
    record = factory(slug="x-1", **{field: ""})
    factory(slug="x-2")
    assert found("english_name") == [(f"{label}/x-1", "no English name")]
    record.status = models.Status.DRAFT
    record.save()
    assert found("english_name") == []


def test_an_edition_without_an_english_label_is_reported():
    program = sound_program()
    f.EditionFactory(program=program, slug="round-1", label_en="")
    f.EditionFactory(program=program, slug="round-2", label_en="Round 2")
    assert labels("english_name") == ["edition/round-1"]


# Years


def test_a_programme_without_years_is_reported_unless_no_source_gives_them():
    undated = sound_program(slug="undated", start_year=None)
    sound_program(slug="ended", start_year=None, end_year=2019)
    assert found("years") == [("program/undated", "no year, nor a dated edition, and not marked as given by no source")]
    undated.years_not_in_sources = True
    undated.save()
    assert found("years") == []


def test_a_dated_edition_dates_its_programme():
    program = sound_program(slug="rounds", start_year=None)
    edition = f.EditionFactory(program=program, year=None, label="首届")
    assert labels("years") == [f"edition/{edition.slug}", "program/rounds"]
    edition.year = 2023
    edition.save()
    assert labels("years") == []


def test_a_project_without_a_year_is_reported_unless_no_source_gives_it():
    project = f.ProjectFactory(slug="p", year=None)
    f.ProjectMemberFactory(project=project)
    assert labels("years") == ["project/p"]
    project.years_not_in_sources = True
    project.save()
    assert labels("years") == []


# Participants


def test_a_programme_without_participants_is_reported_unless_no_source_names_them():
    program = f.ProgramFactory(slug="alone")
    assert found("participants") == [("program/alone", "no organization takes part, and none is marked as unnamed")]
    program.participants_not_in_sources = True
    program.save()
    assert found("participants") == []
    f.ParticipationFactory(program=program)
    assert found("participants") == [("program/alone", "marked as naming no organization, yet organizations take part")]


def test_a_draft_organization_does_not_count_as_a_participant():
    program = f.ProgramFactory(slug="drafted")
    participation = f.ParticipationFactory(program=program, organization__status=models.Status.DRAFT)
    assert labels("participants") == ["program/drafted"]
    participation.organization.status = models.Status.PUBLISHED
    participation.organization.save()
    assert labels("participants") == []


def test_a_project_without_members_is_reported():
    project = f.ProjectFactory(slug="empty", year=2020, program=sound_program())
    assert found("participants") == [("project/empty", "no member")]
    f.ProjectMemberFactory(project=project)
    assert found("participants") == []


# Quotes and names


def test_a_quote_that_does_not_name_its_record_is_reported():
    program = sound_program(slug="lab", name="甲乙联合实验室", aliases=["甲乙实验室"])
    other = f.SourceFactory(slug="other-article")
    f.CitationFactory(record=program, source=other, quote="双方宣布共建实验室。")
    assert found("quote_names_record") == [
        ("program/lab", "the quote from other-article gives neither its name nor an alias: “双方宣布共建实验室。”")
    ]
    models.Citation.objects.filter(source=other).update(quote="双方宣布共建甲乙实验室。")
    assert found("quote_names_record") == []


@pytest.mark.parametrize(
    ("factory", "fields", "quote"),
    [
        (f.PersonFactory, {"name": "杰克·唐家拉"}, "图灵奖得主杰克?唐家拉通过视频致辞。"),  # garbled punctuation
        (f.OrganizationFactory, {"name_en": "Massachusetts Institute of Technology"}, "the massachusetts institute."),
        (
            f.OrganizationFactory,
            {"name_en": "Massachusetts Institute of Technology"},
            "MASSACHUSETTS INSTITUTE OF TECHNOLOGY",
        ),
        (f.OrganizationFactory, {"short_name": "MIT"}, "与来自MIT的团队同台竞争。"),
        (f.OrganizationFactory, {"aliases": ["港中大"]}, "这家起源于港中大的AI新贵。"),
    ],
)
def test_names_aliases_and_short_names_match_whatever_the_case_and_punctuation(factory, fields, quote):
    record = factory(**fields)
    f.CitationFactory(record=record, quote=quote)
    named = "institute." not in quote
    assert (found("descriptive_name") == []) == named


def test_a_name_no_quote_gives_must_be_flagged_as_descriptive():
    program = sound_program(slug="funds", name="甲公司与多个学术组织推出的科研基金")
    models.Citation.objects.filter(object_id=program.pk).update(quote="与多个学术组织连续五年推出了科研基金。")
    [(label, message)] = found("descriptive_name")
    assert label == "program/funds" and message.startswith("no quote gives its name or an alias")
    assert found("quote_names_record") == []  # one finding for the record, not one per quote
    program.name_is_descriptive = True
    program.save()
    assert found("descriptive_name") == []


def test_an_edition_is_named_by_its_programme_or_label_and_as_descriptive_as_it():
    program = sound_program(slug="award", name="某某科技奖")
    edition = f.EditionFactory(program=program, slug="award-2", label="第二届", label_en="2nd")
    citation = f.CitationFactory(record=edition, quote="第二届共有十人获奖。")
    assert labels("descriptive_name") == []
    citation.quote = "今年共有十人获奖。"
    citation.save()
    assert labels("descriptive_name") == ["edition/award-2"]
    program.name_is_descriptive = True
    program.save()
    assert labels("descriptive_name") == []


# Organizations spelled two ways


def test_one_english_name_on_two_slugs_is_reported():
    f.OrganizationFactory(slug="hkstp", name="香港科技园公司", name_en="Hong Kong Science and Technology Parks")
    f.OrganizationFactory(slug="hk-science-park", name="香港科技园", name_en="hong kong science and technology parks.")
    f.OrganizationFactory(
        slug="hkust", name="香港科技大学", name_en="The Hong Kong University of Science and Technology"
    )
    assert labels("organization_spelling") == ["organization/hk-science-park"]
    assert "organization/hkstp" in found("organization_spelling")[0][1]


def test_one_name_with_two_english_names_is_reported():
    f.OrganizationFactory(
        slug="ict-1", name="中国科学院计算技术研究所", name_en="Institute of Computing Technology, CAS"
    )
    f.OrganizationFactory(
        slug="ict-2", name="中国科学院计算技术研究所", name_en="ICT of the Chinese Academy of Sciences"
    )
    f.OrganizationFactory(slug="other", name="中国科学院", name_en="Chinese Academy of Sciences")
    [(label, message)] = found("organization_spelling")
    assert label == "organization/ict-1"
    assert "ICT of the Chinese Academy of Sciences / Institute of Computing Technology, CAS" in message


# Edition counts


def test_an_edition_listing_more_projects_than_it_counts_is_reported():
    edition = f.EditionFactory(slug="round", project_count=1, label_en="x")
    for _ in range(2):
        f.ProjectFactory(program=edition.program, edition=edition)
    assert found("edition_counts") == [("edition/round", "lists 2 projects, but counts 1")]
    edition.project_count_qualifier = models.Qualifier.AT_LEAST
    edition.save()
    assert found("edition_counts") == []


def test_an_edition_listing_more_recipients_than_it_counts_is_reported():
    edition = f.EditionFactory(slug="round", recipient_count=1)
    for role in (models.InvolvementRole.AWARDEE, models.InvolvementRole.SCHOLAR, models.InvolvementRole.MENTOR):
        f.InvolvementFactory(program=edition.program, edition=edition, role=role)
    assert found("edition_counts") == [("edition/round", "lists 2 recipients, but counts 1")]
    edition.recipient_count = 2
    edition.save()
    assert found("edition_counts") == []


def test_an_edition_amount_above_its_programme_amount_is_reported():
    program = f.ProgramFactory(amount=200000, currency="CNY", amount_basis=models.AmountBasis.PER_PERSON)
    edition = f.EditionFactory(
        program=program, slug="round", amount=250000, currency="CNY", amount_basis=models.AmountBasis.PER_PERSON
    )
    assert found("edition_counts") == [
        ("edition/round", "its amount 250,000 CNY per person is more than its programme's 200,000 CNY per person")
    ]
    edition.amount_basis = models.AmountBasis.TOTAL  # a total and a sum per person do not compare
    edition.save()
    assert found("edition_counts") == []


def test_a_sub_programme_edition_counting_more_than_its_parents_edition_is_reported():
    air = f.ProgramFactory()
    award = f.ProgramFactory(parent=air)
    whole = f.EditionFactory(program=air, slug="air-2022", year=2022, project_count=10)
    f.EditionFactory(program=award, slug="award-2022", year=2022, project_count=15)
    f.EditionFactory(program=award, slug="award-2023", year=2023, project_count=15)
    assert found("edition_counts") == [
        ("edition/award-2022", "projects 15 is more than the 10 of edition/air-2022 of the programme it is part of")
    ]
    whole.project_count_qualifier = models.Qualifier.AT_LEAST
    whole.save()
    assert found("edition_counts") == []


# The command and the admin page


def test_check_data_fails_listing_every_finding_and_passes_once_they_are_fixed():
    program = sound_program(slug="lab", name_en="")
    out = StringIO()
    with pytest.raises(CommandError, match=r"^1 problem\(s\) found\.$"):
        call_command("check_data", stdout=out)
    assert "Published records without an English name (1)" in out.getvalue()
    assert "  english_name: program/lab: no English name" in out.getvalue()
    program.name_en = "Lab"
    program.save()
    out = StringIO()
    call_command("check_data", stdout=out)
    assert "No problems found." in out.getvalue()


def test_check_data_reads_only():
    sound_program(name_en="")
    before = models.Program.objects.values_list("pk", "name_en", "updated_at")[0]
    with pytest.raises(CommandError):
        call_command("check_data", stdout=StringIO())
    assert models.Program.objects.values_list("pk", "name_en", "updated_at")[0] == before


def test_the_admin_page_shows_the_report_with_links_to_the_records(staff_client):
    program = sound_program(slug="lab", name_en="")
    page = staff_client.get("/en/admin/check/").content.decode()
    assert "1 problem found." in page
    assert f'<a href="/en/admin/programs/program/{program.pk}/change/">program/lab</a>: no English name' in page
    program.name_en = "Lab"
    program.save()
    page = staff_client.get("/admin/check/").content.decode()
    assert "没有发现问题。" in page


def test_the_admin_page_speaks_the_admins_language(staff_client):
    sound_program(name_en="")
    page = staff_client.get("/admin/check/").content.decode()
    assert "缺少英文名称的已发布记录 (1)" in page and "没有英文名称" in page


def test_every_list_links_to_the_data_check(curator_client):
    page = curator_client.get("/en/admin/programs/organization/").content.decode()
    assert 'href="/en/admin/check/"' in page


def test_the_admin_page_is_for_staff_who_may_see_every_record(client, curator_client, django_user_model):
    assert curator_client.get("/en/admin/check/").status_code == 200
    assert client.get("/en/admin/check/").status_code == 302  # to the sign-in page
    bare_staff = django_user_model.objects.create_user("bare", password="x", is_staff=True)
    client.force_login(bare_staff)
    assert client.get("/en/admin/check/").status_code == 403


def test_the_admin_page_lists_the_first_findings_of_each_check(staff_client, monkeypatch):
    monkeypatch.setattr("programs.curation.check_view.LISTED_FINDINGS", 2)
    for slug in ("a", "b", "c"):
        sound_program(slug=slug, name_en="")
    page = staff_client.get("/en/admin/check/").content.decode()
    assert "Published records without an English name (3)" in page
    assert "program/a</a>" in page and "program/b</a>" in page and "program/c</a>" not in page
    assert "and 1 more: <code>manage.py check_data</code> lists them all." in page
