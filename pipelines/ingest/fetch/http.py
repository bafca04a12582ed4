"""A polite HTTP client: one User-Agent, robots.txt, a pace per host, retries, caps, the guard.

`Fetcher.get(url)` never raises for anything the network or a server can do: it returns a
`Response` whose `reason` is None on success (2xx, or 304 to a conditional request) and one of
`REASONS` or `http_<status>` (`http_404`, `http_500`, ...) otherwise. What it does, in order,
for each request and each redirect hop:

- the address guard checks the URL (http/https only, public addresses unless allowed);
- robots.txt of the origin is fetched once per `Fetcher` (one run) and obeyed for our
  User-Agent token; a robots.txt that answers 4xx allows everything, one that cannot be
  fetched (5xx, timeout) forbids the origin for the run (RFC 9309);
- the request waits until the host's last request is `host_interval` seconds old (or the
  robots.txt `Crawl-delay`, up to `MAX_CRAWL_DELAY`);
- the body is streamed and reading stops past `max_bytes`, or past `timeout` seconds overall;
- 5xx/429 answers, timeouts and connection errors are retried `retries` times with exponential
  backoff (`Retry-After` honoured up to `MAX_BACKOFF`);
- redirects are followed by hand, `max_redirects` at most, each hop checked again.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from pipelines.ingest.fetch.guard import AddressGuard, BlockedAddress, GuardedBackend

PRODUCT = "news-incidents"
VERSION = "0.1"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_BACKOFF = 30.0
MAX_CRAWL_DELAY = 60.0
ROBOTS_MAX_BYTES = 500 * 1024
CHUNK_BYTES = 64 * 1024
REASONS = (
    "bad_url", "dns_error", "blocked_address", "robots_disallowed", "timeout",
    "connection_error", "too_large", "too_many_redirects", "redirect_loop",
)


@dataclass(frozen=True)
class Response:
    """What came back for a URL: the final URL after redirects, status, headers, body."""

    url: str
    final_url: str
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    reason: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None


def user_agent(contact_url: str = "") -> str:
    """'news-incidents/0.1 (+https://contact)': names the project and who to contact."""
    contact = contact_url.strip() or "contact URL not configured: set FETCH_CONTACT_URL"
    return f"{PRODUCT}/{VERSION} (+{contact})"


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose sockets go through the address guard."""

    def __init__(self, guard: AddressGuard) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(network_backend=GuardedBackend(guard))


