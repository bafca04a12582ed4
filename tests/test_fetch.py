"""The fetch step against a local HTTP server started by the test (no network).

The server answers on 127.0.0.1, the one host the tests allow (FETCH_ALLOW_HOSTS); the same
server reached as `localhost` is a private address the guard must refuse, and the server's own
request log proves that no such request ever arrived.
"""

import gzip
import time
from datetime import datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipelines.ingest.fetch.feeds import BadFeed, FeedSource, parse_feed, read_feeds_file
from pipelines.ingest.fetch.guard import AddressGuard, BlockedAddress, is_public
from pipelines.ingest.fetch.http import Fetcher, user_agent
from pipelines.ingest.fetch.run import fetch_feeds
from pipelines.ingest.fetch.store import RawZone, log_frame
from pipelines.ingest.readers import read_articles

NOW = datetime(2025, 3, 20, 6, 0)
LATER = datetime(2025, 3, 21, 6, 0)
MAX_BYTES = 200_000
SLOW_SECONDS = 1.2


def page(title: str, *paragraphs: str, canonical: str | None = None) -> str:
    """A news page with furniture around the article."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} | Wire</title>"
        f"{link}</head><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World"
        "</a></li><li><a href='/sport'>Sport</a></li></ul></nav><main><article>"
        f"<h1>{title}</h1>{body}</article><aside><h2>Most read</h2><ul>"
        "<li><a href='/x'>Gunmen kill 12 in raid on village</a></li>"
        "<li><a href='/y'>Markets fall for a third day</a></li></ul></aside></main>"
        "<footer>Copyright Wire. All rights reserved.</footer></body></html>")


STORY = ("Police in Tabarre exchanged fire with gang members on Tuesday morning, killing two of "
         "them, a police spokesperson said on Wednesday.")
MORE = ("Residents said the shooting lasted several hours and that schools in the area stayed "
        "closed for the rest of the day.")


class Site:
    """The local news site: feeds, a sitemap, pages and every failure case."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.base = server.url_for("/").rstrip("/")
        self.private = self.base.replace("127.0.0.1", "localhost")
        self.b1_version = 1
        self.atom_updated = "2025-03-19T10:00:00Z"
        # Paths and User-Agents as requests arrive (the server's own log is written after each
        # answer, and may still receive a slow answer of an earlier test).
        self.hits: list[str] = []
        self.agents: list[str] = []

    def url(self, path: str) -> str:
        return self.base + path

    def rss(self) -> str:
        items = [("Two killed in Tabarre shootout", "/news/a1?utm_source=rss",
                  "Tue, 18 Mar 2025 09:00:00 -0400"),
                 ("Schools close in Delmas", "/news/a2", "Tue, 18 Mar 2025 11:00:00 -0400"),
                 ("Gone", "/missing", None), ("Broken", "/error", None), ("Slow", "/slow", None),
                 ("Huge", "/big", None), ("Loop", "/loop1", None), ("PDF", "/report.pdf", None),
                 ("Market reopens", "/moved", None), ("Robots", "/private-area/page", None),
                 ("Sneaky", "/to-private", None)]
        entries = "".join(
            f"<item><title>{t}</title><link>{self.base}{p}</link>"
            + (f"<pubDate>{d}</pubDate>" if d else "") + "</item>" for t, p, d in items)
        entries += (f"<item><title>Private</title><link>{self.private}/secret</link></item>"
                    "<item><title>Metadata</title>"
                    "<link>http://169.254.169.254/latest/meta-data/</link></item>")
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
                f"<link>{self.base}/</link>{entries}</channel></rss>")

    def atom(self) -> str:
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Wire Atom</title><id>urn:wire</id><updated>{self.atom_updated}</updated>"
            f"<entry><title>Toll rises in Cabaret attack</title><id>urn:b1</id>"
            f'<link href="{self.base}/news/b1"/><published>2025-03-19T09:00:00Z</published>'
            f"<updated>{self.atom_updated}</updated></entry></feed>")

    def sitemap_index(self) -> str:
        return ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9"><sitemap><loc>{self.base}/sitemap-news.xml</loc>'
                "<lastmod>2025-03-19</lastmod></sitemap></sitemapindex>")

    def sitemap(self) -> bytes:
        xml = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
               f"<url><loc>{self.base}/news/c1</loc><lastmod>2025-03-17T08:00:00Z</lastmod>"
               "<news:news><news:publication_date>2025-03-17</news:publication_date>"
               "<news:title>Roadblocks in Gonaives</news:title></news:news></url></urlset>")
        return gzip.compress(xml.encode())

    def handle(self, request: Request) -> Response:
        path = request.path
        self.hits.append(path)
        self.agents.append(request.headers.get("User-Agent", ""))
        feeds = {"/feed.xml": ("application/rss+xml", self.rss),
                 "/atom.xml": ("application/atom+xml", self.atom),
                 "/sitemap-index.xml": ("application/xml", self.sitemap_index)}
        if path in feeds:
            kind, body = feeds[path]
            text = body()
            etag = f'"{abs(hash(text))}"'
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            return Response(text, content_type=kind, headers={"ETag": etag})
        if path == "/sitemap-news.xml":
            return Response(self.sitemap(), content_type="application/xml")
        if path == "/bad-feed.xml":
            return Response("<rss><channel><item><title>unclosed", content_type="application/xml")
        if path == "/robots.txt":
            return Response("User-agent: *\nDisallow: /private-area/\n", content_type="text/plain")
        if path == "/news/a1":
            return _html(page("Two killed in Tabarre shootout", STORY, MORE,
                              canonical=self.url("/news/a1")))
        if path == "/news/a2":
            return _html(page("Schools close in Delmas", MORE, STORY[::-1]))
        if path == "/news/a3":
            return _html(page("Market reopens", "Traders returned to the market in Croix-des-"
                              "Bossales on Monday, a week after a fire destroyed 400 stalls.",
                              MORE))
        if path == "/news/b1":
            toll = "five" if self.b1_version == 1 else "seven"
            return _html(page("Toll rises in Cabaret attack",
                              f"At least {toll} people were killed when armed men attacked "
                              "Cabaret on Wednesday, the mayor said.", STORY))
        if path == "/news/c1":
            return _html(page("Roadblocks in Gonaives", "Protesters blocked the main streets of "
                              "Gonaives with burning tyres on Monday to demand fuel.", MORE))
        if path == "/error":
            return Response("oops", status=500)
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return _html(page("Slow", STORY))
        if path == "/big":
            return _html("<html><body>" + "<p>filler paragraph text</p>" * 20_000 + "</body></html>")
        if path == "/loop1":
            return Response(status=302, headers={"Location": "/loop2"})
        if path == "/loop2":
            return Response(status=302, headers={"Location": "/loop1"})
        if path == "/moved":
            return Response(status=301, headers={"Location": "/news/a3"})
        if path == "/to-private":
            return Response(status=302, headers={"Location": f"{self.private}/secret"})
        if path == "/report.pdf":
            return Response(b"%PDF-1.4 binary", content_type="application/pdf")
        return Response("not here", status=404)

    def paths(self) -> list[str]:
        return list(self.hits)


