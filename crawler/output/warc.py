"""WARC files: one site's rotating ``.warc.gz`` files of a run, the record pair of one HTTP exchange, and
the archived responses read back.

Each file opens with a ``warcinfo`` record (its ``description`` names the site: ``site <name>``); each
exchange is a ``response`` record followed by its ``request`` record (same date, linked by
``WARC-Concurrent-To``), each one gzip member flushed at once. The crawl writes them from
``crawler.fetch.archive.WarcRecorderMiddleware``; re-extraction reads them with :func:`read_responses`.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.output.files import part_path
from crawler.stats import count

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from scrapy import Request
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector
    from warcio.recordbuilder import RecordBuilder

logger = logging.getLogger(__name__)

REQUEST_PROTOCOL = "HTTP/1.1"  # what Scrapy's download handler sends, whatever the server answers
REASONS = {status.value: status.phrase for status in HTTPStatus}
# The proxy's credentials are not part of the exchange with the site.
UNRECORDED_REQUEST_HEADERS = {b"proxy-authorization"}
# Scrapy hands over the body without its transfer coding (Twisted's client even drops the header); the
# header is renamed so no reader de-chunks the body again (the X-Crawler- prefix of Common Crawl's WARCs).
RENAMED_RESPONSE_HEADERS = {b"transfer-encoding": b"X-Crawler-Transfer-Encoding"}
# Response flags of a body that is not the whole payload, as WARC-Truncated reasons.
TRUNCATED_FLAGS = {"dataloss": "disconnect", "download_stopped": "unspecified"}
SITE_DESCRIPTION = "site "  # warcinfo ``description``: "site <name>"


class WarcFiles:
    """One site's rotating WARC files ``<folder>/<crawl_id>-NNNNN.warc.gz``, each opened with a warcinfo record.

    A file is written as ``….warc.gz.part`` and renamed when closed, so a ``.warc.gz`` is always complete;
    a serial whose file exists already (a reused ``CRAWL_ID``) is skipped, never overwritten.
    """

    def __init__(
        self, folder: Path, crawl_id: str, max_size: int, warcinfo: dict[str, str], stats: StatsCollector
    ) -> None:
        self.folder = folder
        self.crawl_id = crawl_id
        self.max_size = max_size
        self.warcinfo = warcinfo
        self.stats = stats
        self.serial = 0
        self.path: Path | None = None  # final name of the file being written, or about to be opened
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None

    @property
    def location(self) -> Path:
        """Where the current file is written (its ``.part`` name), for error messages."""
        return part_path(self.path) if self.path else self.folder

    def _open(self) -> None:
        path = self.folder / f"{self.crawl_id}-{self.serial:05d}.warc.gz"
        while path.exists() or part_path(path).exists():
            self.serial += 1
            path = self.folder / f"{self.crawl_id}-{self.serial:05d}.warc.gz"
        self.serial += 1
        self.path = path
        self.folder.mkdir(parents=True, exist_ok=True)
        self._file = part_path(path).open("xb")
        self._writer = WARCWriter(self._file, gzip=True)
        count(self.stats, "warc/files")
        logger.info("Writing WARC records to %(path)s", {"path": part_path(path)})
        self._write(self._writer.create_warcinfo_record(path.name, self.warcinfo))

    def _write(self, record: Any) -> None:
        assert self._file is not None
        assert self._writer is not None
        start = self._file.tell()
        self._writer.write_record(record)  # one gzip member, flushed to the file at once
        count(self.stats, "warc/records")
        count(self.stats, "warc/bytes", n=self._file.tell() - start)

    def write_exchange(self, response_record: Any, request_record: Any) -> None:
        """Write a response record and its request record, then rotate once the file passes ``max_size``."""
        if self._file is None:
            self._open()
        self._write(response_record)
        self._write(request_record)
        assert self._file is not None
        if self._file.tell() >= self.max_size:
            self.close()

    def close(self) -> None:
        """Close the current file and give it its final name."""
        if self._file is None or self.path is None:
            return
        file, self._file, self._writer = self._file, None, None
        file.close()
        part_path(self.path).replace(self.path)

    def abandon(self) -> None:
        """Close the current file after a write error, leaving its ``.part`` name: it may be incomplete."""
        file, self._file, self._writer = self._file, None, None
        if file is not None:
            with contextlib.suppress(OSError):
                file.close()


def exchange_records(builder: RecordBuilder, request: Request, response: Response) -> tuple[Any, Any]:
    """The response record and its request record (same date, linked by WARC-Concurrent-To)."""
    url = response.url
    parts = urlsplit(url)
    # Scrapy's optional HTTP/2 handler says "h2": WARC readers expect an HTTP/1.x status line.
    protocol = response.protocol if (response.protocol or "").startswith("HTTP/") else "HTTP/1.1"
    warc_headers = {}
    if response.ip_address is not None:
        warc_headers["WARC-IP-Address"] = str(response.ip_address)
    truncated = [TRUNCATED_FLAGS[flag] for flag in response.flags if flag in TRUNCATED_FLAGS]
    if truncated:
        warc_headers["WARC-Truncated"] = truncated[0]
    response_headers = [
        (RENAMED_RESPONSE_HEADERS.get(name.lower(), name), value)
        for name, values in response.headers.items()
        for value in values
    ]
    response_record = builder.create_warc_record(
        url,
        "response",
        payload=BytesIO(response.body),
        length=len(response.body),
        warc_headers_dict=warc_headers,
        http_headers=StatusAndHeaders(
            f"{response.status} {REASONS.get(response.status, '')}".rstrip(),
            response_headers,
            protocol=protocol,
        ),
    )
    request_headers = [
        (name, value)
        for name, values in request.headers.items()
        for value in values
        if name.lower() not in UNRECORDED_REQUEST_HEADERS
    ]
    if b"Host" not in request.headers:  # the download handler adds it
        request_headers.insert(0, (b"Host", parts.netloc.rpartition("@")[2].encode()))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_record = builder.create_warc_record(
        url,
        "request",
        payload=BytesIO(request.body),
        length=len(request.body),
        warc_headers_dict={
            "WARC-Date": response_record.rec_headers.get_header("WARC-Date"),
            "WARC-Concurrent-To": response_record.rec_headers.get_header("WARC-Record-ID"),
        },
        http_headers=StatusAndHeaders(
            f"{request.method} {target} {REQUEST_PROTOCOL}", request_headers, is_http_request=True
        ),
    )
    return response_record, request_record


class UnreadableWarc(Exception):
    """A WARC file that cannot be read (to the end): not a WARC file, truncated, corrupt."""


@dataclass(frozen=True)
class ArchivedResponse:
    """One archived HTTP response: its body without transfer and content codings, or None when it
    inflates past the limit it was read with."""

    url: str
    status: int
    headers: StatusAndHeaders
    body: bytes | None
    fetched_at: str  # the record's WARC-Date, as an ISO 8601 UTC time
    site: str | None  # the site the warcinfo record names


def read_responses(path: Path, max_size: int) -> Iterator[ArchivedResponse]:
    """The response records of a WARC file (``.warc`` or ``.warc.gz``), in file order, bodies read up to
    ``max_size`` bytes (0: any).

    Raises ``UnreadableWarc`` where the file stops being readable (not WARC, corrupt, cut short), after
    the responses before that point.
    """
    site = None
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            # Python's gzip reader, unlike warcio's, says when a file ends inside a gzip member.
            with gzip.GzipFile(fileobj=raw) if gzipped else contextlib.nullcontext(raw) as stream:
                for record in ArchiveIterator(stream):
                    if record.format != "warc":
                        raise UnreadableWarc(f"not a WARC record ({record.format})")
                    if record.rec_type == "warcinfo":
                        site = _warcinfo_site(record.content_stream().read())
                    elif record.rec_type == "response" and record.http_headers is not None:
                        yield _archived(record, max_size, site)
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as error:
        raise UnreadableWarc(f"{type(error).__name__}: {error}") from error


def _warcinfo_site(block: bytes) -> str | None:
    """The site a warcinfo record's ``description: site <name>`` names."""
    for line in block.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(": ")
        if name == "description" and value.startswith(SITE_DESCRIPTION):
            return value.removeprefix(SITE_DESCRIPTION)
    return None


def _archived(record: Any, max_size: int, site: str | None) -> ArchivedResponse:
    content = record.content_stream()  # the body without its transfer and content codings
    body = content.read(max_size + 1) if max_size else content.read()
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        status=int(record.http_headers.get_statuscode() or 0),
        headers=record.http_headers,
        body=None if max_size and len(body) > max_size else body,
        fetched_at=_iso(record.rec_headers.get_header("WARC-Date") or ""),
        site=site,
    )


def _iso(warc_date: str) -> str:
    """A WARC-Date (``2026-11-26T07:05:01Z``) as the records write times (``2026-11-26T07:05:01+00:00``)."""
    moment = datetime.fromisoformat(warc_date)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