class Fetcher:
    """One run's HTTP client (robots.txt and pace are remembered for its lifetime).

    Use it as a context manager. `sleep` and `clock` are injectable so tests need not wait.
    """

    def __init__(
        self,
        guard: AddressGuard,
        *,
        contact_url: str = "",
        host_interval: float = 1.0,
        timeout: float = 20.0,
        max_bytes: int = 5_000_000,
        retries: int = 2,
        backoff: float = 1.0,
        max_redirects: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.guard = guard
        self.user_agent = user_agent(contact_url)
        self.host_interval = host_interval
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.max_redirects = max_redirects
        self._sleep = sleep
        self._clock = clock
        # Requests sent (each attempt counts), and robots.txt answers not yet logged.
        self.requests = 0
        self._robots_answers: list[Response] = []
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Protego | bool] = {}
        self._client = httpx.Client(
            transport=GuardedTransport(guard), follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(timeout), headers={"User-Agent": self.user_agent})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._client.close()

    def get(self, url: str, headers: Mapping[str, str] | None = None, *, kind: str = "page",
            max_bytes: int | None = None) -> Response:
        """GET `url` following redirects; see the module docstring. robots.txt itself
        (`kind="robots"`) is not subject to robots.txt."""
        current, seen = url, {url}
        for _ in range(self.max_redirects + 1):
            response = self._hop(url, current, headers, kind, max_bytes or self.max_bytes)
            location = response.headers.get("location", "").strip()
            if response.status not in REDIRECT_STATUSES or not response.ok:
                return response
            if not location:
                return Response(url, current, response.status, response.headers,
                                reason=f"http_{response.status}", detail="redirect without Location")
            current = urljoin(current, location)
            if current in seen:
                return Response(url, current, response.status, response.headers,
                                reason="redirect_loop", detail=f"redirected back to {current}")
            seen.add(current)
        return Response(url, current, reason="too_many_redirects",
                        detail=f"more than {self.max_redirects} redirects")

    def _hop(self, url: str, current: str, headers: Mapping[str, str] | None, kind: str,
             max_bytes: int) -> Response:
        """One URL of a redirect chain: guard, robots, then the request itself."""
        try:
            self.guard.check_url(current)
        except BlockedAddress as blocked:
            return Response(url, current, reason=blocked.reason, detail=blocked.detail)
        if kind != "robots" and not self.robots_allow(current):
            return Response(url, current, reason="robots_disallowed",
                            detail=f"robots.txt of {_origin(current)} disallows it for {PRODUCT}")
        return self._request(url, current, headers, max_bytes)

    def robots_allow(self, url: str) -> bool:
        """Whether robots.txt of the URL's origin lets our User-Agent fetch it (cached)."""
        origin = _origin(url)
        if origin not in self._robots:
            response = self.get(origin + "/robots.txt", kind="robots", max_bytes=ROBOTS_MAX_BYTES)
            self._robots_answers.append(response)
            if response.ok and response.status == 200:
                self._robots[origin] = Protego.parse(response.body.decode("utf-8", "replace"))
            else:
                # 4xx: no robots.txt, everything allowed; unreachable: nothing allowed (RFC 9309).
                self._robots[origin] = response.status is not None and 400 <= response.status < 500
        rules = self._robots[origin]
        return rules.can_fetch(url, PRODUCT) if isinstance(rules, Protego) else rules

    def drain_robots(self) -> list[Response]:
        """The robots.txt answers received since the last call (for the fetch log)."""
        answers, self._robots_answers = self._robots_answers, []
        return answers

    def _interval(self, url: str) -> float:
        rules = self._robots.get(_origin(url))
        delay = rules.crawl_delay(PRODUCT) if isinstance(rules, Protego) else None
        return max(self.host_interval, min(float(delay or 0), MAX_CRAWL_DELAY))

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            remaining = last + self._interval(url) - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last_request[host] = self._clock()

    def _request(self, url: str, current: str, headers: Mapping[str, str] | None,
                 max_bytes: int) -> Response:
        """The request with retries on 5xx/429, timeouts and connection errors."""
        attempt = 0
        while True:
            self._wait_for_host(current)
            response, retry_after = self._attempt(url, current, headers, max_bytes)
            retryable = (response.reason in ("timeout", "connection_error")
                         or response.status in RETRY_STATUSES)
            if not retryable or attempt == self.retries:
                if attempt and not response.ok:
                    response = replace(response, detail=f"{response.detail} ({attempt + 1} attempts)")
                return response
            self._sleep(min(MAX_BACKOFF, max(retry_after or 0.0, self.backoff * 2 ** attempt)))
            attempt += 1

    def _attempt(self, url: str, current: str, headers: Mapping[str, str] | None,
                 max_bytes: int) -> tuple[Response, float | None]:
        started = self._clock()
        self.requests += 1
        try:
            with self._client.stream("GET", current, headers=dict(headers or {})) as answer:
                found = {key.lower(): value for key, value in answer.headers.items()}
                status = answer.status_code
                common = {"url": url, "final_url": current, "status": status, "headers": found}
                if status in REDIRECT_STATUSES:
                    return Response(**common), None
                if status >= 400:
                    return (Response(**common, reason=f"http_{status}", detail=f"HTTP {status}"),
                            _retry_after(found.get("retry-after")))
                declared = found.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    return Response(**common, reason="too_large", detail=(
                        f"Content-Length {declared} bytes > limit {max_bytes}")), None
                chunks, size = [], 0
                for chunk in answer.iter_bytes(CHUNK_BYTES):
                    size += len(chunk)
                    if size > max_bytes:
                        return Response(**common, reason="too_large", detail=(
                            f"more than {max_bytes} bytes; stopped reading")), None
                    if self._clock() - started > self.timeout:
                        return Response(**common, reason="timeout", detail=(
                            f"body still arriving after {self.timeout:g} s")), None
                    chunks.append(chunk)
                return Response(**common, body=b"".join(chunks)), None
        except BlockedAddress as blocked:
            return Response(url, current, reason=blocked.reason, detail=blocked.detail), None
        except httpx.TimeoutException as error:
            return Response(url, current, reason="timeout",
                            detail=f"{type(error).__name__} after {self.timeout:g} s"), None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            return Response(url, current, reason="bad_url", detail=str(error)), None
        except httpx.HTTPError as error:
            return Response(url, current, reason="connection_error",
                            detail=f"{type(error).__name__}: {error}"), None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
