"""What the workspace refuses, with a clear message and nothing written: empty and whitespace texts,
binary, undecodable and oversized uploads; and the encodings it reads."""

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from programs.curation.workspace.decoding import TextError, text_of_file
from tests import factories as f
from tests.helpers import database_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the site's default language is Chinese)."""
    with translation.override("en"):
        yield


SIMPLIFIED = "华为与南京大学宣布共建联合实验室，研究大模型。"
TRADITIONAL = "華為與南京大學宣佈共建聯合實驗室，研究大模型。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "UTF-8 with a byte-order mark"),
        (SIMPLIFIED.encode("utf-16"), "UTF-16 with a byte-order mark"),
        ((SIMPLIFIED * 4).encode("gb18030"), "GB18030"),
        ((TRADITIONAL * 4).encode("big5"), "Big5"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_encodings_are_detected(data, encoding):
    text = text_of_file(data, "article.txt")
    assert text.startswith(TRADITIONAL if "Big5" in encoding else SIMPLIFIED), encoding


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The text is empty"),
        (b" \n\t \r\n ", "The text is empty"),
        (b"<html><script>alert(1)</script><style>p{}</style></html>", "The text is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" * 50, "not"),
        (bytes(range(256)) * 40, "not"),
    ],
    ids=["empty", "whitespace", "html-without-text", "png", "binary"],
)
def test_empty_and_binary_files_are_refused(data, message):
    """Binary files are refused as "not text in UTF-8, UTF-16, GB18030 or Big5" or as "not a text file"."""
    with pytest.raises(TextError) as refused:
        text_of_file(data, "article.html")
    assert message in str(refused.value.message)


def test_undecodable_bytes_are_refused():
    with pytest.raises(TextError) as refused:
        text_of_file(bytes(range(0x80, 0x100)) * 50, "article.txt")
    message = str(refused.value.message)
    assert "not a text file" in message or "not text in UTF-8, UTF-16, GB18030 or Big5" in message


def test_a_text_longer_than_a_source_keeps_is_refused():
    with pytest.raises(TextError) as refused:
        text_of_file(("很长的文章。" * 60_000).encode(), "long.txt")
    assert "a source keeps at most 300,000" in str(refused.value.message)


@pytest.fixture
def source():
    return f.SourceFactory(slug="an-article", text="")


def english_url(source) -> str:
    with translation.override("en"):
        return reverse("admin:programs_source_workspace", args=[source.pk])


def post_file(client, source, name, data):
    return client.post(english_url(source), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.txt", b"   \n  ", "The text is empty"),
        ("a.bin", b"\x00\x01\x02\x03" * 1000, "not a text file"),
        ("a.txt", b"x" * (2 * 1024 * 1024 + 1), "uploaded files may be 2.0"),
    ],
    ids=["whitespace", "binary", "over-the-upload-limit"],
)
def test_bad_uploads_get_a_message_and_leave_the_source_as_it_was(curator_client, source, name, data, message):
    before = database_state()
    response = post_file(curator_client, source, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert database_state() == before


def test_a_20_mb_upload_is_refused_before_it_is_read(curator_client, source):
    before = database_state()
    response = post_file(curator_client, source, "big.txt", b"a" * (20 * 1024 * 1024))
    assert response.status_code == 413
    assert database_state() == before


def test_pasting_and_uploading_at_once_is_refused(curator_client, source):
    response = curator_client.post(
        english_url(source), {"text": "一句话。", "file": SimpleUploadedFile("a.txt", "另一句。".encode())}
    )
    assert "Paste the text or upload a file, not both." in response.content.decode()


def test_a_text_with_control_characters_is_refused(curator_client, source):
    response = curator_client.post(english_url(source), {"text": "一句话\x07。"})
    assert "U+0007" in response.content.decode()
    source.refresh_from_db()
    assert source.text == ""


def test_a_sentence_of_100000_characters_is_shown_in_pieces(curator_client, source):
    source.text = "没有句号的长句，" * 12_500
    source.save()
    response = curator_client.get(reverse("admin:programs_source_workspace", args=[source.pk]))
    assert response.status_code == 200
    assert len(response.context["page"].sentences) >= 100