def _html(text: str) -> Response:
    return Response(text, content_type="text/html; charset=utf-8")


@pytest.fixture(scope="module")
def server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def site(server):
    server.clear()
    site = Site(server)
    server.expect_request("").respond_with_handler(site.handle)
    return site


def fetcher(**overrides) -> Fetcher:
    options = {"host_interval": 0.0, "timeout": 0.5, "max_bytes": MAX_BYTES, "retries": 1,
               "backoff": 0.0, "max_redirects": 3} | overrides
    return Fetcher(AddressGuard(["127.0.0.1"]), **options)


def run(site: Site, zone: RawZone, now: datetime = NOW, feeds: tuple[str, ...] = (
        "/feed.xml", "/atom.xml", "/sitemap-index.xml", "/bad-feed.xml")):
    sources = [FeedSource(site.url(path), outlet="Wire", language="en") for path in feeds]
    with fetcher() as client:
        return fetch_feeds(sources, zone, client, now)


def test_a_run_fetches_new_pages_logs_every_failure_and_the_next_run_fetches_nothing(
        site, tmp_path):
    zone = RawZone(tmp_path / "fetched")
    first = run(site, zone)
    assert first.feeds_polled == 4 and first.pages_fetched == 5
    log = log_frame(zone.log_rows())
    failures = {(row["url"].removeprefix(site.base), row["reason"])
                for row in log.iter_rows(named=True) if row["outcome"] in ("failed", "refused")}
    assert failures == {
        ("/missing", "http_404"), ("/error", "http_500"), ("/slow", "timeout"),
        ("/big", "too_large"), ("/loop1", "redirect_loop"), ("/report.pdf", "not_html"),
        ("/private-area/page", "robots_disallowed"), ("/to-private", "blocked_address"),
        (site.private + "/secret", "blocked_address"),
        ("http://169.254.169.254/latest/meta-data/", "blocked_address"),
        ("/bad-feed.xml", "bad_feed"),
    }
    # Nothing was ever requested from the private alias of the server.
    assert "/secret" not in site.paths()
    # Retried: 500 and the timeout twice each (retries=1); robots.txt once per run.
    assert site.paths().count("/error") == 2 and site.paths().count("/robots.txt") == 1

    (tmp_path / "articles").mkdir()
    result = read_articles(tmp_path / "articles", LATER, fetched_pages=zone.pages)
    rows = {row["title"]: row for row in result.articles.iter_rows(named=True)}
    assert set(rows) == {"Two killed in Tabarre shootout", "Schools close in Delmas",
                         "Market reopens", "Toll rises in Cabaret attack",
                         "Roadblocks in Gonaives"}
    a1 = rows["Two killed in Tabarre shootout"]
    assert a1["body"] == STORY + "\n" + MORE  # furniture and headline gone
    assert a1["url"] == site.url("/news/a1?utm_source=rss")
    assert a1["canonical_url"] == site.url("/news/a1")
    assert (a1["outlet"], a1["language"], a1["version"]) == ("Wire", "en", 1)
    assert str(a1["published_date"]) == "2025-03-18" and a1["fetched_at"] == NOW
    assert a1["source_uri"].startswith("fetched/127.0.0.1_")
    assert rows["Market reopens"]["url"] == site.url("/news/a3")  # after the redirect
    assert str(rows["Roadblocks in Gonaives"]["published_date"]) == "2025-03-17"
    assert result.rejected.height == 0

    site.hits.clear()
    second = run(site, zone, now=LATER)
    assert second.pages_fetched == 0 and second.new_entries == 0
    requested = site.paths()
    # Feeds with every entry handled answer 304; only the transient failures are retried.
    pages = [p for p in requested if p.startswith(("/news", "/missing", "/big", "/loop",
                                                   "/report", "/moved", "/to-private",
                                                   "/private-area"))]
    assert pages == []
    assert set(requested) - {"/robots.txt", "/feed.xml", "/atom.xml", "/sitemap-index.xml",
                             "/sitemap-news.xml", "/bad-feed.xml"} == {"/error", "/slow"}
    assert "/secret" not in requested


