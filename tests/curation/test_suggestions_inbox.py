"""The suggestions inbox in the admin: newest first, filtered by state and record type, the review
page's side-by-side view, evidence and nearest records, at a fixed number of queries whatever the
number of suggestions; and what the proposer wrote shown as text, their e-mail address never."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import models
from programs.models import Suggestion, SuggestionState
from tests import factories as f

pytestmark = pytest.mark.django_db

INBOX = "/en" + reverse("admin:programs_suggestion_changelist")


def review_url(suggestion) -> str:
    return "/en" + reverse("admin:programs_suggestion_change", args=[suggestion.pk])


def flood(count: int, record, organization) -> None:
    """`count` suggestions in every state and of every kind, as bots and people would send them."""
    rows = []
    for n in range(count):
        state = [SuggestionState.RECEIVED, SuggestionState.DECLINED, SuggestionState.DUPLICATE][n % 3]
        common = {"state": state, "reason": "无据" if state == SuggestionState.DECLINED else "", "message": f"第{n}条"}
        if n % 2:
            rows.append(
                Suggestion(record_type="program", record_id=record.pk, field="start_year", value="2001", **common)
            )
        else:
            rows.append(Suggestion(record_type="organization", is_new=True, name=f"{organization.name}{n}", **common))
    Suggestion.objects.bulk_create(rows)


def test_newest_first(staff_client):
    older, newer = f.SuggestionFactory(), f.SuggestionFactory()
    page = staff_client.get(INBOX).content.decode()
    assert page.index(f">#{newer.pk}<") < page.index(f">#{older.pk}<")


def test_filters_by_state_type_and_what_waits_to_be_applied(staff_client, catalogue):
    received = f.SuggestionFactory(record=catalogue["lab"])
    declined = f.SuggestionFactory(state=SuggestionState.DECLINED, reason="无据")
    new_org = f.SuggestionFactory(is_new=True, record_type="organization", name="新机构")
    waiting = f.SuggestionFactory(state=SuggestionState.ACCEPTED)

    def listed(query: str) -> set[int]:
        response = staff_client.get(INBOX + query)
        assert response.status_code == 200
        return {row.pk for row in response.context["cl"].result_list}

    assert listed("") == {received.pk, declined.pk, new_org.pk, waiting.pk}
    assert listed("?state__exact=received") == {received.pk, new_org.pk}
    assert listed("?state__exact=declined") == {declined.pk}
    assert listed("?record_type__exact=organization") == {new_org.pk}
    assert listed("?is_new__exact=1") == {new_org.pk}
    assert listed("?waiting=yes") == {waiting.pk}
    assert listed("?q=新机构") == {new_org.pk}


def test_nobody_adds_a_suggestion_in_the_admin(staff_client):
    assert staff_client.get("/en" + reverse("admin:programs_suggestion_add")).status_code == 403
    assert reverse("admin:programs_suggestion_add") not in staff_client.get(INBOX).content.decode()


def test_the_review_page_shows_the_record_beside_the_change_and_the_evidence(staff_client, catalogue):
    lab = catalogue["lab"]
    suggestion = f.SuggestionFactory(
        record=lab, field="kind", value="award", evidence_url="https://example.org/p", message="见官网。"
    )
    page = staff_client.get(review_url(suggestion)).content.decode()
    assert '<tr class="changed"><th scope="row">Kind</th><td class="current">Joint lab</td>' in page
    assert '<td class="proposed">Award</td>' in page
    assert 'href="https://example.org/p" rel="nofollow noopener noreferrer"' in page
    assert suggestion.quote in page and "见官网。" in page
    assert lab.get_absolute_url() in page


def test_a_participant_is_shown_beside_the_programmes_organizations(staff_client, catalogue):
    suggestion = f.SuggestionFactory(record=catalogue["lab"], field="participant", value="清华大学", role="partner")
    page = staff_client.get(review_url(suggestion)).content.decode()
    assert "清华大学 (Host)<br>腾讯 (Sponsor)" in page
    assert "+ 清华大学 (Partner)" in page
    assert "certain match" in page  # 清华大学 is a published organization


def test_a_new_programme_shows_the_registrys_nearest_records(staff_client, catalogue):
    suggestion = f.SuggestionFactory(is_new=True, name="Tencent-Tsinghua Joint Lab")
    page = staff_client.get(review_url(suggestion)).content.decode()
    assert "The registry's nearest records" in page
    assert catalogue["lab"].name in page and "certain match" in page


def test_other_suggestions_about_the_same_record_are_offered_as_the_original(staff_client, catalogue):
    first = f.SuggestionFactory(record=catalogue["lab"])
    second = f.SuggestionFactory(record=catalogue["lab"])
    elsewhere = f.SuggestionFactory(record=catalogue["award"])
    page = staff_client.get(review_url(second)).content.decode()
    assert f'name="of_suggestion" value="{first.pk}"' in page
    assert f'name="of_suggestion" value="{elsewhere.pk}"' not in page


def test_what_the_proposer_wrote_is_text_and_their_address_is_never_shown(staff_client, catalogue):
    markup = '<script>alert("x")</script>'
    suggestion = f.SuggestionFactory(
        record=catalogue["lab"],
        field="name_en",
        value=markup,
        message=markup,
        quote=markup,
        email="secret-address@example.org",
    )
    for url in (INBOX, review_url(suggestion), INBOX + "?q=script"):
        page = staff_client.get(url).content.decode()
        assert markup not in page and "secret-address" not in page, url
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in staff_client.get(review_url(suggestion)).content.decode()
    )


def test_the_admin_index_lists_the_inbox_for_reviewers(curator_client):
    page = curator_client.get("/en/admin/").content.decode()
    assert reverse("admin:programs_suggestion_changelist") in page


# A fixed number of queries, whatever the number of suggestions


def bounded_pages(target) -> dict:
    """Each page and its queries: the session, the user, then (a list) the page's rows and the two
    counts (the filtered and the whole list), (a review) the suggestion, its record with the
    programme's organizations (or the matcher's two lookups for a new record), the other
    suggestions about it."""
    return {
        "inbox": (INBOX, 6),
        "inbox, received programmes": (INBOX + "?state__exact=received&record_type__exact=program", 6),
        "inbox, searched": (INBOX + "?q=第", 6),
        "inbox, last page": (INBOX + "?p=2", 6),
        "review of a correction": (review_url(target["correction"]), 6),
        "review of a new record": (review_url(target["new"]), 8),
    }


@pytest.mark.parametrize("count", [6, 1000])
def test_inbox_pages_read_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, catalogue, count):
    lab, tencent = catalogue["lab"], catalogue["tencent"]
    flood(count, lab, tencent)
    target = {
        "correction": f.SuggestionFactory(record=lab),
        "new": f.SuggestionFactory(is_new=True, record_type="organization", name="腾讯"),
    }
    for page, (url, bound) in bounded_pages(target).items():
        # Plus one: the data version, which the page cache middleware reads first.
        with django_assert_max_num_queries(bound + 1, info=f"{page}, {count} suggestions"):
            response = staff_client.get(url)
        assert response.status_code == 200, page


def test_a_records_form_reads_its_waiting_suggestions_in_one_query(staff_client, django_assert_num_queries, catalogue):
    lab = catalogue["lab"]
    url = "/en" + reverse("admin:programs_program_change", args=[lab.pk])
    staff_client.get(url)  # content types and the like, cached from then on
    with CaptureQueriesContext(connection) as before:
        staff_client.get(url)
    Suggestion.objects.bulk_create(
        Suggestion(record_type="program", record_id=lab.pk, field="start_year", value="2001", state="accepted")
        for _n in range(1000)
    )
    with django_assert_num_queries(len(before.captured_queries)):
        page = staff_client.get(url).content.decode()
    assert page.count('href="?suggestion=') == 20


def test_the_record_form_lists_the_suggestions_waiting_for_it(staff_client, catalogue):
    lab = catalogue["lab"]
    waiting = f.SuggestionFactory(record=lab, state=SuggestionState.ACCEPTED, value="2001")
    f.SuggestionFactory(record=lab)  # received: nothing to apply yet
    page = staff_client.get("/en" + reverse("admin:programs_program_change", args=[lab.pk])).content.decode()
    assert "Accepted suggestions waiting to be applied:" in page
    assert f'href="?suggestion={waiting.pk}"' in page
    assert page.count('href="?suggestion=') == 1
    assert models.Program.objects.get(pk=lab.pk).start_year == 2017


def test_editors_delete_suggestions_and_curators_may_not(curator_client, editor_client):
    suggestion = f.SuggestionFactory()
    url = reverse("admin:programs_suggestion_delete", args=[suggestion.pk])
    assert curator_client.post(url, {"post": "yes"}).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Suggestion.objects.exists()
