"""Reading Chinese and Latin text: folding, simplified ↔ traditional, pinyin."""

import pytest

from programs.models import text


@pytest.mark.parametrize(
    ("given", "folded"),
    [
        ("騰訊", "腾讯"),
        ("李飛飛", "李飞飞"),
        ("螞蟻集團", "蚂蚁集团"),
        ("ＡＢＣ　１２３", "abc 123"),  # full-width letters, digits and space
        ("Tsinghua UNIVERSITY", "tsinghua university"),
        ("清华大学", "清华大学"),
        ("", ""),
    ],
)
def test_fold_gives_the_form_spellings_share(given, folded):
    assert text.fold(given) == folded


def test_simplified_and_traditional_are_each_others_inverse_on_names():
    assert text.to_traditional("蚂蚁集团") == "螞蟻集團"
    assert text.to_simplified(text.to_traditional("香港中文大学")) == "香港中文大学"


def test_a_character_is_converted_alone_or_kept():
    assert text.simplified_char("國") == "国"
    assert text.simplified_char("a") == "a"
    assert all(len(text.simplified_char(char)) == 1 for char in "發(fā)布網(wǎng)易")


@pytest.mark.parametrize(
    ("name", "syllables", "initials"),
    [
        ("清华大学", ["qing", "hua", "da", "xue"], "qhdx"),
        ("清華大學", ["qing", "hua", "da", "xue"], "qhdx"),
        ("Ant Group 蚂蚁", ["ma", "yi"], "my"),
        ("SenseTime", [], ""),
    ],
)
def test_pinyin_of_the_chinese_characters_only(name, syllables, initials):
    assert text.pinyin(name) == syllables
    assert text.pinyin_initials(name) == initials


def test_han_characters_are_told_from_others():
    assert [char for char in "清a华。1" if text.is_han(char)] == ["清", "华"]


def test_fold_chars_folds_each_character_as_fold_char_does():
    from programs.models.text import fold_char, fold_chars

    text = "Ｔｓｉｎｇｈｕａ 清華大學 ﬁ ÄBC 國(guó)"
    assert fold_chars(text) == "".join(map(fold_char, text)) == "tsinghua 清华大学 fi äbc 国(guó)"