def test_a_changed_page_becomes_a_new_version_of_the_same_article(site, tmp_path):
    zone = RawZone(tmp_path / "fetched")
    run(site, zone, feeds=("/atom.xml",))
    site.b1_version, site.atom_updated = 2, "2025-03-20T15:00:00Z"
    later = run(site, zone, now=LATER, feeds=("/atom.xml",))
    assert later.pages_fetched == 1
    unchanged = run(site, zone, now=LATER, feeds=("/atom.xml",))
    assert unchanged.pages_fetched == 0 and unchanged.requests <= 2  # robots.txt and a 304

    (tmp_path / "articles").mkdir()
    result = read_articles(tmp_path / "articles", LATER, fetched_pages=zone.pages)
    versions = result.articles.sort("version").select("canonical_url", "version", "body")
    assert versions["canonical_url"].n_unique() == 1 and versions["version"].to_list() == [1, 2]
    assert "five people" in versions["body"][0] and "seven people" in versions["body"][1]


def test_user_agent_names_the_project_and_a_contact(site):
    with fetcher(contact_url="https://example.org/contact") as client:
        response = client.get(site.url("/news/a2"))
    assert response.ok and response.status == 200
    assert set(site.agents) == {"news-incidents/0.1 (+https://example.org/contact)"}
    assert "FETCH_CONTACT_URL" in user_agent("")


