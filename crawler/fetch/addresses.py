"""Where requests may go: http(s) only, and only to public addresses unless settings allow private ones.

A crawl seeded with a public site must not reach into the crawler's own network: loopback, private,
link-local, shared (carrier-grade NAT) and cloud-metadata addresses, however the URL spells them
(``http://2130706433/``, ``http://0x7f.1/``, ``http://[::ffff:127.0.0.1]/``) and whatever name leads
to them. The check runs on the addresses the host resolves to, through the reactor's resolver, which
is the one Scrapy's download connects with; with Scrapy's DNS cache on (``DNSCACHE_ENABLED``, the
default) the download then reuses the checked answer, so a name cannot rebind to a private address
between the check and the connection.
"""

from __future__ import annotations

import logging
import socket
from contextlib import suppress
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from typing import TYPE_CHECKING, NoReturn, TypeAlias
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolutionReceiver
from zope.interface import implementer

from crawler import settings as defaults
from crawler.run.context import run_of
from crawler.stats import count
from crawler.urls import DEFAULT_PORTS

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Self
    from urllib.parse import ParseResult

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from twisted.internet.interfaces import IAddress, IHostResolution

logger = logging.getLogger(__name__)

HTTP_SCHEMES = frozenset({"http", "https"})
# Checked besides ``is_global``, so the ranges that matter most do not depend on the Python version's tables.
BLOCKED_NETWORKS = tuple(
    ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, with the cloud metadata service at 169.254.169.254
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::/128",
        "::1/128",
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
    )
)
# NAT64: an IPv4 address in the last 32 bits, reached through a NAT64 gateway.
NAT64_NETWORK = ip_network("64:ff9b::/96")

OriginPattern: TypeAlias = tuple[str, int | None]
"""An allowed ``(host, port)``; a port of ``None`` allows every port of the host."""


class BlockedScheme(IgnoreRequest):
    """A request for a URL that is not http(s) with a host."""


class BlockedAddress(IgnoreRequest):
    """A request for a host that is, or resolves to, an address that is not public."""


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped ``::ffff:a.b.c.d``, 6to4, NAT64), if any."""
    if address in NAT64_NETWORK:
        return IPv4Address(int(address) & 0xFFFF_FFFF)
    return address.ipv4_mapped or address.sixtofour


def is_public_address(address: IPv4Address | IPv6Address) -> bool:
    """Whether a crawl may connect to ``address``: a global unicast address outside every blocked network."""
    if isinstance(address, IPv6Address) and (ipv4 := embedded_ipv4(address)) is not None:
        return is_public_address(ipv4)
    if address.is_multicast or address.is_reserved or not address.is_global:
        return False
    return not any(address.version == network.version and address in network for network in BLOCKED_NETWORKS)


def literal_address(host: str) -> IPv4Address | IPv6Address | None:
    """The address ``host`` spells in any form a resolver reads (``2130706433``, ``0x7f.1``, ``0177.0.0.1``,
    ``127.1``, ``::1``), or None when it is a name."""
    with suppress(ValueError):
        return ip_address(host)
    with suppress(OSError):
        return IPv4Address(socket.inet_aton(host))
    return None


def canonical_host(host: str) -> str:
    """``host`` with an address in the one spelling :mod:`ipaddress` gives it; a name as it is."""
    address = literal_address(host)
    return host if address is None else str(address)


def parse_origin_pattern(entry: str, where: str) -> OriginPattern:
    """``host`` or ``host:port`` (``[::1]:8080`` for IPv6) as a ``(host, port)`` pair; ``where`` names the source."""
    parts = urlsplit(f"//{entry.strip()}")
    with suppress(ValueError):  # .port raises on a port that is not a number from 0 to 65535
        if parts.hostname and not parts.path and "@" not in parts.netloc:
            return canonical_host(parts.hostname), parts.port
    raise ValueError(f"{where}: {entry!r} is not host or host:port (such as 127.0.0.1:8080 or [::1]:8080)")


@implementer(IResolutionReceiver)
class _Resolution:
    """Collects the addresses one name resolution delivers."""

    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.done: Deferred[list[str]] = Deferred()

    def resolutionBegan(self, resolutionInProgress: IHostResolution) -> None:
        """Nothing to do until addresses arrive."""

    def addressResolved(self, address: IAddress) -> None:
        """Keep the address (an ``IPv4Address`` or ``IPv6Address`` of Twisted)."""
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:
        """Deliver every address, or none when the name did not resolve."""
        self.done.callback(self.addresses)


async def resolve_host(host: str) -> list[str]:
    """The addresses ``host`` resolves to, through the reactor's resolver: the one (and the DNS cache) downloads use."""
    from twisted.internet import reactor

    resolution = _Resolution()
    reactor.nameResolver.resolveHostName(resolution, host)
    return await maybe_deferred_to_future(resolution.done)


