"""Atom feeds of the public lists: the list's filters, newest changes first, the page's language, no drafts."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from programs import models
from tests import factories as f
from tests.helpers import BOUNDED_TRANSACTION

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LISTS = ["program", "organization", "person", "project", "source"]


def entries(response) -> list[tuple[str, str]]:
    """(title, link) of each entry, in order."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # noqa: S314 - the app's own feed
    return [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def world(db):
    sponsor = f.CompanyFactory(slug="ant-group")
    award = f.ProgramFactory(kind=models.ProgramKind.AWARD, name="蚂蚁奖", name_en="Ant Award")
    f.ParticipationFactory(program=award, organization=sponsor)
    f.ProgramFactory(kind=models.ProgramKind.AWARD, name="另一个奖", name_en="Another Award")
    f.ProgramFactory(kind=models.ProgramKind.JOINT_LAB)
    f.ProgramFactory(kind=models.ProgramKind.AWARD, status=models.Status.DRAFT, name="草稿奖", name_en="Draft Award")
    return {"award": award, "sponsor": sponsor}


def test_a_feed_takes_its_lists_filters(client, world):
    url = reverse("programs:program-feed") + "?kind=award&sponsor=ant-group"
    assert [title for title, _ in entries(client.get(url))] == ["蚂蚁奖"]
    titles = [title for title, _ in entries(client.get(reverse("programs:program-feed") + "?kind=award"))]
    assert sorted(titles) == ["另一个奖", "蚂蚁奖"]  # the draft award is not there


def test_newest_changes_come_first(client, world):
    world["award"].summary = "更新"
    world["award"].save()
    titles = [title for title, _ in entries(client.get(reverse("programs:program-feed")))]
    assert titles[0] == "蚂蚁奖" and len(titles) == 3


def test_english_feeds_are_in_english_with_english_permalinks(client, world):
    found = entries(client.get("/en" + reverse("programs:program-feed") + "?kind=award&sponsor=ant-group"))
    assert found == [("Ant Award", "http://testserver/en" + world["award"].get_absolute_url())]
    feed = ET.fromstring(client.get("/en/programs/feed/?kind=award").content)  # noqa: S314 - the app's own feed
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert "Kind: Award" in feed.find(f"{ATOM}title").text


@pytest.mark.parametrize("name", LISTS)
def test_every_list_has_a_feed_linked_from_its_page(client, name):
    for factory in (f.ProgramFactory, f.CompanyFactory, f.PersonFactory, f.ProjectFactory, f.SourceFactory):
        factory()
    url = reverse(f"programs:{name}-list")
    assert len(entries(client.get(url + "feed/"))) >= 1
    page = client.get(url + "?q=a&page=2").content.decode()
    link = '<link rel="alternate" type="application/atom+xml" title="'
    assert link in page
    assert f'href="{url}feed/?q=a"' in page  # the filters in force, not the page


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("kind=spaceship", "Kind"), ("sponsor=no-such-org", "Sponsor"), ("modified_since=yesterday", "Modified since")],
)
def test_a_filter_the_feed_cannot_read_is_a_400_naming_it(client, world, query, parameter):
    response = client.get("/en" + reverse("programs:program-feed") + "?" + query)
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{parameter}: ")


def test_a_feed_reads_two_queries_for_its_entries(client, world, django_assert_max_num_queries):
    url = reverse("programs:program-feed") + "?kind=award&sponsor=ant-group&modified_since=2000-01-01"
    # The data version, the sponsor's slug, the entries' ids from the listing and the entries.
    with django_assert_max_num_queries(4 + BOUNDED_TRANSACTION):
        assert len(entries(client.get(url))) == 1


def test_no_record_may_take_the_feeds_address_as_its_slug(db):
    from django.core.exceptions import ValidationError

    program = f.ProgramFactory.build(slug="feed")
    with pytest.raises(ValidationError) as error:
        program.full_clean()
    assert "slug" in error.value.message_dict