def test_one_request_per_host_per_interval(site):
    slept: list[float] = []
    now = [100.0]
    with fetcher(host_interval=1.0, sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)),
                 clock=lambda: now[0]) as client:
        for _ in range(3):
            client.get(site.url("/news/a2"))
    # robots.txt, then three pages: every request after the first waits a full second.
    assert len(site.paths()) == 4 and slept == [1.0, 1.0, 1.0]


def test_a_private_address_is_never_requested_without_the_allow_list(site):
    with Fetcher(AddressGuard(), host_interval=0, timeout=1) as client:
        response = client.get(site.url("/news/a1"))
    assert response.reason == "blocked_address" and "127.0.0.1" in response.detail
    assert site.paths() == []


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("127.0.0.1", False), ("10.1.2.3", False),
    ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
    ("0.0.0.0", False), ("224.0.0.1", False), ("::1", False), ("fd00:ec2::254", False),
    ("fe80::1", False), ("::ffff:127.0.0.1", False), ("::ffff:8.8.8.8", True),
])
def test_only_public_unicast_addresses_are_public(address, public):
    import ipaddress

    assert is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://127.0.0.1/x", "bad_url"), ("file:///etc/passwd", "bad_url"), ("http:///x", "bad_url"),
    ("http://localhost/x", "blocked_address"), ("http://[::1]/x", "blocked_address"),
    ("http://0x7f000001/x", "blocked_address"), ("http://169.254.169.254/", "blocked_address"),
    ("http://no-such-host.invalid/x", "dns_error"),
])
def test_the_guard_refuses_other_schemes_and_private_hosts(url, reason):
    with pytest.raises(BlockedAddress) as refused:
        AddressGuard(["127.0.0.1"]).check_url(url)
    assert refused.value.reason == reason


def test_read_feeds_file(tmp_path):
    path = tmp_path / "feeds.csv"
    assert read_feeds_file(path) == []
    path.write_text("URL,Outlet,Language,Enabled\n"
                    "https://a.example/rss,Le Nouvelliste,fr,\n"
                    "#https://b.example/rss,Commented,en,true\n\n"
                    "https://c.example/sitemap.xml,C,en,false\n", encoding="utf-8")
    assert read_feeds_file(path) == [
        FeedSource("https://a.example/rss", "Le Nouvelliste", "fr", True),
        FeedSource("https://c.example/sitemap.xml", "C", "en", False)]
    path.write_text("link,outlet\nhttps://a.example/rss,A\n", encoding="utf-8")
    with pytest.raises(ValueError, match="url"):
        read_feeds_file(path)


def test_parse_feed_reads_rss_atom_sitemaps_and_refuses_the_rest(site):
    rss = parse_feed(site.rss().encode(), site.url("/feed.xml"))
    assert rss.kind == "rss" and rss.entries[0].title == "Two killed in Tabarre shootout"
    assert rss.entries[0].published == "Tue, 18 Mar 2025 09:00:00 -0400"
    assert rss.entries[0].updated == "2025-03-18T13:00:00Z"
    atom = parse_feed(site.atom().encode(), site.url("/atom.xml"))
    assert atom.kind == "atom" and atom.entries[0].url == site.url("/news/b1")
    index = parse_feed(site.sitemap_index().encode(), site.url("/sitemap-index.xml"))
    assert index.sitemaps == ((site.url("/sitemap-news.xml"), "2025-03-19"),)
    news = parse_feed(site.sitemap(), site.url("/sitemap-news.xml"))  # gzipped
    assert news.entries[0].title == "Roadblocks in Gonaives"
    assert news.entries[0].published == "2025-03-17"
    for junk in (b"<html><body>a page</body></html>", b"\x00\x01binary", b""):
        with pytest.raises(BadFeed):
            parse_feed(junk, "https://a.example/feed")


def test_sitemap_entities_are_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
            b"https://a.example/&x;</loc></url></urlset>")
    entries = parse_feed(bomb, "https://a.example/sitemap.xml").entries
    assert all("root:" not in entry.url for entry in entries)