class PrivateAddressMiddleware:
    """Refuse a request that is not http(s), or whose host is or resolves to an address that is not public.

    Every request passes here, each redirect hop too (Scrapy schedules a hop as a new request), and
    robots.txt requests. ``ALLOW_PRIVATE_ADDRESSES`` turns the address check off; ``ALLOWED_PRIVATE_HOSTS``
    and the run's served sites (the demo) exempt ``host`` or ``host:port`` origins, and so do the origins of
    the URLs the operator named (``ALLOW_PRIVATE_START_URLS``). Counts ``newscrawl/refused/scheme`` and
    ``newscrawl/refused/private_address``.
    """

    def __init__(
        self,
        *,
        check_addresses: bool,
        allowed_hosts: Iterable[OriginPattern],
        stats: StatsCollector,
        trust_named_hosts: bool = True,
    ) -> None:
        self.check_addresses = check_addresses
        self.allowed_hosts = set(allowed_hosts)
        self.stats = stats
        self.trust_named_hosts = trust_named_hosts
        self.reported_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware from ``ALLOW_PRIVATE_ADDRESSES`` and ``ALLOWED_PRIVATE_HOSTS``."""
        s = crawler.settings
        check_addresses = not s.getbool("ALLOW_PRIVATE_ADDRESSES", defaults.ALLOW_PRIVATE_ADDRESSES)
        if check_addresses and not s.getbool("DNSCACHE_ENABLED"):
            logger.warning(
                "DNSCACHE_ENABLED is off: a download resolves its host again after the address check, "
                "so a host could resolve to a private address by then (DNS rebinding)"
            )
        allowed = s.getlist("ALLOWED_PRIVATE_HOSTS", defaults.ALLOWED_PRIVATE_HOSTS)
        assert crawler.stats is not None
        middleware = cls(
            check_addresses=check_addresses,
            allowed_hosts=[parse_origin_pattern(entry, "ALLOWED_PRIVATE_HOSTS") for entry in allowed],
            stats=crawler.stats,
            trust_named_hosts=s.getbool("ALLOW_PRIVATE_START_URLS", defaults.ALLOW_PRIVATE_START_URLS),
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        """Also allow the origins of the sites the run serves itself (the demo), and, unless
        ``ALLOW_PRIVATE_START_URLS`` is off, the ``host:port`` of the start URLs, sitemaps and feeds the
        operator named: what pages, sitemaps, feeds and redirects lead to elsewhere is checked all the same.
        """
        run = run_of(spider.crawler)
        if run is None:
            return
        self.allowed_hosts.update(parse_origin_pattern(host, "a served site") for host in run.served_hosts)
        if self.trust_named_hosts:
            self.allowed_hosts.update(parse_origin_pattern(host, "a named URL") for host in run.named_hosts())

    async def process_request(self, request: Request) -> None:
        """Raise :class:`BlockedScheme` or :class:`BlockedAddress` for a request that may not be sent."""
        parts = urlparse_cached(request)
        host = parts.hostname
        if parts.scheme not in HTTP_SCHEMES or not host:
            self._block(request, BlockedScheme, "scheme", "only http(s) URLs with a host are fetched")
        if not self.check_addresses or self._allowed(parts):
            return
        if (literal := literal_address(host)) is not None:
            addresses = [literal]  # a literal address is checked as it stands
        else:
            resolved = await resolve_host(host)
            if not resolved:  # checked now, or the download would resolve the host again, unchecked
                raise DNSLookupError(f"no address for {host}") from None
            addresses = [ip_address(address) for address in resolved]
        for address in addresses:
            if not is_public_address(address):
                named = host if host == str(address) else f"{host} ({address})"
                self._block(
                    request,
                    BlockedAddress,
                    "private_address",
                    f"{named} is not a public address "
                    "(ALLOW_PRIVATE_ADDRESSES or ALLOWED_PRIVATE_HOSTS would allow it)",
                )

    def _allowed(self, parts: ParseResult) -> bool:
        host = canonical_host(parts.hostname or "")
        if (host, None) in self.allowed_hosts:
            return True
        with suppress(ValueError):  # .port raises on a port out of range, which no allowed origin has
            return (host, parts.port or DEFAULT_PORTS[parts.scheme]) in self.allowed_hosts
        return False

    def _block(self, request: Request, error: type[IgnoreRequest], key: str, reason: str) -> NoReturn:
        count(self.stats, f"refused/{key}", request.meta.get("site"))
        netloc = urlparse_cached(request).netloc
        level = logging.DEBUG if netloc in self.reported_hosts else logging.WARNING  # once per host
        self.reported_hosts.add(netloc)
        logger.log(level, "Blocked %(url)s: %(reason)s", {"url": request.url, "reason": reason})
        raise error(f"Blocked {request.url}: {reason}")
