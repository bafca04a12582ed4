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

Nothing outside `root` is read. A symbolic link is followed only when it resolves inside
`root` (it is rejected as `outside_folder` otherwise, its target never opened); FIFOs, sockets
and device files are rejected as `not_a_regular_file` without being opened; files are opened
without following a link swapped in meanwhile, and checked to be the file that was inspected.

Size: one article may hold at most `max_record_bytes` (MAX_RECORD_BYTES, 20 MiB): a text
file, a JSONL line, or an item of a JSON list. JSON and JSONL files of any size are streamed
record by record (`ijson` for a JSON list larger than the limit), so memory stays bounded and
one oversized or broken record is rejected alone. A syntax error inside a large JSON list ends
it: the items before it are kept, the rest is rejected in one row (JSONL has no such limit:
each line stands alone).

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
article text), `too_short`, `outside_folder`, `not_a_regular_file`,
`unreadable` (I/O or permission error, broken link) or `parse_error` (anything unexpected, so
one odd file cannot stop the nightly run). `size_bytes` is the size of the rejected unit: the
file, the line of a JSONL file, or (about) the item of a large JSON list.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import frontmatter
import polars as pl

from pipelines import settings
from pipelines.extract.publication import ingest_publication
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


class _Reject(Exception):
    """Raised inside the per-file parsers to turn the whole file into one rejected row."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def read_articles(root: Path, now: datetime, fetched_pages: Path | None = None,
                  max_record_bytes: int | None = None,
                  only: Collection[str] | None = None) -> IngestResult:
    """Read, clean and deduplicate every article file under `root` (and `fetched_pages`).

    `now` stamps `ingested_at`/`detected_at` and bounds publication dates (later ones are
    ignored); an aware datetime is converted to naive UTC. `max_record_bytes` defaults to
    MAX_RECORD_BYTES. Raises NotADirectoryError only when `root` itself is missing: an empty
    warehouse from a mistyped path would be worse. A missing `fetched_pages` is only a fetch
    step that has not run yet. `only` restricts the reading to those files (`source_uri`s of
    files, e.g. one partition of a partitioned extraction).
    """
    root = Path(root)
    if not root.is_dir():
        raise NotADirectoryError(f"article folder {root} does not exist")
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)
    limit = max_record_bytes or settings.max_record_bytes()

    folders = _folders(root, fetched_pages)
    rows: list[dict[str, object]] = []
    rejections: list[_Rejection] = []
    for folder, prefix in folders:
        found: list[_Rejection] = []
        for path, relative in _iter_files(folder, found):
            if is_sidecar(path) or (only is not None and prefix + relative not in only):
                continue
            for item in _read_file(path, prefix + relative, folder.resolve(), limit):
                outcome = item if isinstance(item, _Rejection) else _to_article(item, now)
                if isinstance(outcome, _Rejection):
                    rejections.append(outcome)
                else:
                    rows.append(outcome)
        rejections += [_Rejection(prefix + r.source_uri, r.reason, r.detail, r.size_bytes)
                       for r in found]

    loaded = pl.DataFrame(rows, schema=ARTICLE_SCHEMA)
    articles = _deduplicated(loaded)
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


def input_fingerprints(root: Path, fetched_pages: Path | None = None) -> dict[str, str]:
    """What ingest would read, without reading it: for every file its size, modification time
    and inode, by source path (and the folders and links it would reject). Equal fingerprints
    between two runs mean the same files with the same contents (as far as `stat` tells)."""
    found: dict[str, str] = {}
    for folder, prefix in _folders(root, fetched_pages):
        rejected: list[_Rejection] = []
        for path, relative in _iter_files(folder, rejected):
            try:
                info = path.stat()
            except OSError as error:
                found[prefix + relative] = f"unreadable {error.errno}"
                continue
            found[prefix + relative] = f"{info.st_size} {info.st_mtime_ns} {info.st_ino}"
        for rejection in rejected:
            found[prefix + rejection.source_uri] = f"rejected {rejection.reason}"
    return found


def merge(previous: IngestResult, added: IngestResult, files: Collection[str]) -> IngestResult:
    """`previous` (what the folder gave before) plus `added` (read from the new `files` only),
    deduplicated and numbered as if the whole folder had been read: a copy of an article in a
    new file wins over a previous one by the same rule (saved file, earliest fetch, smallest
    name), and versions are numbered again over both."""
    files = set(files)
    in_new = pl.col("source_uri").str.split("#").list.first().is_in(files)
    loaded = pl.concat([previous.articles.select(ARTICLE_SCHEMA.names()).cast(ARTICLE_SCHEMA),
                        added.articles])
    articles = _deduplicated(loaded)
    rejected = pl.concat([
        previous.rejected.select(REJECTED_SCHEMA.names()).cast(REJECTED_SCHEMA).filter(~in_new),
        added.rejected.filter(in_new),
    ]).sort("source_uri", "reason")
    return IngestResult(articles=articles, rejected=rejected,
                        duplicates=previous.duplicates + added.duplicates
                        + loaded.height - articles.height)


def _deduplicated(loaded: pl.DataFrame) -> pl.DataFrame:
    # Of copies of one text, a saved file wins, then the earliest fetch, then the smallest name.
    return _number_versions(
        loaded.sort("fetched_at", "source_uri", nulls_last=False)
        .unique(subset="article_id", keep="first", maintain_order=True).sort("source_uri"))


def _folders(root: Path, fetched_pages: Path | None) -> list[tuple[Path, str]]:
    folders = [(root, "")]
    if fetched_pages is not None and Path(fetched_pages).is_dir():
        folders.append((Path(fetched_pages), FETCHED_PREFIX))
    return folders


def _iter_files(root: Path, rejections: list[_Rejection]) -> Iterator[tuple[Path, str]]:
    """(path, path relative to root in '/' form) of every non-hidden entry that is not a
    folder, sorted. Links to folders are not followed; one leading outside `root` and a
    folder that cannot be listed are rejected."""
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []

    def unlisted(error: OSError) -> None:
        relative = Path(error.filename).relative_to(root).as_posix()
        rejections.append(_Rejection(relative, "unreadable",
                                     f"folder cannot be listed: {error.strerror}", None))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted):
        # Pruning in place keeps os.walk out of .git, .cache and the like.
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in dirnames:
            path = Path(dirpath) / name
            if path.is_symlink() and not _inside(path, real_root):
                relative = path.relative_to(root).as_posix()
                rejections.append(_Rejection(relative, "outside_folder",
                                             _outside_detail(path), None))
        for name in filenames:
            if not name.startswith("."):
                path = Path(dirpath) / name
                found.append((path.relative_to(root).as_posix(), path))
    for relative, path in sorted(found):
        yield path, relative


def _inside(path: Path, real_root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(real_root)


def _outside_detail(path: Path) -> str:
    return f"symbolic link to {os.path.realpath(path)}, outside the article folder (not read)"


_SPECIAL_FILES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                  (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                  (stat.S_ISDIR, "a folder"))


def _open_contained(path: Path, real_root: Path) -> tuple[BinaryIO, int]:
    """Open a regular file that lies inside `real_root` (following a link only to there);
    (binary handle, size). Raises _Reject for anything else."""
    target = path
    if path.is_symlink():
        if not _inside(path, real_root):
            raise _Reject("outside_folder", _outside_detail(path))
        target = Path(os.path.realpath(path))
    try:
        inspected = os.stat(target, follow_symlinks=False)
    except FileNotFoundError as error:
        raise _Reject("unreadable", "broken symbolic link") from error
    for is_kind, name in _SPECIAL_FILES:
        if is_kind(inspected.st_mode):
            raise _Reject("not_a_regular_file", f"{name}, not a file (not read)")
    # O_NOFOLLOW and O_NONBLOCK: a link or a FIFO swapped in since the check is neither
    # followed nor waited on; fstat then proves the open file is the one inspected.
    fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
            inspected.st_dev, inspected.st_ino):
        os.close(fd)
        raise _Reject("unreadable", "file was replaced while being read")
    return os.fdopen(fd, "rb"), opened.st_size


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


def _read_file(path: Path, relative: str, real_root: Path, limit: int
               ) -> Iterator[_Record | _Rejection]:
    """Records and rejections of one file, as they are read; never raises."""
    size: int | None = None
    try:
        handle, size = _open_contained(path, real_root)
        with handle:
            kind = SUPPORTED_SUFFIXES.get(path.suffix.lower())
            if kind is None:
                raise _Reject("unsupported_format", f"suffix {path.suffix or '(none)'!r}")
            if kind == "html":
                if size > limit:
                    raise _Reject("too_large", f"{size} bytes > limit {limit}")
                data = handle.read(limit + 1)
                if not data.strip():
                    raise _Reject("empty", "file is empty or only whitespace")
                yield _page_record(data, path, relative, size)
            elif kind == "jsonl":
                yield from _read_jsonl(handle, path, relative, limit)
            elif kind == "json" and size > limit:
                yield from _stream_json(handle, path, relative, limit)
            else:
                if size > limit:
                    raise _Reject("too_large", f"{size} bytes > limit {limit}")
                text = _whole_text(handle.read(limit + 1), limit)
                if kind == "json":
                    yield from _read_json(text, path, relative, size)
                else:
                    yield _text_record(text, kind, path, relative, size)
    except _Reject as problem:
        yield _Rejection(relative, problem.reason, problem.detail, size)
    except OSError as error:
        yield _Rejection(relative, "unreadable", f"{type(error).__name__}: {error.strerror or error}",
                         size)
    except Exception as error:  # one odd file must not stop the run
        yield _Rejection(relative, "parse_error", f"{type(error).__name__}: {error}", size)


def _whole_text(data: bytes, limit: int) -> str:
    """The text of a file read whole (at most `limit` bytes, plus one to notice growth)."""
    if len(data) > limit:
        raise _Reject("too_large", f"more than {limit} bytes (the file grew while read)")
    if not data.strip():
        raise _Reject("empty", "file is empty or only whitespace")
    text = decode_bytes(data)
    if text is None:
        raise _Reject("undecodable", "not UTF-8 or cp1252 text")
    if not text.strip():
        raise _Reject("empty", "file is only whitespace")
    return text


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
            metadata, content = read_front_matter(text)
        except InvalidFrontMatter as error:
            raise _Reject("invalid_front_matter", str(error)) from error
        fields = _lower_keys(metadata)
        title = _first_string(fields, TITLE_KEYS) or markdown_title(content)
        url = _first_string(fields, URL_KEYS)
        return _Record(raw=content, fmt="markdown", title=title,
                       dates=_values(fields, DATE_KEYS),
                       urls=((url,) if url else ()) + tuple(find_urls(content)),
                       url=url, outlet=_first_string(fields, OUTLET_KEYS),
                       author=_first_string(fields, AUTHOR_KEYS),
                       language=_first_string(fields, LANGUAGE_KEYS), **common)
    return _Record(raw=text, fmt="text", urls=tuple(find_urls(text)), **common)


class InvalidFrontMatter(ValueError):
    """Front matter neither YAML nor plain `key: value` lines."""


# `key: value` on one line, the value a plain word or phrase (no YAML quote, list, mapping,
# block or tag indicator at its start).
_PLAIN_FIELD = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]+([^\s\[\]{}\"'|>&*!%@`#].*?)[ \t]*")


def read_front_matter(text: str) -> tuple[dict, str]:
    """(metadata, content) of a Markdown file. Front matter written by hand or exported by a
    CMS is often not valid YAML only because a value holds a colon (`title: Haiti: gangs
    attack Delmas`); when every line of the block is such a `key: value`, the values are read
    as plain text. Anything else YAML rejects raises InvalidFrontMatter with YAML's message
    (ingest quarantines the file)."""
    try:
        post = frontmatter.loads(text)
        return post.metadata, post.content
    except Exception as error:  # YAML errors come in many classes
        block, content = frontmatter.YAMLHandler().split(text)
        lines = [line for line in block.splitlines() if line.strip()]
        fields = [_PLAIN_FIELD.fullmatch(line) for line in lines]
        if not lines or not all(fields):
            raise InvalidFrontMatter(f"{type(error).__name__}: {error}") from error
        return {match[1]: match[2] for match in fields}, content.strip()


def _read_json(text: str, path: Path, relative: str, size: int
               ) -> Iterator[_Record | _Rejection]:
    """A .json file read whole: one object, or a list of objects named `file.json#<id>`."""
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
            yield _Rejection(fallback, "invalid_json",
                             f"item {number}: expected an object, got {type(item).__name__}", size)
            continue
        uri = _record_uri(relative, item, fallback, used) if is_list else relative
        yield _json_record(item, uri, path, relative, size)


# Bytes counted for a JSON token beside its text (quotes, separators, whitespace).
_TOKEN_OVERHEAD = 4


def _stream_json(handle: BinaryIO, path: Path, relative: str, limit: int
                 ) -> Iterator[_Record | _Rejection]:
    """A .json file larger than `limit`: a list streamed item by item with ijson, each item
    built only while it stays under `limit` (counted as the text of its keys and values)."""
    import ijson
    from ijson.common import ObjectBuilder

    if handle.read(3) != b"\xef\xbb\xbf":  # yajl does not take a byte order mark
        handle.seek(0)
    events = ijson.basic_parse(handle, use_float=True)
    used: set[str] = set()
    number, in_item = 0, False
    try:
        first = next(events, None)
        if first is None:
            raise _Reject("empty", "file is only whitespace")
        if first[0] == "start_map":
            raise _Reject("too_large", f"one JSON object larger than the limit {limit} bytes")
        if first[0] != "start_array":
            raise _Reject("invalid_json", f"expected an object or a list, got {first[0]}")
        for event, value in events:
            if event == "end_array":  # the end of the top-level list
                break
            number, in_item = number + 1, True
            fallback = f"{relative}#item-{number}"
            if event != "start_map":
                _skip_value(events, event)
                in_item = False
                yield _Rejection(fallback, "invalid_json",
                                 f"item {number}: expected an object, got {event}", None)
                continue
            builder: ObjectBuilder | None = ObjectBuilder()
            builder.event(event, value)
            depth, size = 1, _TOKEN_OVERHEAD
            while depth:
                event, value = next(events)
                depth += event in ("start_map", "start_array")
                depth -= event in ("end_map", "end_array")
                size += _TOKEN_OVERHEAD + (len(value) if isinstance(value, str) else 0)
                if builder is not None:
                    builder.event(event, value)
                    if size > limit:
                        builder = None  # drop what was built; read on to the item's end
            in_item = False
            if builder is None:
                yield _Rejection(fallback, "too_large",
                                 f"item {number}: more than {limit} bytes", size)
                continue
            item = builder.value
            yield _json_record(item, _record_uri(relative, item, fallback, used), path,
                               relative, size)
        if number == 0:
            raise _Reject("empty", "JSON list holds no records")
    except ijson.JSONError as error:
        broken = number if in_item else number + 1
        yield _Rejection(f"{relative}#item-{broken}", "invalid_json",
                         f"item {broken}: {_first_line(error)}; the rest of the list cannot be "
                         "read", None)


def _first_line(error: Exception) -> str:
    """yajl's message without the excerpt it quotes (sometimes given as bytes)."""
    message = error.args[0] if error.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    lines = str(message).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _skip_value(events: Iterator[tuple[str, object]], event: str) -> None:
    """Consume the rest of a value that started with `event`."""
    depth = event in ("start_map", "start_array")
    while depth:
        event, _ = next(events)
        depth += event in ("start_map", "start_array")
        depth -= event in ("end_map", "end_array")


