"""What a fetched body is, whatever its ``Content-Type`` says: an HTML page, nothing, binary data or another type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from w3lib.encoding import read_bom

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types servers give when they do not know: the body is sniffed for HTML, as browsers sniff an unknown type.
GENERIC_TYPES = frozenset(
    {"", "text/plain", "application/octet-stream", "binary/octet-stream", "unknown/unknown"}
)
# The HTML patterns of the MIME Sniffing Standard (§7.1): a tag, after optional whitespace, that starts HTML.
HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*"
    rb"<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[ >]",
    re.IGNORECASE,
)
SIGNATURES = {
    b"%PDF-": "a PDF document",
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"RIFF": "a RIFF (WebP, WAV, AVI) file",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "gzip data",
}
# Bytes no text contains (NUL and the C0 controls but tab, newlines, form feed and the ESC of ISO-2022).
CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
SAMPLE_BYTES = 8192
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class Sniffed:
    """``kind``: ``html``, ``sniffed_html`` (HTML under a generic type), ``empty``, ``binary`` or ``not_html``.

    ``detail`` says why, for the log.
    """

    kind: str
    detail: str

    @property
    def is_html(self) -> bool:
        """Whether the body is an HTML page to read."""
        return self.kind in {"html", "sniffed_html"}


def _binary_kind(body: bytes) -> str | None:
    """What binary data ``body`` is ("binary data" when no signature matches), or None when it may be text."""
    for signature, kind in SIGNATURES.items():
        if body.startswith(signature):
            return kind
    if read_bom(body)[0] is not None:  # UTF-16 and UTF-32 text is full of NUL bytes
        return None
    sample = body[:SAMPLE_BYTES]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return "binary data" if controls > MAX_CONTROL_SHARE * len(sample) else None


def sniff_page(body: bytes, content_type: str | None) -> Sniffed:
    """Whether ``body``, served as ``content_type``, is an HTML page; if not, what it is.

    A page served as HTML is one unless it is empty or binary; a page served as ``text/plain``,
    ``application/octet-stream`` or with no type is one when it starts like HTML; any other type is not.
    """
    mime = (content_type or "").partition(";")[0].strip().lower()
    served_as = mime or "no Content-Type"
    if not body.strip():
        return Sniffed("empty", f"an empty body served as {served_as}")
    if mime in HTML_TYPES:
        binary = _binary_kind(body)
        if binary is not None:
            return Sniffed("binary", f"{binary} served as {served_as}")
        return Sniffed("html", served_as)
    if mime in GENERIC_TYPES and HTML_START.match(body[:1024]):
        return Sniffed("sniffed_html", f"an HTML page served as {served_as}")
    return Sniffed("not_html", served_as)
