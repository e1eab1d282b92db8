"""`published()` is the single definition of what the public may see."""

import pytest

from programs import models
from tests import factories as f

pytestmark = pytest.mark.django_db

PUBLISHABLE = {
    "program": f.ProgramFactory,
    "organization": f.OrganizationFactory,
    "person": f.PersonFactory,
    "project": f.ProjectFactory,
    "source": f.SourceFactory,
    "research area": f.ResearchAreaFactory,
}


@pytest.mark.parametrize("factory", PUBLISHABLE.values(), ids=PUBLISHABLE.keys())
def test_published_hides_drafts(factory):
    public = factory()
    draft = factory(status=models.Status.DRAFT)
    published = factory._meta.model.objects.published()
    assert public in published
    assert draft not in published


def test_project_of_a_draft_program_is_hidden():
    project = f.ProjectFactory(program=f.ProgramFactory(status=models.Status.DRAFT))
    assert project not in models.Project.objects.published()


def test_links_to_a_draft_are_hidden():
    draft_org = f.OrganizationFactory(status=models.Status.DRAFT)
    draft_person = f.PersonFactory(status=models.Status.DRAFT)
    draft_program = f.ProgramFactory(status=models.Status.DRAFT)
    visible = f.ParticipationFactory()
    f.ParticipationFactory(organization=draft_org)
    f.ParticipationFactory(program=draft_program)
    assert list(models.Participation.objects.published()) == [visible]

    career = f.AffiliationFactory()
    f.AffiliationFactory(person=draft_person)
    f.AffiliationFactory(organization=draft_org)
    assert list(models.Affiliation.objects.published()) == [career]

    award = f.InvolvementFactory()
    f.InvolvementFactory(person=draft_person)
    f.InvolvementFactory(program=draft_program)
    assert list(models.Involvement.objects.published()) == [award]

    member = f.ProjectMemberFactory()
    f.ProjectMemberFactory(person=draft_person)
    f.ProjectMemberFactory(project=f.ProjectFactory(program=draft_program))
    assert list(models.ProjectMember.objects.published()) == [member]

    edition = f.EditionFactory()
    f.EditionFactory(program=draft_program)
    assert list(models.Edition.objects.published()) == [edition]

    citation = f.CitationFactory()
    f.CitationFactory(source=f.SourceFactory(status=models.Status.DRAFT))
    assert list(models.Citation.objects.published()) == [citation]


def test_draft_parent_and_member_organization_are_not_public():
    draft_parent = f.OrganizationFactory(status=models.Status.DRAFT)
    unit = f.OrganizationFactory(parent=draft_parent)
    assert unit.public_parent is None
    unit.parent = f.OrganizationFactory()
    assert unit.public_parent == unit.parent

    member = f.ProjectMemberFactory(organization=draft_parent)
    assert member.public_organization is None


def test_publishing_stamps_first_publication_once():
    program = f.ProgramFactory(status=models.Status.DRAFT)
    assert program.published_at is None
    program.status = models.Status.PUBLISHED
    program.save(update_fields=["status"])
    program.refresh_from_db()
    first = program.published_at
    assert first is not None
    program.status = models.Status.DRAFT
    program.save()
    program.status = models.Status.PUBLISHED
    program.save()
    program.refresh_from_db()
    assert program.published_at == first


def test_program_detail_queryset_prefetches_only_public_relations(django_assert_num_queries):
    program = f.ProgramFactory()
    f.ParticipationFactory(program=program)
    f.ParticipationFactory(program=program, organization=f.OrganizationFactory(status=models.Status.DRAFT))
    f.InvolvementFactory(program=program)
    f.InvolvementFactory(program=program, person=f.PersonFactory(status=models.Status.DRAFT))
    f.ProjectFactory(program=program)
    f.ProjectFactory(program=program, status=models.Status.DRAFT)
    f.CitationFactory(record=program)
    with django_assert_num_queries(9):  # the programme and its 8 relations
        loaded = models.Program.objects.for_detail().get(pk=program.pk)
        assert len(loaded.linked_participations) == 1
        assert len(loaded.involvements.all()) == 1
        assert len(loaded.projects.all()) == 1
        assert len(loaded.citations.all()) == 1
        assert loaded.public_parent is None
