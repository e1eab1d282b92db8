import pytest

from programs.models.fields import LinesFormField, split_lines
from tests import factories as f


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("", []),
        ("港中大\nCUHK\n", ["港中大", "CUHK"]),
        ("  AIR \r\n\n AIR\n阿里AIR", ["AIR", "阿里AIR"]),
        (["InTech", " InTech ", ""], ["InTech"]),
    ],
)
def test_split_lines(value, expected):
    assert split_lines(value) == expected


@pytest.mark.django_db
def test_aliases_round_trip_through_the_database_and_search_text():
    organization = f.OrganizationFactory(
        name="香港中文大学", name_en="The Chinese University of Hong Kong", aliases=["港中大", "CUHK"]
    )
    organization.refresh_from_db()
    assert organization.aliases == ["港中大", "CUHK"]
    forms = organization.search_names.split("\n")  # each name and alias, folded, one per line
    assert {"香港中文大学", "the chinese university of hong kong", "港中大", "cuhk"} <= set(forms)
    assert forms.index("港中大") < forms.index("cuhk")  # in the order they were given


def test_lines_form_field_shows_one_item_per_line():
    field = LinesFormField(required=False)
    assert field.prepare_value(["a", "b"]) == "a\nb"
    assert field.clean("a\n\nb\na") == ["a", "b"]
