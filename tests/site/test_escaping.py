"""Names and queries carrying markup come back escaped on every page and in every attribute."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script>'


@pytest.fixture
def hostile(db):
    org = f.CompanyFactory(name=f"公司{PAYLOAD}", name_en=f"Company {PAYLOAD}", slug="hostile-company")
    area = f.ResearchAreaFactory(name=f"领域{PAYLOAD}", name_en=f"Area {PAYLOAD}")
    program = f.ProgramFactory(
        name=f"项目{PAYLOAD}", name_en=f"Programme {PAYLOAD}", summary=PAYLOAD, aliases=[PAYLOAD], slug="hostile"
    )
    program.research_areas.add(area)
    f.ParticipationFactory(program=program, organization=org)
    person = f.PersonFactory(name=f"人{PAYLOAD}", headline=PAYLOAD)
    f.AffiliationFactory(person=person, organization=org, title=PAYLOAD)
    f.InvolvementFactory(person=person, program=program)
    project = f.ProjectFactory(program=program, title=f"课题{PAYLOAD}")
    source = f.SourceFactory(title=f"文章{PAYLOAD}", publisher=PAYLOAD)
    f.CitationFactory(record=program, source=source, quote=PAYLOAD)
    return [program, org, person, project, source]


def test_names_are_escaped_everywhere(client, hostile):
    urls = ["/", "/insights/"] + [record.get_absolute_url() for record in hostile]
    urls += [reverse(f"programs:{name}") for name in ("program-list", "organization-list", "person-list")]
    urls += [reverse("programs:project-list"), reverse("programs:source-list")]
    for url in urls + ["/en" + url for url in urls]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        in client.get(hostile[0].get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("name", ["program-list", "organization-list", "person-list", "project-list", "source-list"])
def test_query_is_escaped_in_the_form_the_chips_and_the_switch(client, hostile, name):
    hostile_q = '"><script>alert(1)</script>'
    page = client.get(reverse(f"programs:{name}"), {"q": hostile_q, "kind": '"><b>'}).content.decode()
    assert "<script>alert(1)" not in page
    assert '"><b>' not in page
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the search box keeps the text, escaped
