"""Read a folder of article files into the `articles` and `rejected_inputs` frames.

`read_articles(root, now)` walks `root` recursively (sorted, so runs are deterministic), skips
hidden files and folders (names starting with '.'), and reads:

* `.txt` (plain text, possibly with Markdown image/link markup left by a scraper),
* `.md` / `.markdown` (optional YAML front matter: title, date, url),
* `.html` / `.htm`: a saved or fetched news page; its article body and metadata come from
  trafilatura (`pipelines.ingest.pages.read_page`). A sidecar `<page>.meta.json` beside it (the
  fetch step writes one; a user may too) holds the keys a JSON record has (`id`, `title`, `url`,
  `published`, `outlet`, `language`, `author`) plus `canonical_url`, `fetched_at` and `charset`;
  its values win over what the page says. A sidecar is metadata, never an article itself.
* `.json` (one object, or a list of objects) and `.jsonl` (one object per line).

`fetched_pages` (the fetch step's folder of pages, `FETCH_DIR/pages`) is read like `root`; its
files are named `fetched/<path under it>` in `source_uri`.

Identifiers, chosen to be stable across machines and runs:

* `source_uri` is the path relative to `root` with '/' separators (`2024/report.txt`), never an
  absolute path. A record inside a JSONL file is `file.jsonl#<id>`, or `file.jsonl#line-<N>`
  (1-based) when it has no id or its id was already used in that file. A `.json` file holding a
  list names its records the same way (`file.json#<id>`, `file.json#item-<N>`); a `.json` file
  holding one object is just `file.json`.
* `external_id` is the record's `id` for JSON/JSONL, else the file stem.
* `article_id` is the first 16 hex characters of the sha256 of the cleaned body. The same article
  seen twice (e.g. as `.txt` and `.json`) is kept once: a file of the folder before a fetched
  page, the earliest fetched page before a later one, then the smallest source_uri; the dropped
  copies are counted in `IngestResult.duplicates`, not rejected.

Articles that share a canonical URL (the page's `<link rel=canonical>`, else its URL, in the
form `metadata.canonical_url` gives) with different text are versions of one article: `version`
numbers them 1, 2, ... by `fetched_at` (saved files first), then `source_uri`.

Bad input never raises: each problem becomes a `rejected` row with one of the reasons
`unsupported_format`, `too_large`, `empty`, `undecodable`, `invalid_json`,
`invalid_front_matter`, `no_text`, `no_article_body` (a page in which the extractor found no
article text), `too_short`, `unreadable` (I/O error) or `parse_error`
(anything unexpected, so one odd file cannot stop the nightly run). `size_bytes` is the size of
the rejected unit: the file, or the line of a JSONL file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import frontmatter
import polars as pl

from pipelines.ingest.cleaning import TextFormat, clean_body, clean_inline
from pipelines.ingest.dateline import find_dateline
from pipelines.ingest.language import detect_language
from pipelines.ingest.metadata import (
    article_id,
    canonical_url,
    find_urls,
    infer_published,
    language_code,
    markdown_title,
    parse_timestamp,
    title_from_first_line,
    url_domain,
)
from pipelines.ingest.pages import decode_html, read_page

ARTICLE_SCHEMA = pl.Schema({
    "article_id": pl.String,
    "source_uri": pl.String,
    "external_id": pl.String,
    "title": pl.String,
    "published_date": pl.Date,
    "published_precision": pl.String,
    "language": pl.String,
    "body": pl.String,
    "ingested_at": pl.Datetime("us"),
    "dateline_place": pl.String,
    "dateline_agency": pl.String,
    "url": pl.String,
    "canonical_url": pl.String,
    "version": pl.Int64,
    "outlet": pl.String,
    "author": pl.String,
    "fetched_at": pl.Datetime("us"),
})
REJECTED_SCHEMA = pl.Schema({
    "source_uri": pl.String,
    "reason": pl.String,
    "detail": pl.String,
    "size_bytes": pl.Int64,
    "detected_at": pl.Datetime("us"),
})

# File suffix (lower case) -> how the file is parsed.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
    ".htm": "html", ".json": "json", ".jsonl": "jsonl",
}
MAX_FILE_BYTES = 20 * 1024 * 1024
# Shorter bodies are captions, paywall stubs or error pages, not reports.
MIN_BODY_CHARS = 40

# Record keys (compared lower-cased), in order of preference.
ID_KEYS = ("id",)
TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link", "source_url")
DATE_KEYS = ("published", "date", "published_at", "publication_date", "pubdate")
TEXT_KEYS = ("text", "body", "content", "article")
OUTLET_KEYS = ("outlet",)
AUTHOR_KEYS = ("author",)
LANGUAGE_KEYS = ("language", "lang")
# A page's sidecar: `<page file name>` + this suffix, in the same folder.
SIDECAR_SUFFIX = ".meta.json"
# source_uri prefix of the pages read from the fetch folder.
FETCHED_PREFIX = "fetched/"


@dataclass(frozen=True)
class IngestResult:
    """Loaded articles, rejected inputs, and how many duplicate articles were dropped."""

    articles: pl.DataFrame
    rejected: pl.DataFrame
    duplicates: int = 0


@dataclass(frozen=True)
class _Record:
    """One article as found in its file, before cleaning."""

    source_uri: str
    external_id: str
    relative_path: str
    raw: str
    fmt: TextFormat
    size_bytes: int
    title: str | None = None
    dates: tuple[object, ...] = ()
    urls: tuple[str, ...] = ()
    # The URL the article was read from, and the one its publisher calls canonical.
    url: str | None = None
    canonical: str | None = None
    outlet: str | None = None
    author: str | None = None
    language: str | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True)
class _Rejection:
    source_uri: str
    reason: str
    detail: str
    size_bytes: int | None


@dataclass
class _Collected:
    records: list[_Record] = field(default_factory=list)
    rejections: list[_Rejection] = field(default_factory=list)


class _Reject(Exception):
    """Raised inside the per-file parsers to turn the whole file into one rejected row."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def read_articles(root: Path, now: datetime, fetched_pages: Path | None = None) -> IngestResult:
    """Read, clean and deduplicate every article file under `root` (and `fetched_pages`).

    `now` stamps `ingested_at`/`detected_at` and bounds publication dates (later ones are
    ignored); an aware datetime is converted to naive UTC. Raises NotADirectoryError only when
    `root` itself is missing: an empty warehouse from a mistyped path would be worse. A missing
    `fetched_pages` is only a fetch step that has not run yet.
    """
    root = Path(root)
    if not root.is_dir():
        raise NotADirectoryError(f"article folder {root} does not exist")
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)

    folders = [(root, "")]
    if fetched_pages is not None and Path(fetched_pages).is_dir():
        folders.append((Path(fetched_pages), FETCHED_PREFIX))
    rows: list[dict[str, object]] = []
    rejections: list[_Rejection] = []
    for folder, prefix in folders:
        for path, relative in _iter_files(folder):
            if is_sidecar(path):
                continue
            collected = _read_file(path, prefix + relative)
            rejections.extend(collected.rejections)
            for record in collected.records:
                outcome = _to_article(record, now)
                if isinstance(outcome, _Rejection):
                    rejections.append(outcome)
                else:
                    rows.append(outcome)

    loaded = pl.DataFrame(rows, schema=ARTICLE_SCHEMA)
    # Of copies of one text, a saved file wins, then the earliest fetch, then the smallest name.
    articles = _number_versions(
        loaded.sort("fetched_at", "source_uri", nulls_last=False)
        .unique(subset="article_id", keep="first", maintain_order=True).sort("source_uri"))
    rejected = pl.DataFrame(
        [
            {"source_uri": r.source_uri, "reason": r.reason, "detail": r.detail,
             "size_bytes": r.size_bytes, "detected_at": now}
            for r in rejections
        ],
        schema=REJECTED_SCHEMA,
    ).sort("source_uri", "reason")
    return IngestResult(
        articles=articles, rejected=rejected, duplicates=loaded.height - articles.height
    )


