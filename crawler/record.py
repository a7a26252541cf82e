"""The output record's derived forms: field order, empty values and the JSON Schema.

The fields themselves are defined once, on :class:`crawler.items.ArticleRecord`.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

from crawler.items import ArticleRecord

SCHEMA_VERSION = "1.2"
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


if __name__ == "__main__":  # regenerate: python -m crawler.record > crawler/schema/article.schema.json
    print(json_schema_text(), end="")  # noqa: T201 - command-line output
