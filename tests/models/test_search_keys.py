"""Search keys written around the models (raw SQL): found by `manage.py search_keys check`, repaired
by `search_keys rebuild` (programs/models/search_keys.py), the read model following on PostgreSQL."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import QueryDict

from programs import models
from programs.models import search_keys
from programs.reads import filters, read_model
from tests import factories as f

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("search_keys", *args, stdout=out)
    return out.getvalue()


def found(query: str, filterset_class=filters.OrganizationFilterSet) -> list[int]:
    return list(filterset_class(QueryDict(query)).qs.values_list("id", flat=True))


def raw(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def tencent():
    organization = f.CompanyFactory(name="腾讯", name_en="Tencent", slug="tencent", aliases=[])
    program = f.ProgramFactory(name="犀牛鸟计划", name_en="Rhino-Bird", slug="rhino-bird", summary="")
    f.ParticipationFactory(program=program, organization=organization, role="sponsor")
    return organization, program


def test_keys_written_through_the_models_check_clean(tencent):
    assert "Every search key is what its record's fields give." in run("check")
    assert search_keys.stale_records(search_keys.searchable_models()) == {}


def test_a_raw_sql_rename_is_found_and_rebuilt(tencent):
    organization, program = tencent
    history, updated_at = organization.history.count(), organization.updated_at
    renamed = ["Weixin Group", "騰訊控股\nQQ Inc", organization.pk]
    raw("UPDATE programs_organization SET name_en = %s, aliases = %s WHERE id = %s", renamed)
    assert found("q=weixin") == []  # the keys still hold the old names

    with pytest.raises(CommandError) as error:
        run("check")
    assert f"programs_organization: 1 record(s), ids {organization.pk}" in str(error.value)
    assert "programs_program" not in str(error.value)  # the programme's own fields did not change

    assert "Rewrote the search keys of 1 record(s). programs_organization: 1" in run("rebuild")
    assert found("q=weixin") == found("q=腾讯控股") == found("q=qq+inc") == [organization.pk]
    assert found("q=Tencent") == []
    # The programme's listing row reads its sponsor's new names (a trigger on PostgreSQL; a view on SQLite).
    assert found("q=weixin+犀牛鸟", filters.ProgramFilterSet) == [program.pk]
    assert read_model.differences() == []
    organization.refresh_from_db()
    assert (organization.history.count(), organization.updated_at) == (history, updated_at)  # no edit recorded
    assert "Every search key" in run("check")


def test_raw_sql_that_changes_no_searched_field_leaves_nothing_stale(tencent):
    _organization, program = tencent
    raw("UPDATE programs_program SET kind = %s, start_year = %s WHERE id = %s", ["award", 2001, program.pk])
    assert "Every search key" in run("check")
    assert "Rewrote the search keys of 0 record(s)." in run("rebuild")


def test_stale_keys_of_many_records_are_rewritten_in_batches(monkeypatch):
    monkeypatch.setattr(search_keys, "BATCH", 3)
    people = [f.PersonFactory(name=f"张{n}", name_en=f"Zhang Wei {n}") for n in range(7)]
    raw("UPDATE programs_person SET search_names = '', search_words = '', search_text = ''", [])
    with pytest.raises(CommandError) as error:
        run("check")
    assert "programs_person: 7 record(s)" in str(error.value)
    assert search_keys.rebuild([models.Person]) == {"programs_person": 7}
    assert sorted(found("q=wei+zhang", filters.PersonFilterSet)) == sorted(person.pk for person in people)
    assert search_keys.stale_records([models.Person]) == {}


def test_a_long_list_of_stale_records_is_named_in_short():
    organizations = f.OrganizationFactory.create_batch(12)
    raw("UPDATE programs_organization SET search_text = ''", [])
    with pytest.raises(CommandError) as error:
        run("check")
    first = ", ".join(str(organization.pk) for organization in organizations[:10])
    assert f"programs_organization: 12 record(s), ids {first} and 2 more" in str(error.value)


def test_an_unknown_action_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        run("repair")
