"""Small helpers over Scrapy requests and responses shared by the spider, middlewares and pipelines."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


def requested_url(request: Request | Response) -> str:
    """The URL first requested, before any redirect (the key of the crawl state's pending entry)."""
    redirects = request.meta.get("redirect_urls") if request.meta else None
    return str(redirects[0]) if redirects else request.url


def header_text(response: Response, name: str) -> str | None:
    """A response header as text, or None."""
    value = response.headers.get(name)
    return value.decode("latin-1").strip() or None if value else None


def response_validators(response: Response) -> tuple[str | None, str | None]:
    """``(ETag, Last-Modified)`` of a response."""
    return header_text(response, "ETag"), header_text(response, "Last-Modified")
