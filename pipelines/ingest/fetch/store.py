"""The fetch step's raw zone: pages as files, an append-only request log, feed validators.

    FETCH_DIR/
      pages/<host>/<url key>-<content hash>.html    the page as served (bytes untouched)
      pages/<host>/<...>.html.meta.json             its sidecar: url, canonical_url, outlet, ...
      fetch_log.jsonl                                one line per request or refusal, ever
      feeds_state.json                               ETag / Last-Modified per feed URL

Ingest reads `pages/` like a user's folder (the sidecar gives each article its URL, outlet,
title and date), so a better extractor can be re-run over every page ever fetched. The log is
the memory of the fetch step: which URLs were fetched (by canonical URL) and with which
content, which failed and why. Both are published as tables by the pipeline.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl

from pipelines.ingest.metadata import parse_timestamp
from pipelines.ingest.readers import SIDECAR_SUFFIX

LOG_FILE = "fetch_log.jsonl"
STATE_FILE = "feeds_state.json"
PAGES = "pages"


class RawZone:
    """The files under FETCH_DIR (created on first write)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.pages = self.root / PAGES

    def log_rows(self) -> list[dict]:
        """Every row of the fetch log, oldest first (a torn last line is skipped)."""
        path = self.root / LOG_FILE
        if not path.is_file():
            return []
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict):
                rows.append(row)
        return rows

    def append_log(self, rows: Iterable[Mapping]) -> None:
        lines = "".join(json.dumps(dict(row), ensure_ascii=False, sort_keys=True) + "\n"
                        for row in rows)
        if lines:
            self.root.mkdir(parents=True, exist_ok=True)
            with (self.root / LOG_FILE).open("a", encoding="utf-8") as handle:
                handle.write(lines)

    def feed_state(self) -> dict[str, dict[str, str]]:
        path = self.root / STATE_FILE
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return {}
        return data if isinstance(data, dict) else {}

    def save_feed_state(self, state: Mapping[str, Mapping[str, str]]) -> None:
        _write_atomic(self.root / STATE_FILE,
                      json.dumps(state, indent=1, sort_keys=True).encode("utf-8"))

    def write_page(self, key: str, body: bytes, sidecar: Mapping) -> str:
        """Store a page and its sidecar; returns the page's path relative to `pages/`.

        The name is made of the canonical URL's hash and the content's, so the same version
        written twice lands on the same file and a new version beside it.
        """
        host = (urlsplit(key).netloc or "unknown-host").lower().replace(":", "_")
        name = f"{_digest(key.encode('utf-8'))[:16]}-{_digest(body)[:10]}.html"
        path = self.pages / host / name
        _write_atomic(path, body)
        _write_atomic(path.with_name(name + SIDECAR_SUFFIX), json.dumps(
            dict(sidecar), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
        return f"{host}/{name}"


def log_frame(rows: Iterable[Mapping]) -> pl.DataFrame:
    """The fetch log as the `fetch_log` table (contract columns and types)."""
    from pipelines.contract import TABLES, conform

    schema = TABLES["fetch_log"]
    frame = pl.DataFrame([{name: row.get(name) for name in schema if name != "fetched_at"}
                          | {"fetched_at": parse_timestamp(row.get("fetched_at"))} for row in rows],
                         schema=schema)
    return conform("fetch_log", frame)


def content_hash(body: bytes) -> str:
    return _digest(body)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
