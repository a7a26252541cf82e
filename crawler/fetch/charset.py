"""The encoding a page's bytes are really in, from its BOM, HTTP header, ``<meta>`` and the bytes themselves.

The HTML standard trusts, in order, a BOM, the HTTP header and the ``<meta>`` declaration. Servers
often send a default charset that is not the page's (``ISO-8859-1``, the HTTP/1.1 default, or a
site-wide ``UTF-8`` on legacy pages), and a browser then shows mojibake; a crawler can do better by
checking each declaration against the bytes:

1. a BOM decides;
2. bytes that are valid UTF-8 (and not plain ASCII) are UTF-8, whatever is declared: text in any
   other encoding practically never is valid UTF-8;
3. else the first declaration the bytes do not refute (more than 1% of the non-ASCII bytes failing to
   decode refutes it): the header, then the ``<meta>``; but the ``<meta>`` first when the header names
   the Latin-1 family (ISO-8859-1, windows-1252, US-ASCII), more often a server default than a
   statement about the page;
4. else UTF-8 with a few bad bytes (within the same 1%), else detection (charset-normalizer), else
   the first declaration, else windows-1252 (the HTML standard's fallback).
"""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

LATIN_DEFAULT = "cp1252"  # w3lib resolves ISO-8859-1, latin-1, US-ASCII and windows-1252 to this
# The HTML standard decodes GBK with the gb18030 decoder, a superset (w3lib from 2.6 names GBK as it is).
STANDARD_DECODERS = {"gbk": "gb18030"}
MAX_BAD_SHARE = 0.01  # of the non-ASCII bytes, that may fail to decode under a fitting encoding
ASCII_BYTES = bytes(range(0x80))


@dataclass(frozen=True)
class Charset:
    """The encoding to read a page in; ``source``: ``bom``, ``header``, ``meta``, ``utf-8``, ``detected``
    or ``default``; ``overridden``: a declared encoding that was not followed (None when there was none).
    """

    encoding: str
    source: str
    overridden: str | None = None


def _decoder(label: str | None) -> str | None:
    """The codec the HTML standard reads a resolved ``label`` with."""
    return STANDARD_DECODERS.get(label, label) if label else label


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _fits(body: bytes, encoding: str, non_ascii: int) -> bool:
    """Whether at most ``MAX_BAD_SHARE`` of the non-ASCII bytes fail to decode in ``encoding``."""
    return body.decode(encoding, "replace").count("\ufffd") <= MAX_BAD_SHARE * non_ascii


def _choose(body: bytes, declarations: list[tuple[str, str]]) -> tuple[str, str]:
    """Steps 2 to 4 of the rule: the encoding and where it came from."""
    non_ascii = len(body.translate(None, ASCII_BYTES))
    if non_ascii and _is_utf8(body):
        return "utf-8", "utf-8"
    for source, encoding in [*declarations, ("utf-8", "utf-8")]:
        if _fits(body, encoding, non_ascii):
            return encoding, source
    match = from_bytes(body).best()
    if match is not None:
        return _decoder(resolve_encoding(match.encoding)) or match.encoding, "detected"
    return (declarations[0][1], "default") if declarations else (LATIN_DEFAULT, "default")


def html_charset(body: bytes, content_type: str | None) -> Charset:
    """The encoding of an HTML page served with ``content_type`` (see the module's rule)."""
    bom = read_bom(body)[0]
    if bom is not None:
        return Charset(bom, "bom")
    header = _decoder(http_content_type_encoding(content_type))
    meta = _decoder(html_body_declared_encoding(body))
    declarations = [(source, label) for source, label in (("header", header), ("meta", meta)) if label]
    if header == LATIN_DEFAULT and meta:
        declarations.reverse()
    encoding, source = _choose(body, declarations)
    return Charset(
        encoding,
        next((s for s, label in declarations if label == encoding), source),
        next((label for _, label in declarations if label != encoding), None),
    )
