"""The feeds file and what a feed lists: RSS and Atom (feedparser), sitemaps (lxml).

The feeds file is CSV with a header row and the columns `url, outlet, language, enabled`:

    url,outlet,language,enabled
    https://www.example-quotidien.ht/rss.xml,Le Quotidien,fr,true
    https://www.example.com/news-sitemap.xml,Example News,en,false

`outlet` and `language` are copied onto every article fetched from that feed; `enabled` is
true unless it says false/no/0/off. Blank rows and rows whose url starts with '#' are skipped.

Sitemaps (`<urlset>`, including Google News sitemaps) and sitemap indexes (`<sitemapindex>`)
are read with lxml's XML parser with entity resolution, DTD loading and network access off;
everything else goes to feedparser. A body that is neither is a `BadFeed`.
"""

from __future__ import annotations

import calendar
import csv
import gzip
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

FEEDS_COLUMNS = ("url", "outlet", "language", "enabled")
FALSE_WORDS = frozenset({"false", "no", "0", "off", "n"})
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_XML_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class FeedSource:
    """One row of the feeds file."""

    url: str
    outlet: str | None = None
    language: str | None = None
    enabled: bool = True


@dataclass(frozen=True)
class Entry:
    """A page a feed or sitemap lists. `published` is the feed's own text (its local date);
    `updated` is an ISO UTC timestamp used to notice a changed page."""

    url: str
    id: str | None = None
    title: str | None = None
    published: str | None = None
    updated: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    kind: str  # 'rss', 'atom', 'sitemap' or 'sitemapindex'
    entries: tuple[Entry, ...] = ()
    # A sitemap index's child sitemaps: (url, lastmod).
    sitemaps: tuple[tuple[str, str | None], ...] = ()


class BadFeed(Exception):
    """A body that is not an RSS, Atom or sitemap document."""


def read_feeds_file(path: Path) -> list[FeedSource]:
    """The rows of the feeds file (enabled or not); [] when the file does not exist.

    Raises ValueError when the header lacks a `url` column: a misspelt file must not look like
    an empty one.
    """
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [name.strip().lower() for name in reader.fieldnames or []]
        if "url" not in columns:
            raise ValueError(f"{path}: the header must name a 'url' column, found {columns}")
        sources = []
        for raw in reader:
            row = {str(key).strip().lower(): (value or "").strip() for key, value in raw.items()
                   if key is not None}
            url = row.get("url", "")
            if not url or url.startswith("#"):
                continue
            sources.append(FeedSource(
                url=url, outlet=row.get("outlet") or None, language=row.get("language") or None,
                enabled=row.get("enabled", "").lower() not in FALSE_WORDS))
    return sources


def parse_feed(body: bytes, url: str) -> ParsedFeed:
    """Entries (or child sitemaps) of a feed body fetched from `url`; raises BadFeed."""
    body = _gunzip(body)
    root = _xml_root(body)
    if root is not None and _local(root.tag) in ("urlset", "sitemapindex"):
        return _sitemap(root, url)
    return _syndication(body, url)


def _gunzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        # Bounded: a small gzip can expand to gigabytes.
        data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, MAX_XML_BYTES)
    except (zlib.error, gzip.BadGzipFile) as error:
        raise BadFeed(f"bad gzip data: {error}") from error
    return data


def _xml_root(body: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _sitemap(root, url: str) -> ParsedFeed:
    def text(element, *path: str) -> str | None:
        for step in path:
            element = next((child for child in element if _local(child.tag) == step), None)
            if element is None:
                return None
        value = (element.text or "").strip()
        return value or None

    if _local(root.tag) == "sitemapindex":
        children = tuple((urljoin(url, loc), text(item, "lastmod"))
                         for item in root if _local(item.tag) == "sitemap"
                         and (loc := text(item, "loc")))
        return ParsedFeed("sitemapindex", sitemaps=children)
    entries = []
    for item in root:
        if _local(item.tag) != "url" or not (loc := text(item, "loc")):
            continue
        lastmod = text(item, "lastmod")
        entries.append(Entry(
            url=urljoin(url, loc), id=loc, title=text(item, "news", "title"),
            published=text(item, "news", "publication_date") or lastmod,
            updated=_iso(lastmod)))
    return ParsedFeed("sitemap", tuple(entries))


def _syndication(body: bytes, url: str) -> ParsedFeed:
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    version = parsed.get("version") or ""
    entries = []
    for item in parsed.entries:
        link = item.get("link") or next(
            (ref.get("href") for ref in item.get("links", []) if ref.get("href")), None)
        if not link:
            continue
        updated = item.get("updated_parsed") or item.get("published_parsed")
        entries.append(Entry(
            url=urljoin(url, link.strip()), id=item.get("id") or None,
            title=(item.get("title") or "").strip() or None,
            published=item.get("published") or item.get("updated") or None,
            updated=_struct_iso(updated)))
    if not entries and (not version or parsed.get("bozo")):
        # A well-formed feed may be empty; a broken or unknown document with nothing in it
        # is an error worth a log row.
        problem = parsed.get("bozo_exception")
        raise BadFeed(f"not an RSS, Atom or sitemap document"
                      f"{f' ({type(problem).__name__}: {problem})' if problem else ''}")
    return ParsedFeed("atom" if version.startswith("atom") else "rss", tuple(entries))


def _struct_iso(value) -> str | None:
    if value is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(value: str | None) -> str | None:
    """A sitemap lastmod (W3C datetime) as ISO UTC, or as given when it does not parse."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