def _read_jsonl(handle: BinaryIO, path: Path, relative: str, limit: int
                ) -> Iterator[_Record | _Rejection]:
    """A .jsonl file, line by line: each line is parsed alone, so one bad or oversized line
    rejects only itself, and no more than `limit` bytes of a line are ever held."""
    used: set[str] = set()
    any_line = False
    for number, raw, size in _lines(handle, limit):
        fallback = f"{relative}#line-{number}"
        if raw is None:
            any_line = True
            yield _Rejection(fallback, "too_large", f"line {number}: {size} bytes > limit {limit}",
                             size)
            continue
        line = decode_bytes(raw)
        if line is None:
            any_line = True
            yield _Rejection(fallback, "undecodable", f"line {number}: not UTF-8 or cp1252 text",
                             size)
            continue
        if not line.strip():
            continue
        any_line = True
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield _Rejection(fallback, "invalid_json", f"line {number}: {_json_error(error)}", size)
            continue
        if not isinstance(item, dict):
            yield _Rejection(fallback, "invalid_json",
                             f"line {number}: expected an object, got {type(item).__name__}", size)
            continue
        uri = _record_uri(relative, item, fallback, used)
        yield _json_record(item, uri, path, relative, size)
    if not any_line:
        raise _Reject("empty", "JSONL file holds no lines")


