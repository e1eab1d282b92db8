"""The read model's world: programmes, organizations, people and projects linked every way the
listings read, drafts included. `world` is a test's own, for a test that writes; `listed_world` is
shared by a module's tests that only read it."""

import random

import pytest

from programs import models
from tests import factories as f
from tests.helpers import read_only


def build_world() -> dict:
    """Programmes, organizations, people and projects linked every way the listings read, drafts included."""
    rng = random.Random(7)
    areas = [f.ResearchAreaFactory() for _ in range(4)] + [f.ResearchAreaFactory(status=models.Status.DRAFT)]
    organizations = [
        f.OrganizationFactory(kind=kind, country=country)
        for kind, country in [
            (models.OrganizationKind.UNIVERSITY, "CN"),
            (models.OrganizationKind.COMPANY, "CN"),
            (models.OrganizationKind.COMPANY, "US"),
            (models.OrganizationKind.RESEARCH_INSTITUTE, "HK"),
            (models.OrganizationKind.GOVERNMENT, ""),
            (models.OrganizationKind.UNIVERSITY, "SG"),
        ]
    ] + [f.OrganizationFactory(status=models.Status.DRAFT, country="JP")]
    programs = []
    for index in range(24):
        program = f.ProgramFactory(
            kind=rng.choice(list(models.ProgramKind)),
            lifecycle=rng.choice(list(models.Lifecycle)),
            start_year=rng.choice([None, 2005, 2012, 2019, 2023]),
            name=f"{rng.choice(['联合实验室', '奖学金', '科研基金'])}{index}",
            name_en=rng.choice(["", f"Joint Lab {index}", f"award {index}"]),
            status=models.Status.DRAFT if index % 11 == 10 else models.Status.PUBLISHED,
        )
        for organization in rng.sample(organizations, rng.randint(0, 3)):
            f.ParticipationFactory(
                program=program, organization=organization, role=rng.choice(list(models.ParticipationRole))
            )
        program.research_areas.add(*rng.sample(areas, rng.randint(0, 2)))
        programs.append(program)
    people = []
    for index in range(10):
        person = f.PersonFactory(status=models.Status.DRAFT if index == 9 else models.Status.PUBLISHED)
        for year, organization in enumerate(rng.sample(organizations, rng.randint(0, 3))):
            f.AffiliationFactory(person=person, organization=organization, start_year=rng.choice([None, 2000 + year]))
        for program in rng.sample(programs, rng.randint(0, 2)):
            f.InvolvementFactory(person=person, program=program, role=rng.choice(list(models.InvolvementRole)))
        people.append(person)
    projects = [f.ProjectFactory(program=rng.choice(programs), year=rng.choice([None, 2018, 2021])) for _ in range(8)]
    sources = [f.SourceFactory(language=language) for language in models.SourceLanguage]
    return {"programs": programs, "organizations": organizations, "areas": areas, "people": people,
            "projects": projects, "sources": sources}  # fmt: skip


@pytest.fixture
def world(db):
    return build_world()


listed_world = read_only(build_world)
