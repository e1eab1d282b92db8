"""No draft leaks: a crawler walks every public URL and finds no trace of any unpublished record."""

import contextlib
import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from programs import models
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "机密草稿"
SECRET_EN = "SecretDraft"
LINK = re.compile(r"""(?:href|src)="([^"#]+)""")
MAX_PAGES = 600


def draft(factory, **kwargs):
    return factory(status=models.Status.DRAFT, **kwargs)


@pytest.fixture
def world():
    """Published records, and a draft of every kind attached to them in every way there is."""
    area = f.ResearchAreaFactory(name="人工智能", name_en="Artificial intelligence")
    sponsor = f.CompanyFactory(name="腾讯", name_en="Tencent")
    university = f.OrganizationFactory(name="清华大学", name_en="Tsinghua University")
    program = f.ProgramFactory(name="腾讯-清华联合实验室", name_en="Tencent-Tsinghua Joint Lab", aliases=["TTL"])
    program.research_areas.add(area)
    f.ParticipationFactory(program=program, organization=sponsor)
    f.ParticipationFactory(program=program, organization=university, role=models.ParticipationRole.PARTNER)
    edition = f.EditionFactory(program=program, year=2024, label="2024")
    person = f.PersonFactory(name="王利民", name_en="Wang Limin")
    f.AffiliationFactory(person=person, organization=university, title="教授", is_current=True)
    f.InvolvementFactory(person=person, program=program, edition=edition)
    project = f.ProjectFactory(program=program, title="视频大模型", title_en="Video foundation models")
    f.ProjectMemberFactory(project=project, person=person, organization=university)
    source = f.SourceFactory(title="公开的文章", title_en="A public article")
    for record in (area, sponsor, university, program, edition, person, project):
        f.CitationFactory(record=record, source=source)

    secret = {"name": f"{SECRET}名称", "name_en": f"{SECRET_EN} name"}
    hidden_area = draft(f.ResearchAreaFactory, **secret)
    program.research_areas.add(hidden_area)
    hidden_org = draft(f.OrganizationFactory, **secret)
    f.ParticipationFactory(program=program, organization=hidden_org, role=models.ParticipationRole.FUNDER)
    f.AffiliationFactory(person=person, organization=hidden_org, title=f"{SECRET}职位", start_year=2010, end_year=2015)
    f.ProjectMemberFactory(project=project, person=f.PersonFactory(), organization=hidden_org)
    university.parent = draft(f.OrganizationFactory, name=f"{SECRET}上级", name_en=f"{SECRET_EN} parent")
    university.save()
    hidden_program = draft(f.ProgramFactory, **secret, summary=SECRET)
    f.ParticipationFactory(program=hidden_program, organization=sponsor)
    f.EditionFactory(program=hidden_program, label=f"{SECRET}届", year=2020)
    f.ProjectFactory(program=hidden_program, title=f"{SECRET}课题", title_en=f"{SECRET_EN} project")
    f.ProgramFactory(parent=draft(f.ProgramFactory, name=f"{SECRET}母项目", name_en=f"{SECRET_EN} parent programme"))
    hidden_person = draft(f.PersonFactory, **secret)
    f.InvolvementFactory(person=hidden_person, program=program, edition=edition)
    f.AffiliationFactory(person=hidden_person, organization=sponsor)
    f.ProjectMemberFactory(project=project, person=hidden_person)
    draft(f.ProjectFactory, program=program, title=f"{SECRET}草稿课题", title_en=f"{SECRET_EN} draft project")
    hidden_source = draft(f.SourceFactory, title=f"{SECRET}文章", title_en=f"{SECRET_EN} article")
    f.CitationFactory(record=program, source=hidden_source, quote=f"{SECRET}引文")
    return {"program": program, "sponsor": sponsor, "person": person, "project": project, "source": source}


def start_urls(world) -> list[str]:
    urls = ["/", "/en/", "/sitemap.xml", "/robots.txt"]
    for name in ("program", "organization", "person", "project", "source"):
        list_url = reverse(f"programs:{name}-list")
        urls += [list_url, f"{list_url}?format=csv", f"{list_url}?format=json", f"/en{list_url}?format=json"]
    urls += [reverse("programs:program-list") + f"?organization={world['sponsor'].slug}&sort=newest"]
    for name in ("program", "organization", "person", "project", "source", "edition", "research-area"):
        with contextlib.suppress(NoReverseMatch):  # before the API exists
            urls.append(reverse(f"api:{name}-list"))
    return urls


def crawl(client, urls: list[str]) -> dict[str, str]:
    """Every same-site page reachable from `urls` (outside the admin and static files): path -> body."""
    seen, pages = set(), {}
    queue = deque(urls)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code in (200, 404), (url, response.status_code)
        text = body.decode("utf-8-sig")
        pages[url] = text
        for link in LINK.findall(text.replace("&amp;", "&")) + re.findall(r"<loc>([^<]+)</loc>", text):
            target = urlsplit(urljoin("http://testserver" + url, link))
            if target.netloc != "testserver" or target.path.startswith(("/admin", "/en/admin", "/static")):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


def test_no_public_url_shows_a_draft(client, world):
    pages = crawl(client, start_urls(world))
    assert len(pages) > 40  # the crawl reached the whole site, not one page
    assert world["program"].get_absolute_url() in pages
    assert "/en" + world["person"].get_absolute_url() in pages
    leaks = {
        url: SECRET if SECRET in text else SECRET_EN
        for url, text in pages.items()
        if SECRET in text or SECRET_EN in text
    }
    assert leaks == {}


@pytest.mark.parametrize("name", ["program", "organization", "person", "project", "source"])
def test_searching_for_a_draft_finds_nothing(client, world, name):
    for words in (SECRET, SECRET_EN.lower()):
        response = client.get(reverse(f"programs:{name}-list"), {"q": words, "format": "json"})
        assert response.status_code == 200
        assert json.loads(b"".join(response.streaming_content)) == []


def test_staff_preview_of_a_draft_is_not_cached_for_the_public(client, admin_client, world):
    hidden = models.Program.objects.get(name=f"{SECRET}名称")
    preview = admin_client.get(hidden.get_absolute_url())
    assert preview.status_code == 200 and SECRET in preview.content.decode()
    assert "no-cache" in preview["Cache-Control"]
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_sitemap_lists_published_pages_in_both_languages(client, world):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-programs.xml" in index
    programs = client.get("/sitemap-programs.xml").content.decode()
    url = world["program"].get_absolute_url()
    assert f"{url}</loc>" in programs
    assert f'hreflang="en" href="http://testserver/en{url}"' in programs
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


DRAFT_KINDS = {
    "program": f.ProgramFactory,
    "organization": f.OrganizationFactory,
    "person": f.PersonFactory,
    "project": f.ProjectFactory,
    "source": f.SourceFactory,
}


@pytest.mark.parametrize("name", DRAFT_KINDS)
def test_only_who_may_change_a_record_previews_its_draft(client, django_user_model, curator, name):
    hidden = draft(DRAFT_KINDS[name])
    url = hidden.get_absolute_url()
    # Staff, and free to change another kind of record: not this one.
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="change_person" if name != "person" else "change_program")
    )
    allowed = django_user_model.objects.create_user("may-change")
    allowed.user_permissions.add(Permission.objects.get(codename=f"change_{name}"))

    assert client.get(url).status_code == 404
    for user, status in [(staff, 404), (allowed, 200), (curator, 200)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert "no-cache" in response["Cache-Control"]
        client.logout()
