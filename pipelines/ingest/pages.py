"""Main text and metadata of a news page (saved from a browser or fetched), read by trafilatura.

`read_page(markup, url, today)` is the one function ingest calls on raw HTML. The article body
and its metadata (title, author, site name, canonical URL, publication date via htmldate) come
from trafilatura; this module only chooses between its modes and tidies what it returns:

1. Two passes: trafilatura's precision mode (prunes link-dense blocks, headers, teasers harder)
   and its balanced mode (which itself falls back on readability, jusText and a baseline when
   its own rules find little). The precision text is kept unless it holds less than half of the
   balanced text: then precision cut into the article itself (galleries, pages of short blocks)
   and the balanced text is used. See docs/decisions.md for the measurements behind this.
2. A page that declares itself a live blog (schema.org `LiveBlogPosting`) keeps its updates in
   sibling `<article>` elements, of which trafilatura reads only the first; each update is then
   extracted on its own and the updates are joined in page order.
3. The headline repeated at the top of the text is dropped (it is the `title`), and so are
   cross-promotion lines ("Read more: ...", "ALSO READ: ...", "Lire aussi : ..."): headlines of
   other stories, each a false incident waiting to happen (`cleaning.is_promo_line`, which
   every other format's cleaning applies too).

Nothing here reads files: the same markup gives the same text on every machine (with
the same trafilatura version), so `article_id` and every evidence offset into the body stay put.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from pipelines.ingest.cleaning import is_promo_line

# Precision mode is kept unless it holds less than this share of the balanced text.
MIN_PRECISION_SHARE = 0.5
# The headline is looked for among the first lines of the extracted text.
HEADLINE_LINES = 3
_WORD = re.compile(r"\w+")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# Browsers label these Latin-1 but decode them as windows-1252 (WHATWG Encoding Standard).
_CP1252_ALIASES = {"latin_1", "ascii", "iso8859_1"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Page:
    """What the extractor read in a page. `text` is '' when it found no article body."""

    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    # The canonical URL the page declares (<link rel=canonical>, og:url), else the one given.
    url: str | None = None
    # 'YYYY-MM-DD', or 'YYYY' when the only date found is a year (a copyright line).
    published: str | None = None
    # Which extraction produced `text`: 'precision', 'balanced', 'live_blog' or 'none'.
    method: str = "none"


def decode_html(data: bytes, declared: str | None = None) -> str | None:
    """Decode an HTML page: BOM, else UTF-8, else the declared or <meta> charset, else a guess.

    `declared` is the charset of an HTTP Content-Type header, when the page was fetched. Returns
    None for binary data (NUL characters after decoding).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _no_nul(data.decode(encoding, errors="replace"))
    try:
        return _no_nul(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:4096])
    text = _decode_as(data, [declared, meta.group(1).decode("ascii", "ignore") if meta else None])
    if text is None:
        from trafilatura.utils import detect_encoding

        text = _decode_as(data, [*detect_encoding(data), "cp1252"])
    return _no_nul(text if text is not None else data.decode("utf-8", errors="replace"))


def read_page(markup: str, url: str | None = None, today: date | None = None) -> Page:
    """Article text and metadata of one HTML page (see the module docstring).

    `url` is where the page came from, if known (it helps trafilatura and is the fallback
    canonical URL); `today` bounds publication dates (htmldate ignores later ones).
    """
    import trafilatura

    lowered = markup.lower()
    if "<html" not in lowered and "<body" not in lowered:
        # A saved fragment (just the article's markup): trafilatura expects a whole document.
        markup = f"<html><body>{markup}</body></html>"
    max_date = (today or date.today()).isoformat()
    date_params = {"original_date": True, "extensive_search": False, "max_date": max_date}
    options = {"url": url, "include_comments": False, "include_tables": True,
               "include_images": False}
    document = trafilatura.bare_extraction(
        markup, with_metadata=True, date_extraction_params=date_params, **options)
    balanced = (document.text or "") if document is not None else ""
    precise = trafilatura.extract(markup, favor_precision=True, **options) or ""
    text, method = ((precise, "precision") if precise and len(precise) >= MIN_PRECISION_SHARE
                    * len(balanced) else (balanced, "balanced" if balanced else "none"))
    updates = _live_blog_text(markup, options)
    if len(updates) > len(text):
        text, method = updates, "live_blog"

    title = _clean(document.title) if document is not None else None
    published = document.date if document is not None else None
    if published is None:
        published = _text_date(markup, url, max_date)
    lines = _tidy(text.split("\n"), title)
    return Page(
        text="\n".join(lines),
        title=title,
        author=_clean(document.author) if document is not None else None,
        sitename=_clean(document.sitename) if document is not None else None,
        url=(document.url if document is not None and document.url else None) or url,
        published=published,
        method=method if lines else "none",
    )


def _tidy(lines: list[str], title: str | None) -> list[str]:
    """Drop blank and wordless lines (table rules), promotion lines and the repeated headline."""
    kept = [line.strip() for line in lines if _WORD.search(line) and not is_promo_line(line.strip())]
    if title:
        headline = _fold(title)
        top = [line for line in kept[:HEADLINE_LINES] if _fold(line) != headline]
        kept = top + kept[HEADLINE_LINES:]
    return kept


def _live_blog_text(markup: str, options: dict) -> str:
    """The updates of a declared live blog, each extracted alone; '' for any other page."""
    if "LiveBlogPosting" not in markup:
        return ""
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.fromstring(markup)
    except (ValueError, lxml.etree.ParserError):
        return ""
    declared = " ".join(tree.xpath(
        "//script[@type='application/ld+json']/text() | //*[@itemtype]/@itemtype"))
    if "LiveBlogPosting" not in declared:
        return ""
    children: dict[object, int] = {}
    for article in tree.iter("article"):
        parent = article.getparent()
        children[parent] = children.get(parent, 0) + 1
    if not children:
        return ""
    parent, count = max(children.items(), key=lambda item: item[1])
    if count < 2:
        return ""
    texts = []
    for child in parent:
        if child.tag == "article":
            fragment = "<html><body>" + lxml.html.tostring(child, encoding="unicode") + "</body></html>"
            texts.append(trafilatura.extract(fragment, **options) or "")
    return "\n".join(text for text in texts if text)


def _text_date(markup: str, url: str | None, max_date: str) -> str | None:
    """A date from the page's visible text, when its markup carries none.

    htmldate's text search also falls back on copyright lines ('© 2025' -> 2025-01-01): a
    1 January found this way is reported as a year only.
    """
    from htmldate import find_date

    found = find_date(markup, url=url, extensive_search=True, original_date=True,
                      max_date=max_date)
    if found and found.endswith("-01-01"):
        return found[:4]
    return found


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _decode_as(data: bytes, names: list[str | None]) -> str | None:
    """`data` decoded with the first of the named encodings that fits it, or None."""
    for name in names:
        encoding = _codec(name)
        if encoding:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if codec.replace("-", "_") in _CP1252_ALIASES else codec


def _no_nul(text: str) -> str | None:
    return None if "\x00" in text else text
