"""One fetch run: poll every enabled feed, fetch the pages not fetched before, log everything.

For each feed (in file order):

1. GET it with the validators saved last time (ETag / Last-Modified); 304 means nothing new.
2. Parse it (RSS, Atom, sitemap; a sitemap index brings its `max_sitemaps` newest children).
3. For each entry, newest first, decide by canonical URL (`metadata.canonical_url` of the entry
   URL, the final URL after redirects and the page's declared canonical URL, all remembered):
   - never seen: fetch it;
   - fetched before and the entry's `updated` is later than when it was fetched: fetch it again
     (conditionally); a different content is kept as a new version of the article, the same
     content is logged `unchanged`;
   - fetched before otherwise: skip, without a request;
   - failed before: retried on later runs for transient reasons (`TRANSIENT`, at most
     `MAX_ATTEMPTS` requests in all), never for the others (404, too large, not HTML, ...).
   At most `max_pages` pages per feed per run; the rest wait for the next run.
4. Save the feed's validators only when none of its pages failed transiently, so the next run
   reads the feed in full and retries them.

Every request and every refusal becomes a row of the fetch log (`LOG_COLUMNS`). Nothing here
raises for a bad feed or page: one bad source never stops the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from pipelines.ingest.fetch.feeds import BadFeed, Entry, FeedSource, parse_feed
from pipelines.ingest.fetch.http import Fetcher, Response
from pipelines.ingest.fetch.store import RawZone, content_hash
from pipelines.ingest.metadata import canonical_url

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TRANSIENT = frozenset({"timeout", "connection_error", "dns_error", "robots_disallowed",
                       "http_429", "http_500", "http_502", "http_503", "http_504"})
MAX_ATTEMPTS = 3
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
               "text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
LOG_COLUMNS = ("fetched_at", "kind", "url", "final_url", "feed", "status", "outcome", "reason",
               "detail", "bytes", "source_uri", "canonical_url", "entry_updated",
               "content_sha256", "etag", "last_modified")


@dataclass
class FetchSummary:
    """What a run did, for the asset's metadata."""

    feeds_polled: int = 0
    feeds_not_modified: int = 0
    entries_listed: int = 0
    new_entries: int = 0
    pages_fetched: int = 0
    pages_unchanged: int = 0
    pages_deferred: int = 0
    requests: int = 0
    failures: Counter = field(default_factory=Counter)


@dataclass
class _Seen:
    """What the log says about one canonical URL."""

    updated: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    hashes: set[str] = field(default_factory=set)


class _Memory:
    """Fetched URLs and failures, rebuilt from the log and kept current during the run."""

    def __init__(self, rows: Iterable[dict]) -> None:
        self.seen: dict[str, _Seen] = {}
        self.failed: dict[str, tuple[int, str]] = {}
        for row in rows:
            if row.get("kind") == "page":
                self.record(row)

    def record(self, row: dict) -> None:
        keys = {canonical_url(row.get(name)) for name in ("url", "final_url", "canonical_url")}
        keys.discard(None)
        if row.get("outcome") in ("fetched", "unchanged"):
            for key in keys:
                seen = self.seen.setdefault(key, _Seen())
                seen.updated = max(filter(None, (seen.updated, row.get("entry_updated"))),
                                   default=None)
                seen.etag = row.get("etag") or seen.etag
                seen.last_modified = row.get("last_modified") or seen.last_modified
                if row.get("content_sha256"):
                    seen.hashes.add(row["content_sha256"])
                self.failed.pop(key, None)
        elif row.get("outcome") in ("failed", "refused"):
            key = canonical_url(row.get("url"))
            if key is not None:
                attempts, _ = self.failed.get(key, (0, ""))
                self.failed[key] = (attempts + 1, row.get("reason") or "")

    def plan(self, entry: Entry) -> str:
        """'new', 'update', 'retry', or why not: 'known', 'gave_up'."""
        key = canonical_url(entry.url)
        seen = self.seen.get(key)
        if seen is not None:
            changed = entry.updated and (seen.updated is None or entry.updated > seen.updated)
            return "update" if changed and seen.updated is not None else "known"
        if key in self.failed:
            attempts, reason = self.failed[key]
            return "retry" if reason in TRANSIENT and attempts < MAX_ATTEMPTS else "gave_up"
        return "new"