def _iter_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, path relative to root in '/' form) of every non-hidden file, sorted."""
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        # Pruning in place keeps os.walk out of .git, .cache and the like.
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                path = Path(dirpath) / name
                found.append((path.relative_to(root).as_posix(), path))
    for relative, path in sorted(found):
        yield path, relative


def decode_bytes(data: bytes) -> str | None:
    """Decode as UTF-8 (a BOM is dropped), else cp1252; None when neither works.

    `utf-8-sig` decodes plain UTF-8 too, so one attempt covers "UTF-8, then UTF-8 with BOM".
    Text with NUL characters is treated as undecodable: it is a binary file with a text suffix.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def _read_file(path: Path, relative: str) -> _Collected:
    """Records and rejections of one file; never raises."""
    collected = _Collected()
    size: int | None = None
    try:
        size = path.stat().st_size
        kind = SUPPORTED_SUFFIXES.get(path.suffix.lower())
        if kind is None:
            raise _Reject("unsupported_format", f"suffix {path.suffix or '(none)'!r}")
        if size > MAX_FILE_BYTES:
            raise _Reject("too_large", f"{size} bytes > limit {MAX_FILE_BYTES}")
        data = path.read_bytes()
        if not data.strip():
            raise _Reject("empty", "file is empty or only whitespace")
        if kind == "html":
            collected.records.append(_page_record(data, path, relative, size))
            return collected
        text = decode_bytes(data)
        if text is None:
            raise _Reject("undecodable", "not UTF-8 or cp1252 text")
        if not text.strip():
            raise _Reject("empty", "file is only whitespace")
        if kind == "jsonl":
            _read_jsonl(text, path, relative, collected)
        elif kind == "json":
            _read_json(text, path, relative, size, collected)
        else:
            collected.records.append(_text_record(text, kind, path, relative, size))
    except _Reject as problem:
        collected.rejections.append(_Rejection(relative, problem.reason, problem.detail, size))
    except OSError as error:
        collected.rejections.append(
            _Rejection(relative, "unreadable", f"{type(error).__name__}: {error}", size))
    except Exception as error:  # one odd file must not stop the run
        collected.rejections.append(
            _Rejection(relative, "parse_error", f"{type(error).__name__}: {error}", size))
    return collected


