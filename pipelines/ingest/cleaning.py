"""Turn raw article text (plain, Markdown or HTML) into the cleaned `body` of `articles`.

Every function here is pure: text in, text out. The cleaned body is what the article id is
hashed from and what every later stage indexes into (sentence offsets, evidence spans), so the
rules must be deterministic and must not reorder or split sentences:

* Markdown images `![alt](url)` disappear; links `[text](url)` keep their text.
* HTML loses its tags and the contents of non-article elements (script, style, nav, header,
  footer, ...); entities are unescaped. Block elements become line breaks, inline elements do not,
  so a sentence with a link in it stays on one line.
* Curly quotes become straight quotes, exotic spaces become plain spaces, zero-width characters
  go, dashes stay. Unicode is NFC.
* Runs of spaces collapse; each paragraph is one line and paragraphs are separated by a single
  '\\n'. Lines that are only a URL, and any line identical to an earlier one (scraped pages
  repeat images, share bars, "Advertisement"), are dropped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Literal

from bs4 import BeautifulSoup, Comment, Tag

# "page": main text an extractor already took out of an HTML page (pipelines.ingest.pages).
TextFormat = Literal["text", "markdown", "html", "page"]

# Elements whose whole content is page furniture rather than article text.
_DROP_ELEMENTS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "object", "embed", "button", "select",
)
# Elements that start a new line when rendered; everything else is inline and must not break
# the sentence it sits in.
_BLOCK_ELEMENTS = (
    "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
    "h6", "article", "section", "main", "blockquote", "pre", "table", "tr", "td", "th",
    "figure", "figcaption", "address", "caption",
)

# A link URL may itself contain one level of parentheses (Wikipedia style) and an optional
# "title" after a space.
_MD_URL = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
_MD_IMAGE = re.compile(r"!\[[^\]]*\]" + _MD_URL)
_MD_LINK = re.compile(r"\[([^\]]*)\]" + _MD_URL)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$", re.MULTILINE)
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.MULTILINE)
_MD_BULLET = re.compile(r"^\s{0,3}[-*+]\s+", re.MULTILINE)
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# Single * or _ emphasis only when it hugs a word, so "5 * 3" and snake_case survive.
_MD_ITALIC = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")
_MD_CODE = re.compile(r"`([^`\n]+)`")

_URL_ONLY = re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.IGNORECASE)
_HTML_HINT = re.compile(
    r"<(?:p|div|br|a|span|script|style|article|section|h[1-6]|em|strong|b|i|ul|li|img)\b[^>]*>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\f\v]+")
# A promotion line is short: a label and a headline, not a paragraph.
MAX_PROMO_CHARS = 250
# Labels that introduce a link to another story, in the languages of the sources we read.
PROMO_LABELS = (
    "read more", "read also", "also read", "read", "related", "related story", "see also",
    "more", "watch", "listen", "recommended", "lire aussi", "à lire aussi", "a lire aussi",
    "voir aussi", "lire également", "à voir aussi", "lee también", "leer más", "lea también",
    "ver también", "relacionado", "leia também", "li tou", "li plis",
)
_PROMO = re.compile(
    r"^\W*(?:" + "|".join(re.escape(label) for label in sorted(PROMO_LABELS, key=len, reverse=True))
    + r")\s*[:|>»–—-]", re.IGNORECASE)
# A photo caption or a credit line, not the report: captions describe the picture (a file
# photo shows another day's event: "FILE PHOTO: ... after an attack killed 30 people, March 12,
# 2023. REUTERS/...") and credits name the staff. Recognised by the agencies' fixed forms.
MAX_CAPTION_CHARS = 400
_CAPTION = re.compile(
    r"^\W*(?i:file\s+photo|photo\s+d'archives?|foto\s+de\s+archivo)\b"  # FILE PHOTO: ...
    r"|\bREUTERS/[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)*(?:/File\s+Photo)?\.?\s*$"  # agency credit
    r"|\((?:AP|AFP|EPA|Reuters|Xinhua|Anadolu)\s+Photo\b[^)]*\)\s*$"  # (AP Photo/Name)
    r"|\b(?:AFP|EPA-EFE|Anadolu)\s+via\s+Getty\s+Images\)?\.?\s*$"
    r"|^\(?(?i:reporting|additional\s+reporting|writing|editing|compiled)\s+by\b")

_CHAR_MAP = str.maketrans({
    # Curly and low quotes -> straight ones, so quote matching downstream is one code point.
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    # Non-breaking and typographic spaces -> plain space.
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ",
    "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ", "\u2009": " ",
    "\u200a": " ", "\u205f": " ", "\u3000": " ", "\t": " ",
    # Invisible characters that would make identical words hash and match differently.
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    "\u00ad": None,
    # Unicode line/paragraph separators and old Mac line ends -> '\n'.
    "\u2028": "\n", "\u2029": "\n", "\r": "\n", "\x85": "\n",
})


def looks_like_html(text: str) -> bool:
    """True when `text` contains common HTML tags (JSON feeds often carry HTML bodies)."""
    return bool(_HTML_HINT.search(text))


def strip_markdown(text: str, *, full: bool = False) -> str:
    """Remove Markdown image markup and reduce links to their text.

    Plain-text scrapes (like the seed article) contain image and link markup too, so that part
    always runs. `full=True` (for real Markdown files) also removes heading markers, emphasis,
    inline code ticks, quote markers, bullets and horizontal rules.
    """
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    if full:
        text = _MD_RULE.sub("", text)
        text = _MD_HEADING.sub(r"\1", text)
        text = _MD_QUOTE.sub("", text)
        text = _MD_BULLET.sub("", text)
        text = _MD_BOLD.sub(r"\2", text)
        text = _MD_ITALIC.sub(r"\2", text)
        text = _MD_CODE.sub(r"\1", text)
    return text


def article_container(soup: BeautifulSoup) -> Tag | BeautifulSoup:
    """Remove page furniture from `soup` (in place) and return the element holding the report.

    That is the first `<article>`, else `<main>`, else `<body>`, else the whole document:
    sidebars and related-story lists outside an `<article>` are not part of the report.
    """
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_ELEMENTS):
        tag.decompose()
    return soup.find("article") or soup.find("main") or soup.body or soup


def html_to_text(markup: str) -> str:
    """Visible article text of an HTML document or fragment, one block element per line.

    Uses the built-in `html.parser` so no C parser is needed; see `article_container` for
    what is kept.
    """
    container = article_container(BeautifulSoup(markup, "html.parser"))
    for tag in container.find_all(_BLOCK_ELEMENTS):
        # Newlines around block elements only; get_text() with a separator would also split
        # inline elements (<a>, <em>) and break sentences in two.
        tag.insert_before("\n")
        tag.insert_after("\n")
    # get_text() returns entity-decoded text; html.unescape catches double-escaped entities.
    return html.unescape(container.get_text())


def normalize_characters(text: str) -> str:
    """NFC, straight quotes, plain spaces, no zero-width characters, '\\n' line ends."""
    text = text.replace("\r\n", "\n")
    return unicodedata.normalize("NFC", text.translate(_CHAR_MAP))


def tidy_lines(text: str) -> str:
    """Collapse spaces, drop blank, URL-only, repeated, cross-promotion, caption and credit
    lines; join paragraphs with '\\n'."""
    kept: list[str] = []
    seen: set[str] = set()
    for raw_line in text.split("\n"):
        line = _SPACES.sub(" ", raw_line).strip()
        if not line or _URL_ONLY.match(line) or line in seen or is_promo_line(line) \
                or is_caption_or_credit(line):
            continue
        seen.add(line)
        kept.append(line)
    return "\n".join(kept)


def is_promo_line(line: str) -> bool:
    """True for a short line that only introduces another story ("Read more: ...")."""
    return len(line) <= MAX_PROMO_CHARS and bool(_PROMO.match(line))


def is_caption_or_credit(line: str) -> bool:
    """True for a photo caption ("FILE PHOTO: ...", "... REUTERS/Name", "(AP Photo/Name)") or a
    staff credit ("(Reporting by ...; Editing by ...)")."""
    return len(line) <= MAX_CAPTION_CHARS and bool(_CAPTION.search(line))


def clean_inline(text: str) -> str:
    """Normalise a short field (a title) to one line of clean text."""
    return _SPACES.sub(" ", normalize_characters(text).replace("\n", " ")).strip()


def clean_body(raw: str, fmt: TextFormat = "text") -> str:
    """The cleaned article body for raw text in the given format.

    HTML is detected inside plain text too (JSON feeds often carry HTML in their `content`
    field), so callers can pass `"text"` for anything that is not a Markdown or HTML file.
    Text already extracted from a page (`"page"`) only has its characters and lines tidied.
    """
    if fmt == "page":
        return tidy_lines(normalize_characters(raw))
    # Feeds and scrapes leave entities such as &#8217; in otherwise plain text too.
    is_html = fmt == "html" or looks_like_html(raw)
    raw = html_to_text(raw) if is_html else html.unescape(raw)
    raw = normalize_characters(raw)
    raw = strip_markdown(raw, full=fmt == "markdown")
    return tidy_lines(raw)
