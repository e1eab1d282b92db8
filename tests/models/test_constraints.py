"""Each database constraint rejects a bad row written past model validation (save, update)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from programs import models
from tests import factories as f


def duplicate_slug(model_factory):
    def write():
        first = model_factory()
        model_factory(slug=first.slug)

    return write


def program_update(**values):
    def write():
        program = f.ProgramFactory()
        models.Program.objects.filter(pk=program.pk).update(**values)

    return write


def edition_update(**values):
    def write():
        edition = f.EditionFactory()
        models.Edition.objects.filter(pk=edition.pk).update(**values)

    return write


def affiliation_update(**values):
    def write():
        affiliation = f.AffiliationFactory()
        models.Affiliation.objects.filter(pk=affiliation.pk).update(**values)

    return write


def duplicate_edition_round():
    edition = f.EditionFactory(year=2022, label="2022")
    f.EditionFactory(program=edition.program, year=2022, label="2022")


def duplicate_undated_edition():
    edition = f.EditionFactory(year=None, label="第一届")
    f.EditionFactory(program=edition.program, year=None, label="第一届")


def duplicate_participation():
    link = f.ParticipationFactory()
    f.ParticipationFactory(program=link.program, organization=link.organization, role=link.role)


def duplicate_position():
    link = f.AffiliationFactory(title="教授")
    f.AffiliationFactory(person=link.person, organization=link.organization, title="教授")


def duplicate_involvement_in_edition():
    edition = f.EditionFactory()
    link = f.InvolvementFactory(program=edition.program, edition=edition)
    f.InvolvementFactory(person=link.person, program=edition.program, edition=edition, role=link.role)


def duplicate_involvement_without_edition():
    link = f.InvolvementFactory(edition=None)
    f.InvolvementFactory(person=link.person, program=link.program, edition=None, role=link.role)


def duplicate_project_member():
    link = f.ProjectMemberFactory()
    f.ProjectMemberFactory(project=link.project, person=link.person)


def duplicate_citation():
    citation = f.CitationFactory()
    f.CitationFactory(source=citation.source, record=citation.record)


def empty_quote():
    f.CitationFactory(quote="")


def own_parent(model_factory, model):
    def write():
        record = model_factory()
        model.objects.filter(pk=record.pk).update(parent=record.pk)

    return write


BAD_WRITES = {
    "duplicate program slug": duplicate_slug(f.ProgramFactory),
    "duplicate organization slug": duplicate_slug(f.OrganizationFactory),
    "duplicate person slug": duplicate_slug(f.PersonFactory),
    "duplicate project slug": duplicate_slug(f.ProjectFactory),
    "duplicate source slug": duplicate_slug(f.SourceFactory),
    "duplicate research area slug": duplicate_slug(f.ResearchAreaFactory),
    "duplicate edition slug": duplicate_slug(f.EditionFactory),
    "program year range reversed": program_update(start_year=2020, end_year=2019),
    "program start year implausible": program_update(start_year=1850),
    "program end year implausible": program_update(end_year=2300),
    "program negative amount": program_update(amount=Decimal("-1"), currency="CNY"),
    "program amount without currency": program_update(amount=Decimal("100"), currency=""),
    "program is its own parent": own_parent(f.ProgramFactory, models.Program),
    "organization is its own parent": own_parent(f.OrganizationFactory, models.Organization),
    "edition negative amount": edition_update(amount=Decimal("-200000"), currency="CNY"),
    "edition year implausible": edition_update(year=1066),
    "edition round twice": duplicate_edition_round,
    "undated edition round twice": duplicate_undated_edition,
    "affiliation year range reversed": affiliation_update(start_year=2021, end_year=2015),
    "current affiliation with end year": affiliation_update(is_current=True, end_year=2020),
    "participation role twice": duplicate_participation,
    "affiliation position twice": duplicate_position,
    "involvement twice in an edition": duplicate_involvement_in_edition,
    "involvement twice without edition": duplicate_involvement_without_edition,
    "project member twice": duplicate_project_member,
    "citation of a source twice": duplicate_citation,
    "citation without quote": empty_quote,
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", BAD_WRITES.values(), ids=BAD_WRITES.keys())
def test_database_rejects(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.django_db
def test_full_clean_reports_constraint_messages():
    program = f.ProgramFactory.build(start_year=2020, end_year=2019, amount=Decimal("-5"), currency="CNY")
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            program.full_clean()
        assert error.value.message_dict == {
            "amount": ["Ensure this value is greater than or equal to 0."],
            "__all__": ["The end year cannot come before the start year."],
        }


@pytest.mark.django_db
def test_involvement_edition_must_belong_to_its_program():
    edition = f.EditionFactory()
    involvement = f.InvolvementFactory.build(person=f.PersonFactory(), program=f.ProgramFactory(), edition=edition)
    with translation.override("en"):  # the message is checked in its source language
        with pytest.raises(ValidationError) as error:
            involvement.full_clean()
        assert error.value.message_dict["edition"] == ["The edition belongs to another programme."]


@pytest.mark.django_db
def test_valid_rows_are_accepted():
    program = f.ProgramFactory(start_year=2017, end_year=2017, amount=Decimal("200000"), currency="CNY")
    edition = f.EditionFactory(program=program, year=2025, label="第二届", recipient_count=10)
    f.InvolvementFactory(program=program, edition=edition)
    f.AffiliationFactory(is_current=True, end_year=None)
    program.full_clean()
    edition.full_clean()