def fetch_feeds(sources: Iterable[FeedSource], zone: RawZone, fetcher: Fetcher, now: datetime,
                max_pages: int = 50, max_sitemaps: int = 3) -> FetchSummary:
    """Run the fetch step over the enabled feeds (see the module docstring)."""
    run = _Run(zone, fetcher, now, max_pages, max_sitemaps)
    for source in sources:
        if source.enabled:
            run.feed(source)
    zone.save_feed_state(run.state)
    run.summary.requests = fetcher.requests
    return run.summary


class _Run:
    def __init__(self, zone: RawZone, fetcher: Fetcher, now: datetime, max_pages: int,
                 max_sitemaps: int) -> None:
        self.zone, self.fetcher, self.now = zone, fetcher, now
        self.max_pages, self.max_sitemaps = max_pages, max_sitemaps
        self.memory = _Memory(zone.log_rows())
        self.state = zone.feed_state()
        self.summary = FetchSummary()

    def feed(self, source: FeedSource) -> None:
        self.summary.feeds_polled += 1
        parsed, validators = self._poll(source.url, source.url, "feed")
        if parsed is None:
            return
        entries = list(parsed.entries)
        saved = {source.url: validators}
        children = sorted(parsed.sitemaps, key=lambda child: child[1] or "", reverse=True)
        for child, _ in children[: self.max_sitemaps]:
            found, saved[child] = self._poll(child, source.url, "sitemap")
            if found is not None:
                entries.extend(found.entries)
        if not self._entries(source, entries):
            self.state.update((url, found) for url, found in saved.items() if found)

    def _poll(self, url: str, feed: str, kind: str):
        """(parsed feed, its validators), or (None, {}) when not modified or failed."""
        saved = self.state.get(url, {})
        headers = {"Accept": FEED_ACCEPT} | _conditional(saved)
        response = self._get(url, headers, kind)
        if not response.ok:
            self._log(kind, response, feed, "failed")
            return None, {}
        if response.status == 304:
            self.summary.feeds_not_modified += kind == "feed"
            self._log(kind, response, feed, "not_modified")
            return None, {}
        try:
            parsed = parse_feed(response.body, response.final_url)
        except BadFeed as problem:
            self._log(kind, response, feed, "failed", reason="bad_feed", detail=str(problem))
            return None, {}
        self._log(kind, response, feed, "fetched",
                  detail=f"{parsed.kind}: {len(parsed.entries) or len(parsed.sitemaps)} items")
        return parsed, _validators(response)

    def _entries(self, source: FeedSource, entries: list[Entry]) -> bool:
        """Fetch what is new or updated; True when a page failed for a transient reason."""
        unique: dict[str, Entry] = {}
        for entry in entries:
            key = canonical_url(entry.url)
            if key is not None and key not in unique:
                unique[key] = entry
        ordered = sorted(unique.values(), key=lambda e: e.updated or e.published or "",
                         reverse=True)
        self.summary.entries_listed += len(ordered)
        fetched, transient = 0, False
        for entry in ordered:
            plan = self.memory.plan(entry)
            if plan in ("known", "gave_up"):
                continue
            self.summary.new_entries += plan == "new"
            if fetched >= self.max_pages:
                self.summary.pages_deferred += 1
                transient = True
                continue
            fetched += 1
            reason = self._page(source, entry)
            transient = transient or reason in TRANSIENT
        return transient

    def _page(self, source: FeedSource, entry: Entry) -> str | None:
        """Fetch one page and store it; returns the failure reason, if any."""
        seen = self.memory.seen.get(canonical_url(entry.url))
        headers = {"Accept": PAGE_ACCEPT} | (_conditional(vars(seen)) if seen else {})
        response = self._get(entry.url, headers, "page")
        extra = {"entry_updated": entry.updated}
        if not response.ok:
            self._log("page", response, source.url, "failed", **extra)
            return response.reason
        if response.status == 304:
            self._log("page", response, source.url, "unchanged", **extra)
            return None
        if not _is_html(response):
            self._log("page", response, source.url, "failed", reason="not_html",
                      detail=f"Content-Type {response.content_type or '(none)'}", **extra)
            return "not_html"
        declared = _declared_canonical(response)
        key = canonical_url(declared) or canonical_url(response.final_url)
        digest = content_hash(response.body)
        known = self.memory.seen.get(key) or seen
        extra |= {"canonical_url": key, "content_sha256": digest}
        if known is not None and digest in known.hashes:
            self._log("page", response, source.url, "unchanged", **extra)
            return None
        relative = self.zone.write_page(key, response.body, {
            "id": entry.id or entry.url, "url": response.final_url, "requested_url": entry.url,
            "canonical_url": key, "title": entry.title, "published": entry.published,
            "entry_updated": entry.updated, "outlet": source.outlet,
            "language": source.language, "feed": source.url, "charset": response.charset,
            "fetched_at": self.now.isoformat(), "content_sha256": digest,
        })
        self.summary.pages_fetched += 1
        self._log("page", response, source.url, "fetched", source_uri=f"fetched/{relative}",
                  **extra)
        return None

    def _get(self, url: str, headers: dict[str, str], kind: str) -> Response:
        response = self.fetcher.get(url, headers, kind=kind)
        for robots in self.fetcher.drain_robots():
            if robots.status is not None and 400 <= robots.status < 500:
                # No robots.txt is an answer, not a failure: every path is allowed.
                robots = replace(robots, reason=None,
                                 detail=f"HTTP {robots.status}: no rules, every path allowed")
            self._log("robots", robots, None, "fetched" if robots.ok else "failed")
        return response

    def _log(self, kind: str, response: Response, feed: str | None, outcome: str,
             reason: str | None = None, detail: str | None = None, **extra) -> None:
        reason = reason or response.reason
        row = {
            "fetched_at": self.now.isoformat(), "kind": kind, "url": response.url,
            "final_url": response.final_url, "feed": feed, "status": response.status,
            "outcome": "refused" if reason in ("blocked_address", "robots_disallowed", "bad_url")
            else outcome,
            "reason": reason, "detail": detail if detail is not None else response.detail,
            "bytes": len(response.body), "source_uri": None, "canonical_url": None,
            "entry_updated": None, "content_sha256": None,
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
        } | extra
        if reason:
            self.summary.failures[reason] += 1
        if row["outcome"] == "unchanged":
            self.summary.pages_unchanged += 1
        if kind == "page":
            self.memory.record(row)
        self.zone.append_log([row])


def _conditional(saved: dict) -> dict[str, str]:
    headers = {}
    if saved.get("etag"):
        headers["If-None-Match"] = saved["etag"]
    if saved.get("last_modified"):
        headers["If-Modified-Since"] = saved["last_modified"]
    return headers


def _validators(response: Response) -> dict[str, str]:
    return {key.replace("-", "_"): response.headers[key]
            for key in ("etag", "last-modified") if response.headers.get(key)}


def _is_html(response: Response) -> bool:
    if response.content_type:
        return response.content_type in HTML_TYPES
    start = response.body[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _declared_canonical(response: Response) -> str | None:
    """The canonical URL the page declares, read as ingest will read it (trafilatura)."""
    import lxml.html
    from trafilatura.metadata import extract_url

    from pipelines.ingest.pages import decode_html

    markup = decode_html(response.body, response.charset)
    if not markup:
        return None
    try:
        tree = lxml.html.fromstring(markup)
    except (ValueError, lxml.etree.ParserError):
        return None
    return extract_url(tree, response.final_url)
