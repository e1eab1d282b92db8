"""The article workspace in the admin: giving a source its text, reading it annotated, and curating
from it (citing, drafts from proposals, links, dismissals) through the admin's write path."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from programs import models
from programs.curation.workspace import actions
from programs.curation.workspace.reading import clean
from programs.curation.workspace.sentences import split
from tests import factories as f
from tests.helpers import database_state

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).resolve().parent / "workspace_texts"
NJU = (TEXTS / "nju-traditional.txt").read_text(encoding="utf-8")


@pytest.fixture
def world():
    huawei = f.CompanyFactory(name="华为", name_en="Huawei", slug="huawei")
    nju = f.OrganizationFactory(name="南京大学", name_en="Nanjing University", slug="nju", aliases=["南大"])
    person = f.PersonFactory(name="徐科", slug="xu-ke")
    source = f.SourceFactory(title="南京大学引进人才", slug="nju-talent", language="zh-Hant", text=NJU)
    return {"huawei": huawei, "nju": nju, "person": person, "source": source}


def workspace_url(source):
    with translation.override("en"):
        return reverse("admin:programs_source_workspace", args=[source.pk])


def action_url(source, action):
    with translation.override("en"):
        return reverse("admin:programs_source_workspace_action", args=[source.pk, action])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def sentence_fields(source, number):
    sentence = split(source.text)[number]
    return {"sentence": number, "start": sentence.start, "end": sentence.end}


def test_the_workspace_shows_mentions_proposals_and_coverage(curator_client, world):
    response = curator_client.get(workspace_url(world["source"]))
    assert response.status_code == 200
    page = response.context["page"]
    assert {record.slug for record in page.records} >= {"huawei", "nju", "xu-ke"}
    assert {"张振宇", "南京大学智能科学与技术学院"} <= {proposal.name for proposal in page.proposals}
    assert page.cited_count == 0 and page.with_mentions
    body = response.content.decode()
    assert '<mark class="mention" title="华为">華為</mark>' in body
    assert 'id="coverage"' in body and "Cite this sentence" in body


def test_citing_a_sentence_writes_a_citation_with_history_and_moves_the_coverage(curator_client, curator, world):
    source, nju = world["source"], world["nju"]
    response = curator_client.post(
        action_url(source, "cite"), {**sentence_fields(source, 0), "record": "organization/nju"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#s-0")
    citation = models.Citation.objects.get(source=source, object_id=nju.pk)
    first = split(NJU)[0]
    assert citation.quote == clean(NJU[first.start : first.end])
    assert citation.quote.startswith("今年2月,华为“天才少年计划”入选者")
    assert citation.quote_repaired, "the page's 數(shù)據(jù) is quoted as 数据: the quote says it was repaired"
    assert citation.history.first().history_user == curator
    assert curator_client.get(workspace_url(source)).context["page"].cited_count == 1


def test_citing_on_a_record_that_cites_the_source_already_says_so_and_keeps_one(curator_client, world):
    source = world["source"]
    fields = {**sentence_fields(source, 0), "record": "organization/nju"}
    curator_client.post(action_url(source, "cite"), fields)
    response = curator_client.post(
        action_url(source, "cite"), {**sentence_fields(source, 2), "record": "organization/nju"}
    )
    assert "南京大学 already cites this article; its quote is kept." in messages_of(response)
    assert models.Citation.objects.filter(source=source).count() == 1


def test_two_curators_citing_at_once_make_one_citation_and_a_clear_message(curator, world, monkeypatch):
    """The second write passes the model's check (the first is not committed yet) and meets the constraint."""
    source, nju = world["source"], world["nju"]
    actions.sentence_cite(source=source, record=nju, quote="第一位。", user=curator)
    monkeypatch.setattr(models.Citation, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(actions.WorkspaceError) as refused, translation.override("en"):
        actions.sentence_cite(source=source, record=nju, quote="第二位。", user=curator)
    assert refused.value.message == "南京大学 already cites this article; its quote is kept."
    assert list(models.Citation.objects.filter(source=source).values_list("quote", flat=True)) == ["第一位。"]


def test_a_draft_from_a_proposal_cites_its_sentence_and_links_its_sponsor(editor_client, editor, world):
    source, huawei = world["source"], world["huawei"]
    data = {**sentence_fields(source, 0), "type": "program", "name": "华为“天才少年计划”", "kind": "talent_program"}
    response = editor_client.post(action_url(source, "create"), {**data, "sponsor": "huawei"})
    assert response.status_code == 302
    program = models.Program.objects.get(name="华为“天才少年计划”")
    assert program.status == models.Status.DRAFT  # even an editor's: nothing is published from the workspace
    assert program.kind == "talent_program"
    assert program.citations.get().quote.startswith("今年2月,华为“天才少年计划”入选者徐科")
    participation = models.Participation.objects.get(program=program)
    assert (participation.organization, participation.role) == (huawei, "sponsor")
    assert participation.citations.get().source == source
    assert program.history.first().history_user == editor
    assert program.history.first().history_change_reason == "article workspace"
    assert "华为“天才少年计划”" not in {
        p.name for p in editor_client.get(workspace_url(source)).context["page"].proposals
    }


def test_a_proposal_someone_created_meanwhile_creates_nothing_and_names_the_record(curator_client, world):
    source = world["source"]
    page = curator_client.get(workspace_url(source)).context["page"]
    assert "张振宇" in {proposal.name for proposal in page.proposals}
    f.PersonFactory(name="張振宇", slug="zhang-zhenyu")  # another curator, in traditional characters
    before = database_state()
    data = {**sentence_fields(source, 2), "type": "person", "name": "张振宇"}
    response = curator_client.post(action_url(source, "create"), data)
    assert "“张振宇” is in the registry already (張振宇): cite the sentence on it instead." in messages_of(response)
    assert database_state() == before


def test_linking_an_organization_with_a_role_cites_the_sentence(curator_client, world):
    source = world["source"]
    lab = f.ProgramFactory(name="天才少年计划", slug="genius", status=models.Status.DRAFT)
    data = {**sentence_fields(source, 0), "program": "genius", "organization": "huawei", "role": "sponsor"}
    response = curator_client.post(action_url(source, "link"), data)
    assert "华为 is linked to 天才少年计划, citing the sentence." in messages_of(response)
    participation = models.Participation.objects.get(program=lab)
    assert participation.citations.get().quote.startswith("今年2月")
    again = curator_client.post(action_url(source, "link"), data)
    assert any(message.startswith("华为 is already the programme's ") for message in messages_of(again))
    assert models.Participation.objects.filter(program=lab).count() == 1


def test_a_dismissed_proposal_is_remembered_for_the_source(curator_client, world):
    source = world["source"]
    curator_client.post(action_url(source, "dismiss"), {"key": "person:张振宇"})
    source.refresh_from_db()
    assert source.dismissed_proposals == ["person:张振宇"]
    assert "张振宇" not in {p.name for p in curator_client.get(workspace_url(source)).context["page"].proposals}


@pytest.mark.parametrize(
    "edit",
    [
        {"start": 1},  # offsets changed by hand
        {"end": 10**6},
        {"sentence": 999},
        {"sentence": -1},
        {"start": "abc"},
    ],
)
def test_offsets_edited_by_hand_are_refused_and_nothing_is_written(curator_client, world, edit):
    source = world["source"]
    before = database_state()
    data = {**sentence_fields(source, 0), "record": "organization/nju", **edit}
    response = curator_client.post(action_url(source, "cite"), data)
    assert response.status_code == 302
    assert messages_of(response)
    assert database_state() == before


def test_a_kind_that_does_not_exist_is_refused(curator_client, world):
    source = world["source"]
    before = database_state()
    data = {**sentence_fields(source, 0), "type": "program", "name": "新计划", "kind": "spaceship"}
    response = curator_client.post(action_url(source, "create"), data)
    assert any("Choose a kind" in message for message in messages_of(response))
    assert database_state() == before


def test_pasting_the_text_keeps_history_and_uploads_are_decoded(curator_client, curator, world):
    source = f.SourceFactory(slug="empty-source")
    response = curator_client.get(workspace_url(source))
    assert response.context["page"] is None and "Save the text" in response.content.decode()
    curator_client.post(workspace_url(source), {"text": "  腾讯与清华大学宣布共建联合实验室。\r\n"})
    source.refresh_from_db()
    assert source.text == "腾讯与清华大学宣布共建联合实验室。"
    assert source.history.first().history_user == curator
    big5 = SimpleUploadedFile("article.txt", "華為與南京大學合作。".encode("big5"))
    curator_client.post(workspace_url(source), {"file": big5})
    source.refresh_from_db()
    assert source.text == "華為與南京大學合作。"


def test_html_is_reduced_to_text_and_shown_as_text(curator_client, world):
    source = world["source"]
    html = (
        '<html><head><title>t</title><style>p{}</style></head><body onload="alert(1)">'
        "<p>华为与&lt;b&gt;南京大学&lt;/b&gt;合作。</p><script>alert('x')</script>"
        "<p><img src=x onerror=alert(2)>第二句。</p></body></html>"
    )
    curator_client.post(workspace_url(source), {"file": SimpleUploadedFile("page.html", html.encode())})
    source.refresh_from_db()
    assert source.text == "华为与<b>南京大学</b>合作。\n第二句。"
    body = curator_client.get(workspace_url(source)).content.decode()
    assert "&lt;b&gt;" in body and "<b>" not in body.split('id="content"')[1]
    assert "alert" not in body and "onerror" not in body


def test_a_workspace_needs_the_right_to_change_the_source(client, django_user_model, world):
    url = workspace_url(world["source"])
    assert client.get(url).status_code == 302  # to the sign-in page
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(action_url(world["source"], "cite"), {}).status_code == 403
    assert client.get(action_url(world["source"], "cite")).status_code == 405


def test_the_source_change_page_links_to_its_workspace(staff_client, world):
    source = world["source"]
    with translation.override("en"):
        url = reverse("admin:programs_source_change", args=[source.pk])
    page = staff_client.get(url).content.decode()
    assert workspace_url(source) in page
    assert NJU[:20] not in page  # the text is given in the workspace, not in the form


@pytest.mark.parametrize("size", [1, 3])
def test_the_workspace_runs_a_bounded_number_of_queries(curator_client, world, size, django_assert_max_num_queries):
    """The same names three times over cost what they cost once: the session and user, the source, the
    matcher's freshness check (4), the mentioned records (one per type), the citations, and the
    proposals' nearest records (on SQLite two per distinct proposal; on PostgreSQL two per type and batch)."""
    source = world["source"]
    source.text = "\n".join([NJU] * size)
    source.save()
    curator_client.get(workspace_url(source))  # the matcher built once
    with django_assert_max_num_queries(45):
        response = curator_client.get(workspace_url(source))
    assert len(response.context["page"].sentences) == 3 * size


@pytest.mark.django_db(transaction=True)
def test_two_curators_citing_at_once_on_postgresql_make_one_citation(django_user_model):
    """Two transactions really at once: the second waits on the unique index, then hears the record is cited."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    nju = f.OrganizationFactory(name="南京大学", slug="nju")
    source = f.SourceFactory(slug="nju-talent", text=NJU)
    users = [django_user_model.objects.create_user(name) for name in ("first", "second")]
    barrier, outcomes = threading.Barrier(2), []

    def cite(user):
        try:
            with translation.override("en"):
                barrier.wait()
                actions.sentence_cite(source=source, record=nju, quote=f"{user.username}。", user=user)
            outcomes.append("cited")
        except actions.WorkspaceError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cite, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["cited", "南京大学 already cites this article; its quote is kept."]
    assert models.Citation.objects.filter(source=source).count() == 1


def test_a_sentence_without_scraping_noise_is_quoted_as_it_reads(curator_client, world):
    source = world["source"]
    source.text = "南京大学与华为共建实验室。"
    source.save()
    response = curator_client.post(
        action_url(source, "cite"), {**sentence_fields(source, 0), "record": "organization/nju"}
    )
    assert response.status_code == 302
    citation = models.Citation.objects.get(source=source, object_id=world["nju"].pk)
    assert (citation.quote, citation.quote_repaired) == ("南京大学与华为共建实验室。", False)
