"""Identifiers in fixture files: stored canonical, checked by their scheme's rule, one record each, round-tripped."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from programs import models
from programs.fixtures_io import FixtureError, fixtures_import
from tests.factories import identifiers as ids
from tests.helpers import AIR, ANT, database_state, export, flush, run_import, write

pytestmark = pytest.mark.django_db

ROR, OTHER_ROR, ORCID, QID = ids.ror(1), ids.ror(2), ids.orcid(1), ids.wikidata(1)
SJTU = "    kind: university\n    country: CN\n"
PERSON = "    headline: 上海交通大学教师\n"
PROGRAM = "    kind: research_fund\n"


def with_identifiers(sjtu=f"[{{scheme: ror, value: '{ROR}'}}]", person=None, program=None, air=AIR) -> str:
    for anchor, identifiers in ((SJTU, sjtu), (PERSON, person), (PROGRAM, program)):
        if identifiers is not None:
            assert anchor in air
            air = air.replace(anchor, f"{anchor}    identifiers: {identifiers}\n", 1)
    return air


def import_files(tmp_path, air: str, ant: str = ANT):
    return run_import(write(tmp_path / "data", {"a-air.yaml": air, "b-ant.yaml": ant}))


def problems_of(tmp_path, air: str, ant: str = ANT) -> list[str]:
    folder = write(tmp_path / "data", {"a-air.yaml": air, "b-ant.yaml": ant})
    with pytest.raises(FixtureError) as error, translation.override("en"):
        fixtures_import(paths=[folder])
    return [str(problem).removeprefix(str(folder) + "/") for problem in error.value.problems]


def test_identifiers_are_imported_in_canonical_form(tmp_path):
    air = with_identifiers(
        sjtu=f"[{{scheme: ror, value: 'https://ror.org/{ROR.upper()}'}}, {{scheme: wikidata, value: '{QID.lower()}'}}]",
        person=f"[{{scheme: orcid, value: 'https://orcid.org/{ORCID}'}}]",
        program=f"[{{scheme: wikidata, value: '{ids.wikidata(2)}'}}]",
    )
    out, _err = import_files(tmp_path, air)
    assert "identifiers: 4 created, 0 updated, 0 unchanged" in out
    sjtu = models.Organization.objects.get(slug="sjtu")
    assert sorted(map(str, sjtu.identifiers.all())) == [f"ror:{ROR}", f"wikidata:{QID}"]
    assert str(models.Person.objects.get(slug="zheng-zhenzhe").identifiers.get()) == f"orcid:{ORCID}"
    assert str(models.Program.objects.get(slug="alibaba-air").identifiers.get()) == f"wikidata:{ids.wikidata(2)}"
    # The same files again, addresses and all, match the stored rows.
    out, _err = import_files(tmp_path, air)
    assert "identifiers: 0 created, 0 updated, 4 unchanged" in out


def test_export_import_export_keeps_identifiers_byte_for_byte(tmp_path, transactional_db):
    air = with_identifiers(
        sjtu=f"[{{scheme: uscc, value: '{ids.uscc(5)}'}}, {{scheme: ror, value: '{ROR}'}}]",
        person=f"[{{scheme: isni, value: '{ids.isni(3)}'}}, {{scheme: orcid, value: '{ORCID}'}}]",
    )
    import_files(tmp_path, air)
    first = export(tmp_path / "first")
    assert (
        f"identifiers:\n      - scheme: ror\n        value: {ROR}\n      - scheme: uscc\n" in first["air-article.yaml"]
    )
    flush()
    call_command("import_fixtures", str(tmp_path / "first"), stdout=StringIO())
    assert models.Identifier.objects.count() == 4
    assert export(tmp_path / "second") == first


BAD = {
    "wrong ROR check digits": (
        f"[{{scheme: ror, value: '{ids.wrong_check(ROR)}'}}]",
        None,
        f"a-air.yaml: organization/sjtu: identifiers[0].value: “{ids.wrong_check(ROR)}” is not a valid ROR ID: "
        "its last two digits are not the ISO 7064 MOD 97-10 checksum",
    ),
    "wrong ORCID check character": (
        None,
        f"[{{scheme: orcid, value: '{ids.wrong_check(ORCID)}'}}]",
        "a-air.yaml: person/zheng-zhenzhe: identifiers[0].value: "
        f"“{ids.wrong_check(ORCID)}” is not a valid ORCID iD: its last character is not the ISO 7064 MOD 11-2",
    ),
    "wrong USCC check character": (
        f"[{{scheme: uscc, value: '{ids.wrong_check(ids.uscc(1))}'}}]",
        None,
        "a-air.yaml: organization/sjtu: identifiers[0].value: “"
        f"{ids.wrong_check(ids.uscc(1))}” is not a valid Unified Social Credit Code: its last character is not "
        "the GB 32100-2015 check character",
    ),
    "malformed Wikidata item": (
        "[{scheme: wikidata, value: Q012}]",
        None,
        "a-air.yaml: organization/sjtu: identifiers[0].value: “Q012” is not a valid Wikidata item: "
        "Q followed by a number without leading zeros",
    ),
    "ORCID on an organization": (
        f"[{{scheme: orcid, value: '{ORCID}'}}]",
        None,
        "a-air.yaml: organization/sjtu: identifiers[0].scheme: 'orcid' is not a scheme of organization records; "
        "expected one of: ror, wikidata",
    ),
    "unknown scheme": (
        "[{scheme: doi, value: '10.1000/1'}]",
        None,
        "a-air.yaml: organization/sjtu: identifiers[0].scheme: 'doi' is not a scheme of organization records",
    ),
    "value that is not text": (
        "[{scheme: wikidata, value: 42}]",
        None,
        "a-air.yaml: organization/sjtu: identifiers[0].value: expected text",
    ),
    "quote on an identifier": (
        f"[{{scheme: ror, value: '{ROR}', quote: 见于报道。}}]",
        None,
        "a-air.yaml: organization/sjtu: identifiers[0].quote: unknown field; expected one of: scheme, value",
    ),
    "missing value": (
        "[{scheme: ror}]",
        None,
        "a-air.yaml: organization/sjtu: identifiers[0].value: this field is required",
    ),
    "one identifier on two records": (
        f"[{{scheme: wikidata, value: '{QID}'}}]",
        f"[{{scheme: wikidata, value: '{QID}'}}]",
        f"a-air.yaml: person/zheng-zhenzhe: identifiers[0].value: wikidata:{QID} already identifies "
        "organization/sjtu; it cannot also identify person/zheng-zhenzhe.",
    ),
}


@pytest.mark.parametrize(("sjtu", "person", "message"), BAD.values(), ids=BAD.keys())
def test_bad_identifiers_are_refused_and_nothing_changes(tmp_path, sjtu, person, message):
    import_files(tmp_path, AIR)
    before = database_state()
    problems = problems_of(tmp_path, with_identifiers(sjtu=sjtu, person=person))
    assert any(line.startswith(message) for line in problems), problems
    with pytest.raises(CommandError, match="nothing was imported"):
        import_files(tmp_path, with_identifiers(sjtu=sjtu, person=person))
    assert database_state() == before


def test_an_identifier_held_by_a_stored_record_is_refused_naming_both(tmp_path):
    import_files(tmp_path, with_identifiers())
    before = database_state()
    ant = ANT.replace("    kind: company\n", f"    kind: company\n    identifiers: [{{scheme: ror, value: '{ROR}'}}]\n")
    assert problems_of(tmp_path, with_identifiers(), ant) == [
        f"b-ant.yaml: organization/ant-group: identifiers[0].value: ror:{ROR} already identifies "
        "organization/sjtu; it cannot also identify organization/ant-group."
    ]
    assert database_state() == before
    # Another identifier is fine.
    ant = ant.replace(ROR, OTHER_ROR)
    out, _err = import_files(tmp_path, with_identifiers(), ant)
    assert "identifiers: 1 created, 0 updated, 1 unchanged" in out
