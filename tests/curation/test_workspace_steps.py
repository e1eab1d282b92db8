"""How many requests curating one article's facts takes in the workspace, against the plain admin
forms: the same facts (a new programme with its sponsor, a new person, a citation on a known
organization, each citing its sentence) written both ways, counted request by request."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from programs import models
from programs.curation.workspace.reading import clean
from programs.curation.workspace.sentences import split
from tests import factories as f
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

NJU = (Path(__file__).resolve().parent / "workspace_texts" / "nju-traditional.txt").read_text(encoding="utf-8")
CITATIONS = "programs-citation-content_type-object_id"


class CountingClient(Client):
    """A test client that counts the requests it sends, redirects followed included."""

    requests = 0

    def request(self, **request):
        self.requests += 1
        return super().request(**request)


@pytest.fixture
def counting_client(curator):
    client = CountingClient()
    client.force_login(curator)
    return client


@pytest.fixture
def article():
    huawei = f.CompanyFactory(name="华为", slug="huawei")
    nju = f.OrganizationFactory(name="南京大学", slug="nju")
    source = f.SourceFactory(slug="nju-talent", text=NJU)
    sentences = split(NJU)
    return {"huawei": huawei, "nju": nju, "source": source, "sentences": sentences}


def quote(sentence) -> str:
    return clean(NJU[sentence.start : sentence.end])


def curated(source) -> set:
    """The facts written: (record, cited sentence) pairs."""
    return {(str(citation.record), citation.quote) for citation in models.Citation.objects.filter(source=source)}


def with_workspace(client, article) -> None:
    source, first, third = article["source"], article["sentences"][0], article["sentences"][2]
    url = reverse("admin:programs_source_workspace", args=[source.pk])

    def act(action, sentence, **data):
        data.update(sentence=sentence.index, start=sentence.start, end=sentence.end)
        action_url = reverse("admin:programs_source_workspace_action", args=[source.pk, action])
        assert client.post(action_url, data, follow=True).status_code == 200

    client.get(url)
    act("create", first, type="program", name="华为“天才少年计划”", kind="talent_program", sponsor="huawei")
    act("create", third, type="person", name="张振宇")
    act("cite", first, record="organization/nju")


def with_admin_forms(client, article) -> None:
    source, first, third = article["source"], article["sentences"][0], article["sentences"][2]

    def add(model, fields, inlines):
        url = admin_url(model, "add")
        data = {**form_data(client.get(url)), **fields, **inlines}
        assert client.post(url, data, follow=True).status_code == 200

    def cite(model, record, sentence):
        url = admin_url(model, "change", record.pk)
        data = {**form_data(client.get(url)), f"{CITATIONS}-TOTAL_FORMS": 1}
        data.update({f"{CITATIONS}-0-source": source.pk, f"{CITATIONS}-0-quote": quote(sentence)})
        assert client.post(url, data, follow=True).status_code == 200

    citation = {f"{CITATIONS}-TOTAL_FORMS": 1, f"{CITATIONS}-0-source": source.pk}
    add(
        models.Program,
        {"name": "华为“天才少年计划”", "slug": "huawei-genius", "kind": "talent_program", "lifecycle": "unknown"},
        {
            **citation,
            f"{CITATIONS}-0-quote": quote(first),
            "participations-TOTAL_FORMS": 1,
            "participations-0-organization": article["huawei"].pk,
            "participations-0-role": "sponsor",
        },
    )
    sponsorship = models.Participation.objects.get(program__slug="huawei-genius")
    cite(models.Participation, sponsorship, first)
    add(models.Person, {"name": "张振宇", "slug": "zhang-zhenyu"}, {**citation, f"{CITATIONS}-0-quote": quote(third)})
    client.get(admin_url(models.Organization, "changelist"), {"q": "南京大学"})  # finding the record to cite
    cite(models.Organization, article["nju"], first)


def test_the_workspace_curates_an_article_in_fewer_requests_than_the_admin_forms(counting_client, article):
    with_workspace(counting_client, article)
    in_workspace, facts = counting_client.requests, curated(article["source"])
    assert len(facts) == 4  # the programme, its sponsorship, the person, the organization
    models.Citation.objects.all().delete()
    models.Participation.objects.all().delete()
    models.Program.objects.all().delete()
    models.Person.objects.all().delete()

    counting_client.requests = 0
    with_admin_forms(counting_client, article)
    assert curated(article["source"]) == facts  # the same facts, the same quotes
    in_admin = counting_client.requests
    assert (in_workspace, in_admin) == (7, 13)  # and in the admin, each quote is copied from the article by hand