def is_sidecar(path: Path) -> bool:
    """True for `<page>.meta.json` when `<page>` exists beside it: metadata, not an article."""
    name = path.name
    return (name.lower().endswith(SIDECAR_SUFFIX)
            and path.with_name(name[: -len(SIDECAR_SUFFIX)]).is_file())


def read_sidecar(page: Path) -> dict[str, object]:
    """The sidecar of `page` with lower-cased keys, or {} when there is none.

    A sidecar that cannot be read as a JSON object rejects its page: silently dropping the URL
    and outlet a user or the fetch step wrote down would be worse.
    """
    sidecar = page.with_name(page.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _Reject("invalid_json", f"sidecar {sidecar.name}: {error}") from error
    if not isinstance(data, dict):
        raise _Reject("invalid_json", f"sidecar {sidecar.name}: expected an object")
    return _lower_keys(data)


def _page_record(data: bytes, path: Path, relative: str, size: int) -> _Record:
    """A saved or fetched HTML page: trafilatura's article text, the sidecar's metadata first."""
    fields = read_sidecar(path)
    markup = decode_html(data, _first_string(fields, ("charset",)))
    if markup is None:
        raise _Reject("undecodable", "binary data in an HTML file")
    url = _first_string(fields, URL_KEYS)
    page = read_page(markup, url=url)
    if not page.text:
        raise _Reject("no_article_body",
                      f"the extractor found no article text in {len(markup)} characters of HTML")
    return _Record(
        source_uri=relative, external_id=_record_id(fields) or path.stem, relative_path=relative,
        raw=page.text, fmt="page", size_bytes=size,
        title=_first_string(fields, TITLE_KEYS) or page.title,
        dates=_values(fields, DATE_KEYS) + ((page.published,) if page.published else ()),
        urls=tuple(u for u in (url, page.url) if u),
        url=url or page.url,
        canonical=page.url or _first_string(fields, ("canonical_url",)) or url,
        outlet=_first_string(fields, OUTLET_KEYS) or page.sitename,
        author=_first_string(fields, AUTHOR_KEYS) or page.author,
        language=_first_string(fields, LANGUAGE_KEYS),
        fetched_at=parse_timestamp(fields.get("fetched_at")),
    )


def _text_record(text: str, kind: str, path: Path, relative: str, size: int) -> _Record:
    """A .txt or .md file as one record, with the metadata its front matter carries."""
    common = {"source_uri": relative, "external_id": path.stem, "relative_path": relative,
              "size_bytes": size}
    if kind == "markdown":
        try:
            post = frontmatter.loads(text)
        except Exception as error:  # YAML errors come in many classes
            raise _Reject("invalid_front_matter", f"{type(error).__name__}: {error}") from error
        fields = _lower_keys(post.metadata)
        title = _first_string(fields, TITLE_KEYS) or markdown_title(post.content)
        url = _first_string(fields, URL_KEYS)
        return _Record(raw=post.content, fmt="markdown", title=title,
                       dates=_values(fields, DATE_KEYS),
                       urls=((url,) if url else ()) + tuple(find_urls(post.content)),
                       url=url, outlet=_first_string(fields, OUTLET_KEYS),
                       author=_first_string(fields, AUTHOR_KEYS),
                       language=_first_string(fields, LANGUAGE_KEYS), **common)
    return _Record(raw=text, fmt="text", urls=tuple(find_urls(text)), **common)


def _read_json(text: str, path: Path, relative: str, size: int, out: _Collected) -> None:
    """A .json file: one object, or a list of objects named `file.json#<id>`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Reject("invalid_json", _json_error(error)) from error
    if isinstance(data, dict):
        items, is_list = [data], False
    elif isinstance(data, list):
        items, is_list = data, True
        if not items:
            raise _Reject("empty", "JSON list holds no records")
    else:
        raise _Reject("invalid_json", f"expected an object or a list, got {type(data).__name__}")

    used: set[str] = set()
    for number, item in enumerate(items, start=1):
        fallback = f"{relative}#item-{number}"
        if not isinstance(item, dict):
            out.rejections.append(_Rejection(
                fallback, "invalid_json", f"item {number}: expected an object, "
                f"got {type(item).__name__}", size))
            continue
        uri = _record_uri(relative, item, fallback, used) if is_list else relative
        _add_json_record(item, uri, path, relative, size, out)


def _read_jsonl(text: str, path: Path, relative: str, out: _Collected) -> None:
    """A .jsonl file: each line is parsed alone, so one bad line rejects only itself."""
    used: set[str] = set()
    any_line = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        any_line = True
        fallback = f"{relative}#line-{number}"
        size = len(line.encode("utf-8"))
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            out.rejections.append(_Rejection(
                fallback, "invalid_json", f"line {number}: {_json_error(error)}", size))
            continue
        if not isinstance(item, dict):
            out.rejections.append(_Rejection(
                fallback, "invalid_json",
                f"line {number}: expected an object, got {type(item).__name__}", size))
            continue
        uri = _record_uri(relative, item, fallback, used)
        _add_json_record(item, uri, path, relative, size, out)
    if not any_line:
        raise _Reject("empty", "JSONL file holds no lines")


def _add_json_record(
    item: dict, uri: str, path: Path, relative: str, size: int, out: _Collected
) -> None:
    fields = _lower_keys(item)
    text_key, raw = _first_text(fields)
    if raw is None:
        detail = (f"field {text_key!r} is empty" if text_key
                  else f"no {'/'.join(TEXT_KEYS)} field")
        out.rejections.append(_Rejection(uri, "no_text", detail, size))
        return
    url = _first_string(fields, URL_KEYS)
    out.records.append(_Record(
        source_uri=uri,
        external_id=_record_id(fields) or path.stem,
        relative_path=relative,
        raw=raw,
        # clean_body() spots HTML inside the text itself; Markdown links/images always go.
        fmt="text",
        size_bytes=size,
        title=_first_string(fields, TITLE_KEYS),
        dates=_values(fields, DATE_KEYS),
        urls=((url,) if url else ()) + tuple(find_urls(raw)),
        url=url,
        outlet=_first_string(fields, OUTLET_KEYS),
        author=_first_string(fields, AUTHOR_KEYS),
        language=_first_string(fields, LANGUAGE_KEYS),
    ))


def _to_article(record: _Record, now: datetime) -> dict[str, object] | _Rejection:
    """Clean a record and derive its metadata, or reject it when too little text is left."""
    try:
        body = clean_body(record.raw, record.fmt)
        if len(body) < MIN_BODY_CHARS:
            return _Rejection(record.source_uri, "too_short",
                              f"{len(body)} characters after cleaning (minimum "
                              f"{MIN_BODY_CHARS})", record.size_bytes)
        title = clean_inline(record.title) if record.title else None
        published, precision = infer_published(
            record.dates, record.urls, record.relative_path, now)
    except Exception as error:  # one odd record must not stop the run
        return _Rejection(record.source_uri, "parse_error",
                          f"{type(error).__name__}: {error}", record.size_bytes)
    dateline = find_dateline(body)
    return {
        "article_id": article_id(body),
        "source_uri": record.source_uri,
        "external_id": record.external_id,
        "title": title or title_from_first_line(body),
        "published_date": published,
        "published_precision": precision,
        "language": language_code(record.language) or detect_language(body),
        "body": body,
        "ingested_at": now,
        "dateline_place": dateline.place if dateline else None,
        "dateline_agency": dateline.agency if dateline else None,
        "url": record.url,
        "canonical_url": canonical_url(record.canonical or record.url),
        "version": None,
        "outlet": record.outlet or url_domain(record.url),
        "author": clean_inline(record.author) if record.author else None,
        "fetched_at": record.fetched_at,
    }


def _number_versions(articles: pl.DataFrame) -> pl.DataFrame:
    """`version` 1, 2, ... among articles sharing a canonical URL (by fetched_at, saved files
    first, then source_uri); 1 for an article without one. Row order is kept."""
    ordered = articles.with_row_index("_row").sort(
        "canonical_url", "fetched_at", "source_uri", nulls_last=False)
    numbered = ordered.with_columns(
        pl.when(pl.col("canonical_url").is_null()).then(1)
        .otherwise(pl.int_range(1, pl.len() + 1).over("canonical_url"))
        .cast(pl.Int64).alias("version"))
    return numbered.sort("_row").drop("_row").select(ARTICLE_SCHEMA.names())


def _json_error(error: json.JSONDecodeError) -> str:
    return f"{error.msg} (line {error.lineno}, column {error.colno})"


def _lower_keys(mapping: dict) -> dict[str, object]:
    """Keys lower-cased (first spelling wins), so 'Title' and 'pubDate' match."""
    lowered: dict[str, object] = {}
    for key, value in mapping.items():
        lowered.setdefault(str(key).lower(), value)
    return lowered


def _values(fields: dict[str, object], keys: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(fields[key] for key in keys if fields.get(key) not in (None, ""))


def _first_string(fields: dict[str, object], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _first_text(fields: dict[str, object]) -> tuple[str | None, str | None]:
    """(key, text) of the first usable text field; a list of strings is joined as paragraphs.

    Returns (key, None) when a text field exists but is empty, (None, None) when none exists.
    """
    present = None
    for key in TEXT_KEYS:
        if key not in fields:
            continue
        present = present or key
        value = fields[key]
        if isinstance(value, list):
            value = "\n".join(part for part in value if isinstance(part, str))
        if isinstance(value, str) and value.strip():
            return key, value
    return present, None


def _record_id(fields: dict[str, object]) -> str | None:
    for key in ID_KEYS:
        value = fields.get(key)
        if value is not None and not isinstance(value, dict | list) and str(value).strip():
            return str(value).strip()
    return None


def _record_uri(relative: str, item: dict, fallback: str, used: set[str]) -> str:
    """`file#<id>`, or the positional fallback when there is no id or it repeats in the file."""
    record_id = _record_id(_lower_keys(item))
    uri = f"{relative}#{record_id}" if record_id else fallback
    if uri in used:
        uri = fallback
    used.add(uri)
    return uri
