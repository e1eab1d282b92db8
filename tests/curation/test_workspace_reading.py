"""The article workspace's reading: pinyin noise, traditional characters, offsets, sentences, mentions
and proposals (programs/curation/workspace/)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from programs import models
from programs.curation.workspace import matcher
from programs.curation.workspace.annotation import annotate
from programs.curation.workspace.matcher import Record, Registry, build
from programs.curation.workspace.reading import clean, folded_name, folded_names, read
from programs.curation.workspace.sentences import MAX_SENTENCE_CHARS, split
from tests import factories as f

TEXTS = Path(__file__).resolve().parent / "workspace_texts"
NJU = (TEXTS / "nju-traditional.txt").read_text(encoding="utf-8")


def registry_of(**names) -> Registry:
    """A registry of records given as slug=(type, [names]) without a database."""
    registry = Registry()
    for slug, (type_, record_names) in names.items():
        registry.add(Record(type_, slug, False), record_names)
    return registry.compile()


def test_pinyin_noise_is_skipped_and_traditional_read_as_simplified_with_original_offsets():
    reading = read("南京發(fā)布的國(guó)家數(shù)據(jù)")
    assert reading.folded == "南京发布的国家数据"
    start = reading.folded.index("国家")
    assert reading.original[slice(*reading.span(start, start + 2))] == "國(guó)家"


def test_brackets_without_a_tone_mark_are_text():
    assert read("報告(NCSES)與(2025)").folded == "报告(ncses)与(2025)"


def test_spacing_is_uniform_and_line_breaks_stay():
    assert read("自 2017  年\n起 Alibaba   Group").folded == "自2017年\n起alibaba group"
    assert folded_name(" Alibaba   Group ") == read("Alibaba Group").folded


def test_a_quote_is_the_sentence_simplified_without_noise():
    assert clean("  華為“天才少年計劃”入選者發(fā)布 ") == "华为“天才少年计划”入选者发布"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "他说：“一开始被绊住了，很难突破。”上海交大吴帆提到。",
            ["他说：“一开始被绊住了，很难突破。”", "上海交大吴帆提到。"],
        ),
        ("Prof. Li joined Alibaba Inc. in 2019. He left!", ["Prof. Li joined Alibaba Inc. in 2019.", "He left!"]),
        ("一（二。三）四。\n\n五", ["一（二。三）四。", "五"]),
        ("好吗？？是的……", ["好吗？？", "是的……"]),
    ],
)
def test_sentences_respect_quotes_and_brackets(text, sentences):
    assert [text[s.start : s.end] for s in split(text)] == sentences


def test_a_sentence_of_100000_characters_is_cut_into_quotable_pieces():
    text = "很长的句子，" * 20_000  # 120,000 characters, no full stop
    pieces = split(text)
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in pieces)
    assert pieces[0].cut and not pieces[-1].cut
    assert "".join(text[s.start : s.end] for s in pieces) == text


def test_mentions_are_longest_first_through_noise_with_offsets_into_the_original():
    registry = registry_of(
        nju=("organization", ["南京大学", "南大"]),
        school=("organization", ["南京大学智能科学与技术学院"]),
        bytedance=("organization", ["字节跳动"]),
        xu=("person", ["徐科"]),
    )
    mentions = registry.find(read(NJU))
    found = [(m.text, m.record.slug) for m in mentions]
    assert ("南京大學智能科學與技術學院", "school") in found
    assert ("字節(jié)跳動", "bytedance") in found
    assert ("南京大學", "nju") in found  # on its own in the first sentence
    for mention in mentions:
        assert NJU[mention.start : mention.end] == mention.text
    # never both the school and the university inside it
    school = next(m for m in mentions if m.record.slug == "school")
    assert not any(m.record.slug == "nju" and school.start <= m.start < school.end for m in mentions)


def test_names_inside_a_mention_of_another_type_are_mentions_too():
    registry = registry_of(
        lab=("program", ["北京大学-微软亚洲研究院联合实验室"]),
        pku=("organization", ["北京大学"]),
        msra=("organization", ["微软亚洲研究院"]),
    )
    slugs = [m.record.slug for m in registry.find(read("例如北京大学-微软亚洲研究院联合实验室。"))]
    assert slugs == ["lab", "pku", "msra"]


def test_latin_names_stand_as_words_and_ambiguous_names_list_their_candidates():
    registry = registry_of(air=("program", ["AIR"]), a1=("person", ["李华"]), a2=("organization", ["李华"]))
    mentions = registry.find(read("AIRPORT is not AIR; 李华说。"))
    assert [(m.text, m.ambiguous) for m in mentions] == [("AIR", False), ("李华", True)]
    assert {r.slug for r in mentions[1].records} == {"a1", "a2"}
    assert mentions[1].as_json()["candidates"]


def test_names_sharing_their_first_characters_are_found_whatever_their_length():
    registry = registry_of(
        institute=("organization", ["中国科学院自动化研究所"]),
        academy=("organization", ["中国科学院"]),
        program=("program", ["中国科学院自动化研究所紫东计划"]),
        lab=("program", ["Joint Laboratory of AI"]),
        labs=("program", ["Joint Laboratory of AI and Robotics"]),
    )
    text = "中国科学院自动化研究所与中国科学院，Joint Laboratory of AI and Robotics、Joint Laboratory of AI"
    found = [(m.text, m.record.slug) for m in registry.find(read(text))]
    assert found == [
        ("中国科学院自动化研究所", "institute"),
        ("中国科学院", "academy"),
        ("Joint Laboratory of AI and Robotics", "labs"),
        ("Joint Laboratory of AI", "lab"),
    ]


def test_names_folded_together_read_as_each_alone():
    names = [
        "",
        " ",
        "Alibaba   Group ",
        " 北京 大学 ",
        "\u3000清華\u3000大學",
        "A\u3000B",
        "ﬁne\tLab",
        "大 学 Lab",
        "x\x00y",
    ]
    assert folded_names(names) == [folded_name(name) for name in names]
    assert folded_names(names[:-1]) == [folded_name(name) for name in names[:-1]]  # without the fallback
    assert folded_names([]) == []


def test_proposals_on_an_empty_registry_find_organizations_people_and_programmes():
    annotation = annotate(NJU, similar=False, names=Registry().compile())
    proposed = {(p.type, p.name) for p in annotation.proposals}
    assert {
        ("organization", "南京大学智能科学与技术学院"),
        ("organization", "字节跳动"),
        ("organization", "腾讯"),
        ("person", "张振宇"),
        ("person", "邰颖"),
        ("program", "华为“天才少年计划”"),
    } <= proposed
    for proposal in annotation.proposals:
        assert clean(NJU[proposal.start : proposal.end]) == proposal.name
        sentence = proposal.sentence
        assert sentence.start <= proposal.start and proposal.end <= sentence.end


def test_a_known_name_is_a_mention_not_a_proposal_and_dismissed_proposals_stay_away():
    registry = registry_of(tencent=("organization", ["腾讯"]))
    annotation = annotate(NJU, similar=False, names=registry, dismissed={"person:张振宇"})
    names = {p.name for p in annotation.proposals}
    assert "腾讯" not in names and "张振宇" not in names
    assert "tencent" in {m.record.slug for m in annotation.mentions}


@pytest.mark.django_db
def test_the_registry_holds_every_name_of_every_kind_drafts_marked():
    f.ProgramFactory(name="犀牛鸟计划", name_en="Rhino-Bird", aliases=["犀牛鸟"], slug="rhino")
    f.OrganizationFactory(name="清华大学", short_name="清华", slug="thu", status="draft")
    f.PersonFactory(name="李四", slug="li-si")
    f.ProjectFactory(title="大模型推理研究", slug="llm")
    f.OrganizationFactory(name="清华大学出版社", name_en="", aliases=["  清华社 ", "", "清华"], slug="press")
    registry = build()
    for name in ("犀牛鸟计划", "rhino-bird", "犀牛鸟", "清华大学", "清华", "李四", "大模型推理研究", "清华社"):
        assert registry.knows(folded_name(name)), name
    assert registry.named("清华") == (Record("organization", "press", False), Record("organization", "thu", True))
    assert registry.named("") == registry.named("清华大学出版") == ()


@pytest.mark.django_db
def test_the_registry_is_rebuilt_after_any_write_to_a_named_record_and_only_then():
    program = f.ProgramFactory(name="犀牛鸟计划", slug="rhino")
    held = matcher.registry()
    assert matcher.registry() is held and held.knows("犀牛鸟计划")
    f.CitationFactory(record=program)  # a citation names nothing: the registry stays
    assert matcher.registry() is held
    writes = [
        lambda: f.OrganizationFactory(name="清华大学", slug="thu", status="draft"),
        lambda: models.Program.objects.filter(pk=program.pk).update(aliases="犀牛鸟"),  # no updated_at
        lambda: raw("UPDATE programs_program SET name = '新犀牛鸟' WHERE slug = 'rhino'"),
        lambda: raw("DELETE FROM programs_organization WHERE slug = 'thu'"),
        lambda: call_command("seed_synthetic", "--programs", "5", stdout=StringIO()),  # bulk inserts
    ]
    for write in writes:
        write()
        rebuilt = matcher.registry()
        assert rebuilt is not held
        held = rebuilt
    assert held.knows("新犀牛鸟") and held.knows("犀牛鸟") and not held.knows("清华大学")
    assert held.named(folded_name(models.Program.objects.get(slug="syn-program-0").name))


def raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