def test_the_fetch_asset_feeds_ingest_and_a_bad_feed_never_fails_the_run(site, tmp_path):
    import dagster as dg
    import duckdb

    from pipelines.ingest.assets import fetch_log, ingest_articles
    from pipelines.resources import ArticlesFolderResource, FetchResource, WarehouseResource

    feeds = tmp_path / "feeds.csv"
    feeds.write_text("url,outlet,language,enabled\n"
                     f"{site.url('/atom.xml')},Wire,en,true\n"
                     f"{site.url('/bad-feed.xml')},Wire,en,true\n"
                     f"{site.url('/no-such-feed.xml')},Wire,en,yes\n"
                     f"{site.url('/feed.xml')},Wire,en,false\n", encoding="utf-8")
    (tmp_path / "articles").mkdir()
    warehouse = tmp_path / "w.duckdb"
    resources = {
        "fetch": FetchResource(feeds_file=str(feeds), fetch_dir=str(tmp_path / "fetched"),
                               allow_hosts=["127.0.0.1"], host_interval=0, timeout=0.4,
                               retries=0, backoff=0),
        "articles_folder": ArticlesFolderResource(path=str(tmp_path / "articles")),
        "warehouse": WarehouseResource(path=str(warehouse)),
    }
    result = dg.materialize([fetch_log, ingest_articles], resources=resources)
    assert result.success
    metadata = result.asset_materializations_for_node("fetch_log")[0].metadata
    assert metadata["feeds_listed"].value == 4 and metadata["feeds_polled"].value == 3
    assert metadata["pages_fetched"].value == 1 and metadata["new_entries"].value == 1
    assert metadata["failures_by_reason"].value == {"bad_feed": 1, "http_404": 1}
    checks = {c.asset_key.to_user_string(): c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {"fetch_log": True, "articles": True, "rejected_inputs": True}
    # No snapshot is published by these two assets: read the pipeline's private copy.
    private = resources["warehouse"].private_path
    with duckdb.connect(str(private), read_only=True) as conn:
        assert conn.sql("SELECT kind, outcome, reason FROM fetch_log ORDER BY url").fetchall() == [
            ("feed", "fetched", None), ("feed", "failed", "bad_feed"), ("page", "fetched", None),
            ("feed", "failed", "http_404"), ("robots", "fetched", None)]
        assert conn.sql("SELECT title, outlet, version FROM articles").fetchall() == [
            ("Toll rises in Cabaret attack", "Wire", 1)]


def test_no_robots_txt_allows_everything_and_an_unreachable_one_allows_nothing(server, tmp_path):
    server.clear()
    answers = {"/robots.txt": Response("gone", status=404)}
    server.expect_request("").respond_with_handler(
        lambda request: answers.get(request.path) or _html(page("Title", STORY, MORE)))
    zone = RawZone(tmp_path / "fetched")
    feed = (f'<rss version="2.0"><channel><item><title>A</title><link>{server.url_for("/a")}'
            "</link></item></channel></rss>")
    answers["/feed.xml"] = Response(feed, content_type="application/rss+xml")
    with fetcher(retries=0) as client:
        summary = fetch_feeds([FeedSource(server.url_for("/feed.xml"))], zone, client, NOW)
    assert summary.pages_fetched == 1 and not summary.failures
    robots = [row for row in zone.log_rows() if row["kind"] == "robots"]
    assert [(r["status"], r["outcome"], r["reason"]) for r in robots] == [(404, "fetched", None)]

    answers["/robots.txt"] = Response("down", status=503)
    with fetcher(retries=0) as client:
        assert client.get(server.url_for("/b")).reason == "robots_disallowed"


def test_retries_back_off_exponentially_and_honour_retry_after(server):
    server.clear()
    answers = {"/busy": Response("busy", status=503, headers={"Retry-After": "7"}),
               "/robots.txt": Response("", status=404)}
    server.expect_request("").respond_with_handler(
        lambda request: answers.get(request.path) or Response("oops", status=500))
    slept: list[float] = []
    with fetcher(retries=2, backoff=1.0, sleep=slept.append) as client:
        failed = client.get(server.url_for("/error"))
        busy = client.get(server.url_for("/busy"))
    assert (failed.reason, failed.detail) == ("http_500", "HTTP 500 (3 attempts)")
    assert busy.reason == "http_503"
    assert slept == [1.0, 2.0, 7.0, 7.0]
