"""CompressionLimitMiddleware: Scrapy's decompression, with a body that inflates too far named and counted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.stats import count

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


class DecompressionBomb(IgnoreRequest):
    """A compressed body inflated past ``DOWNLOAD_MAXSIZE``: dropped, counted as ``errors/decompression_bomb``."""


class CompressionLimitMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression (it stops inflating at ``DOWNLOAD_MAXSIZE``), with the drop named and counted."""

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        """Decode the body; a body that inflates past the limit raises :class:`DecompressionBomb`."""
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:  # Scrapy's only reason: the decompressed size passed DOWNLOAD_MAXSIZE
            assert self.stats is not None
            count(self.stats, "errors/decompression_bomb", request.meta.get("site"))
            raise DecompressionBomb(str(exc)) from exc
