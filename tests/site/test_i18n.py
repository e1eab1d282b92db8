"""Two languages: Chinese at /, English under /en/, a switch on every page, content falling back to Chinese."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation

from programs.site.context_processors import page_in
from tests import factories as f

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_html_lang_follows_the_url(client):
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
    assert '<html lang="en">' in client.get("/en/").content.decode()


def test_unprefixed_pages_stay_chinese_whatever_the_browser_asks(client):
    page = client.get("/programs/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="zh-hans">' in page


def test_language_switch_links_to_the_same_page_and_query(client):
    program = f.ProgramFactory()
    page = client.get("/programs/?kind=award&q=%E5%AE%9E").content.decode()
    assert 'href="/en/programs/?kind=award&amp;q=%E5%AE%9E" hreflang="en"' in page
    page = client.get(f"/en/programs/{program.slug}/").content.decode()
    assert f'href="/programs/{program.slug}/" hreflang="zh-hans"' in page
    assert '<link rel="alternate" hreflang="en"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/programs/?kind=award&q=%E5%AE%9E",
        "/en/programs/?q=智能&page=2",
        "/people/?q=a+b",
        "/nowhere/?x=1",
    ],
)
def test_language_links_are_the_pages_own_address_translated(rf, path):
    program = f.ProgramFactory()
    for request_path in (path, f"/programs/{program.slug}/", f"/en/programs/{program.slug}/?tab=1"):
        request = rf.get(request_path)
        # As LocaleMiddleware does: the address's language is active when it is resolved.
        with translation.override("en" if request_path.startswith("/en/") else "zh-hans"):
            try:
                request.resolver_match = resolve(request.path_info)
            except Resolver404:
                request.resolver_match = None
            for code, _name in settings.LANGUAGES:
                assert page_in(request, code) == translate_url(request.get_full_path(), code)
        assert request.resolver_match or request_path.startswith("/nowhere/")


def test_content_falls_back_to_chinese_where_english_is_missing(client):
    translated = f.ProgramFactory(name="有译名的项目", name_en="Translated programme")
    untranslated = f.ProgramFactory(name="没有英文名的项目", name_en="", summary="只有中文摘要")
    page = client.get("/en/programs/").content.decode()
    assert "Translated programme" in page and "没有英文名的项目" in page
    page = client.get(f"/en/programs/{untranslated.slug}/").content.decode()
    assert "<h1>没有英文名的项目</h1>" in page and "只有中文摘要" in page
    page = client.get(translated.get_absolute_url()).content.decode()
    assert "<h1>有译名的项目</h1>" in page


def test_interface_strings_are_translated(client):
    f.ProgramFactory()
    chinese = client.get("/programs/").content.decode()
    english = client.get("/en/programs/").content.decode()
    assert "联合实验室" in chinese and "应用筛选" in chinese and "Apply filters" not in chinese
    assert "Joint lab" in english and "Apply filters" in english


def _entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgid" not in block:
            continue
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid ", 1)[1].split("\nmsg", 1)[0]))
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        msgstrs = ["".join(re.findall(r'"(.*)"', s)) for s in strings]
        yield block, msgid, msgstrs


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    problems = []
    for block, msgid, msgstrs in _entries():
        if msgid == "":
            continue
        if "#, fuzzy" in block or any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines()):
            problems.append(("fuzzy", msgid))
        if not msgstrs or not all(msgstrs):
            problems.append(("untranslated", msgid))
    assert not problems


def test_compiled_catalogue_matches_the_source():
    """The committed .mo is compiled from the committed .po (`make messages`)."""
    with translation.override("zh-hans"):
        for block, msgid, msgstrs in _entries():
            if msgid and "msgid_plural" not in block and "msgctxt" not in block:
                source = msgid.replace('\\"', '"').replace("\\n", "\n")
                expected = msgstrs[0].replace('\\"', '"').replace("\\n", "\n")
                assert translation.gettext(source) == expected, msgid


def test_model_choices_are_translated():
    from programs.models import OrganizationKind, ProgramKind

    with translation.override("zh-hans"):
        assert str(ProgramKind.JOINT_LAB.label) == "联合实验室"
        assert str(ProgramKind.RESEARCH_FUND.label) == "科研基金"
        assert str(OrganizationKind.UNIVERSITY.label) == "大学"


def test_admin_is_translated_too(admin_client):
    assert "校企合作项目追踪" in admin_client.get(reverse("admin:index")).content.decode()
