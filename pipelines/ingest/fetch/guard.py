"""The address guard: no request leaves for a loopback, private, link-local or metadata address.

A feed is content from strangers: an entry, a redirect or a DNS name can point the fetcher at
`http://127.0.0.1:8080/admin`, `http://169.254.169.254/latest/meta-data/` or a router on the
local network (server-side request forgery). The guard allows only http and https, resolves the
host name, and refuses the URL when any of its addresses is not a public unicast address
(`ipaddress`'s `is_global`, multicast excluded; IPv4 written inside IPv6 is checked as IPv4).
Hosts listed in FETCH_ALLOW_HOSTS (a local test server, an intranet mirror) skip the check.

It is applied twice: `check_url` before each request and each redirect hop (so the refusal is
logged with its reason), and `GuardedBackend.connect_tcp` when the socket is opened, on the
addresses actually connected to (so a DNS answer that changes between the check and the
connection cannot slip through).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore

ALLOWED_SCHEMES = ("http", "https")
# Cloud metadata endpoints; both are also non-global, listed to make the intent explicit.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"),
                                ipaddress.ip_address("fd00:ec2::254")})


class BlockedAddress(Exception):
    """A URL the guard refuses; `reason` is what the fetch log records."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a public unicast address (not loopback, private, link-local, reserved, ...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (address.is_global and not address.is_multicast
            and address not in METADATA_ADDRESSES)


class AddressGuard:
    """Checks URLs and resolved addresses; `allow_hosts` are host names or IPs it trusts."""

    def __init__(self, allow_hosts: Iterable[str] = ()) -> None:
        self.allow_hosts = frozenset(host.strip().lower().strip("[]")
                                     for host in allow_hosts if host.strip())

    def allowed_host(self, host: str) -> bool:
        return host.lower().strip("[]").rstrip(".") in self.allow_hosts

    def check_url(self, url: str) -> None:
        """Raise BlockedAddress unless `url` is http(s) with a host that resolves to public
        addresses only (or is allowed)."""
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError as error:
            raise BlockedAddress("bad_url", f"{url!r}: {error}") from error
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            raise BlockedAddress("bad_url", f"scheme {parts.scheme!r} is not http or https")
        if not parts.hostname:
            raise BlockedAddress("bad_url", f"{url!r} has no host")
        self.resolve(parts.hostname, port)

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for `host`; raises BlockedAddress when one is not
        public and the host is not allowed, or when the name does not resolve."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise BlockedAddress("dns_error", f"{host}: {error}") from error
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if self.allowed_host(host):
            return addresses
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if not is_public(address):
                raise BlockedAddress(
                    "blocked_address", f"{host} resolves to {address}, which is not a public "
                    "address (add the host to FETCH_ALLOW_HOSTS to allow it)")
        return addresses


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses the guard accepts."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last_error: Exception | None = None
        for address in self.guard.resolve(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:
                last_error = error
        raise last_error or httpcore.ConnectError(f"no address for {host}")
