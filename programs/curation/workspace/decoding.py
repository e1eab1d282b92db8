"""An uploaded or pasted article as text: its encoding detected, HTML reduced to its text.

Encodings: a byte-order mark says UTF-8 or UTF-16; otherwise UTF-8 if the bytes are UTF-8, else
what charset-normalizer finds among UTF-16, GB18030 and Big5 (the encodings Chinese pages and
files come in). Bytes none of them reads, or that hold control characters (an image, an archive,
an executable), are refused, as is a file over the upload limit, an empty one, and a text longer
than a source may keep.

HTML (a .html or .htm file, or any text with the tags of a page) is reduced to its text with
Beautiful Soup: scripts, styles and other non-text elements dropped, attributes (event handlers
among them) gone with their tags, block elements ending lines. What is stored is plain text: the
workspace shows it escaped, as text, never as markup.
"""

import codecs
import re

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from programs.models.base import CONTROL_CHARACTER_IN_PROSE
from programs.models.sources import SOURCE_TEXT_MAX_CHARS

ENCODINGS = ["utf_16", "gb18030", "big5"]
BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
HTML_SUFFIXES = (".html", ".htm")
PAGE_TAG = re.compile(r"<(?:p|div|br|article|section|h[1-6]|li|span|table|body|html)\b", re.IGNORECASE)
PAGE_TAGS = 5  # tags of a page in a .txt or .md file that make it a page
DROPPED = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head", "form"]
BLOCKS = ["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "blockquote", "pre"]
BLANK_LINES = re.compile(r"\n\s*\n+")

EMPTY = _("The text is empty: paste the article or upload a .txt, .md or .html file.")
TOO_LARGE = _("The file is %(size)s; an article's file may be %(limit)s at most.")
TOO_LONG = _("The text has %(count)s characters; a source keeps at most %(limit)s.")
UNDECODABLE = _("The file is not text in UTF-8, UTF-16, GB18030 or Big5: save it as UTF-8 text and upload it again.")
BINARY = _("The file holds control characters (U+%(code)04X): it is not a text file.")


class TextError(ValueError):
    """Why bytes or a text cannot be a source's text; `message` says it to the curator."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def text_of_path(path) -> str:
    """The text of a file on disk (its size checked before it is read), or TextError."""
    size, limit = path.stat().st_size, settings.FIXTURE_UPLOAD_MAX_BYTES
    if size > limit:
        raise TextError(TOO_LARGE % {"size": filesizeformat(size), "limit": filesizeformat(limit)})
    return text_of_file(path.read_bytes(), path.name)


def text_of_file(data: bytes, name: str = "") -> str:
    """The text of an uploaded file, ready to be stored, or TextError."""
    limit = settings.FIXTURE_UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise TextError(TOO_LARGE % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)})
    text = decode(data)
    if name.lower().endswith(HTML_SUFFIXES) or len(PAGE_TAG.findall(text, 0, 50_000)) >= PAGE_TAGS:
        text = html_to_text(text)
    return checked(text)


def decode(data: bytes) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=ENCODINGS).best()
    if best is None:
        raise TextError(UNDECODABLE)
    return str(best)


def html_to_text(html: str) -> str:
    """The text a reader sees on the page: non-text elements dropped, one line per block."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(DROPPED):
        element.decompose()
    for element in soup(BLOCKS):
        element.append("\n")
    return soup.get_text()


def checked(text: str) -> str:
    """A text as a source stores it: line ends as \\n, blank runs of lines as one, trimmed; or TextError."""
    text = BLANK_LINES.sub("\n\n", text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")).strip()
    if not text:
        raise TextError(EMPTY)
    control = CONTROL_CHARACTER_IN_PROSE.search(text)
    if control:
        raise TextError(BINARY % {"code": ord(control.group())})
    if len(text) > SOURCE_TEXT_MAX_CHARS:
        raise TextError(TOO_LONG % {"count": f"{len(text):,}", "limit": f"{SOURCE_TEXT_MAX_CHARS:,}"})
    return text
