"""External identifiers: each scheme's rule, the database's guarantees, the admin, pages, filters, API and /id/."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from programs import models
from programs.models.schemes import SCHEMES, normalise, parse
from tests import factories as f
from tests.factories import identifiers as ids

# Each scheme: accepted input forms of one synthetic value, and its canonical form.
ORCID, ISNI, ROR, USCC = ids.orcid(42), ids.isni(42), ids.ror(42), ids.uscc(42)
FORMS = {
    "orcid": ([f"https://orcid.org/{ORCID}", ORCID.replace("-", ""), f" {ORCID} "], ORCID),
    "isni": ([" ".join(ISNI[i : i + 4] for i in range(0, 16, 4)), f"https://isni.org/isni/{ISNI}"], ISNI),
    "ror": ([f"https://ror.org/{ROR.upper()}", f"ror.org/{ROR}", ROR.upper()], ROR),
    "wikidata": (["q42", "https://www.wikidata.org/wiki/Q42", "http://www.wikidata.org/entity/Q42"], "Q42"),
    "crossref_funder": (
        [f"https://doi.org/{ids.crossref_funder(42)}", f"doi:{ids.crossref_funder(42)}"],
        ids.crossref_funder(42),
    ),
    "grid": ([ids.grid(42).upper(), f"https://www.grid.ac/institutes/{ids.grid(42)}"], ids.grid(42)),
    "uscc": ([USCC.lower(), " ".join(USCC[i : i + 4] for i in range(0, 18, 4))], USCC),
}


@pytest.mark.parametrize("scheme", FORMS)
def test_every_accepted_form_gives_the_canonical_value(scheme):
    forms, canonical = FORMS[scheme]
    for raw in [*forms, canonical]:
        assert normalise(scheme, raw) == canonical


# Each scheme: malformed values, and the words of the rule its message must name.
MALFORMED = {
    "orcid": (
        [ids.wrong_check(ids.orcid(1)), "0000-0002-1825-009", "0000-0002-1825-00X7"],
        "MOD 11-2",
        "groups of four",
    ),
    "isni": ([ids.wrong_check(ids.isni(1)), "000000012103268A"], "MOD 11-2", "sixteen characters"),
    "ror": ([ids.wrong_check(ids.ror(1)), "13vek6s52", "03vek6s5", "03veu6s52"], "MOD 97-10", "Crockford"),
    "wikidata": (["Q0", "Q012", "P42", "42"], None, "without leading zeros"),
    "crossref_funder": (["10.1000/501100001809", "501100001809", "10.13039/abc"], None, "10.13039/"),
    "grid": (["grid.12527", "grid.x.33"], None, "grid."),
    "uscc": ([ids.wrong_check(ids.uscc(1)), "9111000060003734", "91110000600037341I"], "GB 32100-2015", "eighteen"),
}


@pytest.mark.parametrize("scheme", MALFORMED)
def test_malformed_values_are_refused_naming_the_rule(scheme):
    values, check_rule, form_rule = MALFORMED[scheme]
    with translation.override("en"):
        for value in values:
            with pytest.raises(ValidationError) as error:
                normalise(scheme, value)
            message = error.value.messages[0]
            assert str(SCHEMES[scheme].label) in message
            assert (check_rule and check_rule in message) or form_rule in message, message
        if check_rule:  # a value of the right form with a wrong check character names the check
            with pytest.raises(ValidationError, match=check_rule):
                normalise(scheme, values[0])


def test_synthetic_identifiers_are_valid_and_distinct():
    for scheme in FORMS:
        values = {getattr(ids, scheme)(n) for n in range(50)}
        assert len(values) == 50
        assert all(normalise(scheme, value) == value for value in values)


def test_parse_reads_scheme_value_and_addresses():
    assert parse(f"ror:{ROR}") == ("ror", ROR)
    assert parse(f"https://ror.org/{ROR}") == ("ror", ROR)
    assert parse(f"ORCID:https://orcid.org/{ORCID}") == ("orcid", ORCID)
    funder = ids.crossref_funder(42)
    assert parse(f"crossref_funder:https://doi.org/{funder}") == ("crossref_funder", funder)
    for bad in (ROR, "ror:", "doi:10.1/2", f"ror:{ids.wrong_check(ROR)}"):
        with pytest.raises(ValidationError):
            parse(bad)


# The database


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"organization": None}, id="no record"),
        pytest.param({"person_factory": True}, id="two records"),
        pytest.param({"scheme": "orcid", "value": ids.orcid(1)}, id="ORCID on an organization"),
    ],
)
def test_database_refuses_rows_that_break_the_rules(kwargs):
    if kwargs.pop("person_factory", False):
        kwargs["person"] = f.PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IdentifierFactory(**kwargs)
    assert not models.Identifier.objects.exists()


@pytest.mark.django_db
def test_database_refuses_one_identifier_on_two_records():
    first = f.IdentifierFactory(value=ids.ror(7))
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IdentifierFactory(value=ids.ror(7))
    assert list(models.Identifier.objects.all()) == [first]


@pytest.mark.django_db
def test_model_validation_names_both_records():
    held = f.IdentifierFactory(value=ids.ror(7), organization__name="甲大学", organization__slug="jia")
    other = f.OrganizationFactory(name="乙大学", slug="yi")
    duplicate = models.Identifier(scheme="ror", value=f"https://ror.org/{ids.ror(7)}", organization=other)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["value"] == [
        f"ror:{ids.ror(7)} already identifies organization “甲大学” (jia); "
        "it cannot also identify organization “乙大学” (yi)."
    ]
    assert held.value == ids.ror(7)


# The admin


def inline_data(prefix: str, rows: list[tuple[str, str]]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, (scheme, value) in enumerate(rows):
        data[f"{prefix}-{index}-scheme"] = scheme
        data[f"{prefix}-{index}-value"] = value
    return data


def person_form(person, identifiers) -> dict:
    empty = {f"{p}-TOTAL_FORMS": "0" for p in ("affiliations", "programs-citation-content_type-object_id")}
    empty |= {f"{p}-INITIAL_FORMS": "0" for p in ("affiliations", "programs-citation-content_type-object_id")}
    return {
        "name": person.name,
        "name_en": person.name_en,
        "slug": person.slug,
        "status": person.status,
        **empty,
        **inline_data("identifiers", identifiers),
    }


@pytest.mark.django_db
def test_admin_inline_stores_the_canonical_value(staff_client):
    person = f.PersonFactory()
    url = reverse("admin:programs_person_change", args=[person.pk])
    response = staff_client.post(url, person_form(person, [("orcid", f"https://orcid.org/{ids.orcid(3)}")]))
    assert response.status_code == 302, response.content[-3000:]
    assert [str(i) for i in person.identifiers.all()] == [f"orcid:{ids.orcid(3)}"]
    assert models.Identifier.history.filter(person_id=person.pk).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("orcid", "wrong")], "ORCID iD: sixteen characters"),
        ([("orcid", ids.wrong_check(ids.orcid(3)))], "ISO 7064 MOD 11-2"),
        ([("ror", ids.ror(3))], "ROR ID is not a scheme for people, which take: ORCID iD, Wikidata item, ISNI."),
        ([("orcid", "HELD")], "already identifies person “学者甲” (held-person); it cannot also identify person"),
    ],
    ids=["malformed", "wrong check character", "scheme of another kind of record", "duplicate"],
)
def test_admin_inline_refuses_bad_identifiers(staff_client, rows, message):
    holder = f.PersonFactory(name="学者甲", slug="held-person")
    f.IdentifierFactory(organization=None, person=holder, scheme="orcid", value=ids.orcid(9))
    rows = [(scheme, ids.orcid(9) if value == "HELD" else value) for scheme, value in rows]
    person = f.PersonFactory()
    with translation.override("en"):
        url = reverse("admin:programs_person_change", args=[person.pk])
        response = staff_client.post(url, person_form(person, rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not person.identifiers.exists()


# Pages, filters, the API and /id/


@pytest.fixture
def identified(db):
    org = f.OrganizationFactory(slug="tsinghua")
    f.IdentifierFactory(organization=org, value=ids.ror(1))
    f.IdentifierFactory(organization=org, scheme="uscc", value=ids.uscc(1))
    person = f.PersonFactory(slug="li-si")
    f.IdentifierFactory(organization=None, person=person, scheme="orcid", value=ids.orcid(1))
    program = f.ProgramFactory(slug="lab")
    f.IdentifierFactory(organization=None, program=program, scheme="wikidata", value=ids.wikidata(1))
    draft = f.OrganizationFactory(slug="draft-org", status=models.Status.DRAFT)
    f.IdentifierFactory(organization=draft, value=ids.ror(2))
    f.OrganizationFactory(slug="other")
    return {"organization": org, "person": person, "program": program}


def test_pages_link_each_identifier_to_its_resolver(client, identified):
    page = client.get(identified["organization"].get_absolute_url()).content.decode()
    assert f'href="https://ror.org/{ids.ror(1)}"' in page
    assert ids.uscc(1) in page and "统一社会信用代码" in page  # no resolver: shown as text
    assert (
        f'href="https://orcid.org/{ids.orcid(1)}"'
        in client.get(identified["person"].get_absolute_url()).content.decode()
    )
    assert (
        f'href="https://www.wikidata.org/wiki/{ids.wikidata(1)}"'
        in client.get(identified["program"].get_absolute_url()).content.decode()
    )


def test_identifier_filter_on_the_organization_list_and_api(client, identified):
    for value in (f"ror:{ids.ror(1)}", f"https://ror.org/{ids.ror(1).upper()}"):
        page = client.get(reverse("programs:organization-list"), {"identifier": value})
        assert len(page.context["rows"]) == 1 and "/organizations/tsinghua/" in page.content.decode()
        assert "/organizations/other/" not in page.content.decode()
        body = client.get("/api/organizations/", {"identifier": value}).json()
        assert [row["slug"] for row in body["results"]] == ["tsinghua"]
        assert body["results"][0]["identifiers"] == [
            {"scheme": "ror", "value": ids.ror(1), "url": f"https://ror.org/{ids.ror(1)}"},
            {"scheme": "uscc", "value": ids.uscc(1), "url": ""},
        ]
    # A draft's identifier finds nothing.
    assert client.get("/api/organizations/", {"identifier": f"ror:{ids.ror(2)}"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (f"ror:{ids.wrong_check(ids.ror(1))}", "ISO 7064 MOD 97-10"),
        (f"orcid:{ids.orcid(1)}", "ORCID iD is not a scheme for organizations"),
        ("isbn:123", "is not an identifier scheme"),
        ("tsinghua", "scheme:value"),
    ],
)
def test_identifier_filter_refuses_bad_values(client, identified, value, message):
    response = client.get("/api/organizations/", {"identifier": value}, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert message in response.json()["identifier"][0]
    page = client.get("/en" + reverse("programs:organization-list"), {"identifier": value})
    assert message in page.content.decode() and not page.context["rows"]


def test_api_details_carry_identifiers(client, identified):
    assert client.get("/api/people/li-si/").json()["identifiers"] == [
        {"scheme": "orcid", "value": ids.orcid(1), "url": f"https://orcid.org/{ids.orcid(1)}"}
    ]
    assert client.get("/api/programs/lab/").json()["identifiers"][0]["value"] == ids.wikidata(1)
    assert [i["scheme"] for i in client.get("/api/organizations/tsinghua/").json()["identifiers"]] == ["ror", "uscc"]


def test_id_redirects_to_the_record(client, identified):
    response = client.get(f"/id/ror/{ids.ror(1)}/")
    assert response.status_code == 302 and response["Location"] == "/organizations/tsinghua/"
    assert client.get(f"/en/id/orcid/{ids.orcid(1)}/")["Location"] == "/en/people/li-si/"
    assert client.get(f"/id/wikidata/{ids.wikidata(1).lower()}/")["Location"] == "/programs/lab/"
    f.IdentifierFactory(organization=identified["organization"], scheme="crossref_funder", value=ids.crossref_funder(1))
    assert client.get(f"/id/crossref_funder/{ids.crossref_funder(1)}/")["Location"] == "/organizations/tsinghua/"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/id/ror/{ids.ror(3)}/", 404),  # valid, held by nobody
        (f"/id/ror/{ids.ror(2)}/", 404),  # held by a draft
        (f"/id/doi/{ids.ror(1)}/", 404),  # no such scheme
        (f"/id/ror/{ids.wrong_check(ids.ror(1))}/", 400),
        ("/id/orcid/0000-0002/", 400),
    ],
)
def test_id_refuses_unknown_and_malformed_identifiers(client, identified, path, status):
    assert client.get(path).status_code == status
    response = client.get("/en" + path)
    assert response.status_code == status
    if status == 400:
        assert "ROR ID" in response.content.decode() or "ORCID" in response.content.decode()
