"""The output record: its fields, their JSON types and documentation, in one place.

Everything that describes an article record (the item class, the JSON Schema in
``crawler/schema/article.schema.json``, the field order of the JSONL writer and the README's
field table) is derived from :data:`FIELDS`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "https://newscrawl.invalid/schema/article.schema.json"


@dataclass(frozen=True)
class Field:
    """One record field: its name, JSON type, whether it may be null, and what it holds."""

    name: str
    json_type: str  # "string", "integer" or "array" (of strings)
    nullable: bool
    doc: str
    format: str | None = None


FIELDS: tuple[Field, ...] = (
    Field("url", "string", False, "The URL that was fetched (after normalisation and redirects).", "uri"),
    Field(
        "canonical_url",
        "string",
        False,
        "The article's identity: `<link rel=canonical>` or `og:url` when on the same site, else `url`.",
        "uri",
    ),
    Field("title", "string", True, "The article's headline."),
    Field("body", "string", False, "The article text; paragraphs separated by a blank line."),
    Field("authors", "array", False, "Author names, in page order; empty when unknown."),
    Field("byline", "string", True, "The raw byline text the authors came from."),
    Field(
        "date_published",
        "string",
        True,
        "First publication, ISO 8601 with the precision the page gives (a day, or a time with offset).",
    ),
    Field("date_modified", "string", True, "Last modification, ISO 8601, when the page gives one."),
    Field("dateline", "string", True, "The raw dateline opening the body (`BEIJING, Feb 26 (Reuters) -`)."),
    Field("site_name", "string", True, "The publication's name."),
    Field("language", "string", True, "ISO 639-1 code of the body's language."),
    Field("description", "string", True, "The page's summary (`og:description` or meta description)."),
    Field("tags", "array", False, "Keywords and categories the page gives; empty when none."),
    Field("image", "string", True, "The article's lead image URL."),
    Field("word_count", "integer", False, "Number of words in `body` (CJK characters count one each)."),
    Field("content_hash", "string", False, "SHA-256 (hex) of the normalised body; equal text, equal hash."),
    Field("fetched_at", "string", False, "When the page was fetched, UTC, ISO 8601.", "date-time"),
    Field("crawl_id", "string", False, "Identifier of the crawl run that wrote the record."),
    Field("schema_version", "string", False, "Version of this record schema."),
)

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)


def empty_record() -> dict[str, Any]:
    """Return a record with every field present and unknown (null, or an empty list)."""
    return {field.name: [] if field.json_type == "array" else None for field in FIELDS}


def ordered_record(values: dict[str, Any]) -> dict[str, Any]:
    """Return ``values`` restricted to the record's fields, in the record's field order."""
    record = empty_record()
    record.update({name: values[name] for name in FIELD_NAMES if name in values})
    return record


def json_schema() -> dict[str, Any]:
    """Build the JSON Schema (draft 2020-12) of one output line."""
    properties: dict[str, Any] = {}
    for field in FIELDS:
        prop: dict[str, Any]
        if field.json_type == "array":
            prop = {"type": "array", "items": {"type": "string"}}
        else:
            prop = {"type": [field.json_type, "null"] if field.nullable else field.json_type}
        if field.format:
            prop["format"] = field.format
        prop["description"] = field.doc
        properties[field.name] = prop
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
    """The JSON Schema as committed in ``crawler/schema/article.schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
