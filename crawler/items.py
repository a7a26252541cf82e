"""Scrapy items: the raw page a spider yields, and the article record the pipelines write.

:class:`ArticleRecord` is the one source of truth for the output record: its exported fields, in
order, with their types and documentation. The JSON Schema (``crawler/schema/article.schema.json``),
the JSONL field order and the README's field table are derived from it here.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from dataclasses import dataclass, field
from typing import Any

if typing.TYPE_CHECKING:
    from crawler.page.signals import PageSignals


def doc(text: str, *, fmt: str | None = None, export: bool = True) -> dict[str, object]:
    """Field metadata: its documentation, JSON Schema ``format`` and whether it is written out."""
    return {"doc": text, "format": fmt, "export": export}


@dataclass
class ArticlePage:
    """A fetched HTML page that may be an article: what the spider hands to the pipelines."""

    url: str
    html: str = field(repr=False)  # up to EXTRACT_MAX_HTML_CHARS: never in a log line
    site: str
    fetched_at: str
    discovered_via: str
    listed_date: str | None = None
    lastmod: str | None = None  # the newest date a sitemap or feed gave the URL (evidence of change)
    requested_url: str = ""  # the URL first requested (before redirects): the key of its pending entry
    etag: str | None = None
    last_modified: str | None = None
    signals: PageSignals | None = None  # what the crawl read of the page when it looked for links
    links_followed: bool = False  # the spider followed its links: if no article, a listing to read again


@dataclass
class ArticleRecord:
    """One article, as written to JSONL (fields in this order)."""

    url: str = field(metadata=doc("The URL that was fetched (normalised, after redirects).", fmt="uri"))
    canonical_url: str = field(
        metadata=doc(
            "The article's identity: `<link rel=canonical>` or `og:url` when on the same site, else `url`.",
            fmt="uri",
        )
    )
    title: str | None = field(metadata=doc("The article's headline."))
    body: str = field(repr=False, metadata=doc("The article text; paragraphs separated by a blank line."))
    kicker: str | None = field(
        metadata=doc(
            "The kicker (overline) the headline sets apart in an element of its own (`Golem`, `Basketball-Euroleague`)."
        )
    )
    authors: list[str] = field(
        metadata=doc(
            "Authors as credited, in page order: persons, agencies, the publication when the page credits it;"
            " empty when unknown."
        )
    )
    byline: str | None = field(metadata=doc("The raw byline text the authors came from."))
    date_published: str | None = field(
        metadata=doc(
            "First publication, ISO 8601 with the precision the page gives (a day, or a time with offset)."
        )
    )
    date_modified: str | None = field(metadata=doc("Last modification, ISO 8601, when the page gives one."))
    dateline: str | None = field(
        metadata=doc("The raw dateline opening the body (`BEIJING, Feb 26 (Reuters) -`).")
    )
    dateline_place: str | None = field(metadata=doc("The place the dateline names (`Beijing`)."))
    dateline_agency: str | None = field(metadata=doc("The news agency the dateline names (`Reuters`, `AP`)."))
    site_name: str | None = field(metadata=doc("The publication's name."))
    language: str | None = field(
        metadata=doc(
            "Code of the body's language: ISO 639-1, or ISO 639-3 for a language without one (`haw`)."
        )
    )
    language_score: float | None = field(
        metadata=doc(
            "langdetect's probability for `language`; null when it came from the page's declaration."
        )
    )
    description: str | None = field(
        metadata=doc("The page's summary (`og:description` or meta description).")
    )
    tags: list[str] = field(metadata=doc("Keywords and categories the page gives; empty when none."))
    image: str | None = field(metadata=doc("The article's lead image URL."))
    is_accessible_for_free: bool | None = field(
        metadata=doc("JSON-LD `isAccessibleForFree` of the article; null when the page does not say.")
    )
    paywalled: bool = field(
        metadata=doc(
            "True when the page marks the article as paid or the body ends in a paywall notice (a teaser)."
        )
    )
    word_count: int = field(metadata=doc("Number of words in `body` (a CJK character counts as one word)."))
    content_hash: str = field(metadata=doc("SHA-256 (hex) of the normalised body: equal text, equal hash."))
    fetched_at: str = field(metadata=doc("When the page was fetched: UTC, ISO 8601.", fmt="date-time"))
    first_seen: str = field(
        metadata=doc("When this article was first written by any run sharing the crawl state: UTC, ISO 8601.")
    )
    version: int = field(
        metadata=doc("1 for a new article; +1 each time a later run finds its text changed.")
    )
    duplicate_of: str | None = field(
        metadata=doc(
            "Canonical URL of an earlier article with nearly the same text (when near-duplicates are kept)."
        )
    )
    crawl_id: str = field(metadata=doc("Identifier of the crawl run that wrote the record."))
    schema_version: str = field(metadata=doc("Version of this record's schema."))
    site: str = field(default="", metadata=doc("Name of the crawled site (output folder).", export=False))
    language_hints: list[str] = field(
        default_factory=list, metadata=doc("Languages the page declares, for detection.", export=False)
    )
    is_article: bool = field(
        default=True, metadata=doc("Whether extraction judged the page an article.", export=False)
    )
    requested_url: str = field(
        default="", metadata=doc("The URL first requested (pending key).", export=False)
    )
    lastmod: str | None = field(
        default=None, metadata=doc("The newest date a sitemap or feed gave the URL.", export=False)
    )
    etag: str | None = field(default=None, metadata=doc("The page's ETag header.", export=False))
    last_modified: str | None = field(
        default=None, metadata=doc("The page's Last-Modified header.", export=False)
    )
    javascript_only: bool = field(
        default=False,
        metadata=doc("Whether the page is an app shell whose text scripts render.", export=False),
    )
    nesting_cut: bool = field(
        default=False,
        metadata=doc("Whether the markup nests past the parser's depth limit (text lost).", export=False),
    )
    evidence: dict[str, float] = field(
        default_factory=dict,
        metadata=doc("What article detection weighed for and against an article.", export=False),
    )


SCHEMA_VERSION = "1.3"
SCHEMA_ID = "https://newscrawl.invalid/schema/article.schema.json"

_HINTS = typing.get_type_hints(ArticleRecord)
EXPORTED_FIELDS: tuple[dataclasses.Field[Any], ...] = tuple(
    f for f in dataclasses.fields(ArticleRecord) if f.metadata["export"]
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in EXPORTED_FIELDS)


def json_type(name: str) -> dict[str, Any]:
    """The JSON Schema type of field ``name``, from its Python annotation."""
    hint = _HINTS[name]
    args = typing.get_args(hint)
    nullable = type(None) in args
    base = next((a for a in args if a is not type(None)), hint) if args and nullable else hint
    if typing.get_origin(base) is list:
        return {"type": "array", "items": {"type": "string"}}
    json_name = {str: "string", int: "integer", float: "number", bool: "boolean"}[base]
    return {"type": [json_name, "null"] if nullable else json_name}


def ordered_record(fields: dict[str, Any]) -> dict[str, Any]:
    """The record fields present in ``fields``, in schema order (fields set at crawl time are left out)."""
    return {name: fields[name] for name in FIELD_NAMES if name in fields}


def record_dict(record: ArticleRecord) -> dict[str, Any]:
    """The exported fields of ``record``, in schema order, ready for ``json.dumps``."""
    return {name: getattr(record, name) for name in FIELD_NAMES}


def json_schema() -> dict[str, Any]:
    """Build the JSON Schema (draft 2020-12) of one output line."""
    properties: dict[str, Any] = {}
    for f in EXPORTED_FIELDS:
        prop = json_type(f.name)
        if f.metadata["format"]:
            prop["format"] = f.metadata["format"]
        prop["description"] = f.metadata["doc"]
        properties[f.name] = prop
    properties["schema_version"]["const"] = SCHEMA_VERSION
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "newscrawl article record",
        "type": "object",
        "properties": properties,
        "required": list(FIELD_NAMES),
        "additionalProperties": False,
    }


def json_schema_text() -> str:
    """The JSON Schema exactly as committed in ``crawler/schema/article.schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def field_table() -> str:
    """The record's fields as a Markdown table, as the README shows them."""
    rows = ["| field | type | meaning |", "| --- | --- | --- |"]
    for f in EXPORTED_FIELDS:
        kind = json_type(f.name)["type"]
        shown = " or ".join(kind) if isinstance(kind, list) else kind
        rows.append(f"| `{f.name}` | {shown} | {f.metadata['doc']} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # regenerate: python -m crawler.items > crawler/schema/article.schema.json
    print(json_schema_text(), end="")  # noqa: T201 - command-line output
