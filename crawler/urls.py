"""URL normalisation and site membership, shared by the spider and extraction."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from courlan.clean import normalize_url as courlan_normalize_url

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """Normalise ``url`` for requesting and identity.

    Lower-cases scheme and host, drops default ports and the fragment, removes tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``…) and sorts the remaining query parameters (courlan's rules).
    """
    url = urldefrag(url.strip())[0]
    try:
        return courlan_normalize_url(url)
    except ValueError:
        return url


def site_host(url: str) -> str:
    """The host of ``url``, lower-cased, without a leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def host_in_domains(url: str, domains: Iterable[str]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or a subdomain of one (``www.`` ignored)."""
    host = site_host(url)
    if not host:
        return False
    return any(host == d or host.endswith("." + d) for d in (d.lower().removeprefix("www.") for d in domains))


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def url_origin(url: str) -> str | None:
    """``host:port`` of an http(s) URL (``[host]:port`` for IPv6), the port given or the scheme's default."""
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port out of range
        return None
    host = parts.hostname
    if not host or port is None:
        return None
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