def _lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, line without its newline or None when longer than `limit`, its size)."""
    number = 0
    while raw := handle.readline(limit + 2):
        number += 1
        ended = raw.endswith(b"\n")
        content = raw.removesuffix(b"\n")
        if len(content) <= limit:
            yield number, content, len(content)
            continue
        size = len(content)
        while not ended:  # too long: count the rest of the line, keep none of it
            chunk = handle.readline(1024 * 1024)
            if not chunk:
                break
            ended = chunk.endswith(b"\n")
            size += len(chunk) - ended
        yield number, None, size


def _json_record(item: dict, uri: str, path: Path, relative: str, size: int | None
                 ) -> _Record | _Rejection:
    fields = _lower_keys(item)
    text_key, raw = _first_text(fields)
    if raw is None:
        detail = (f"field {text_key!r} is empty" if text_key
                  else f"no {'/'.join(TEXT_KEYS)} field")
        return _Rejection(uri, "no_text", detail, size)
    url = _first_string(fields, URL_KEYS)
    return _Record(
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
    )


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
        language = language_code(record.language) or detect_language(body)
        # The metadata gave no day: the article's own dateline or byline may ('KANO, Nigeria,
        # June 3 (Reuters) -', 'Outlet | Section | 9 November 2026').
        published, precision = ingest_publication(body, language, published, precision,
                                                  now.date())
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
        "language": language,
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
