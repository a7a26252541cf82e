"""The record's single definition, its committed JSON Schema and the README's field table agree."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from crawler.items import FIELD_NAMES, field_table, json_schema, json_schema_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "crawler" / "schema" / "article.schema.json"


def test_committed_schema_is_generated_from_the_record() -> None:
    assert SCHEMA_FILE.read_text("utf-8") == json_schema_text(), "run: python -m crawler.items > " + str(
        SCHEMA_FILE
    )


def test_schema_is_valid_and_requires_every_field() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == list(FIELD_NAMES)
    assert FIELD_NAMES[:4] == ("url", "canonical_url", "title", "body")
    assert "site" not in FIELD_NAMES  # internal fields are not written


def test_schema_rejects_mixed_types() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text("utf-8")))
    record = dict.fromkeys(FIELD_NAMES)
    record.update(
        url="https://x.example/a",
        canonical_url="https://x.example/a",
        body="Text.",
        authors=[],
        tags=[],
        word_count=1,
        paywalled=False,
        version=1,
        first_seen="2026-11-26T07:00:00+00:00",
        content_hash="0" * 64,
        fetched_at="2026-11-26T07:00:00+00:00",
        crawl_id="c",
        schema_version=json_schema()["properties"]["schema_version"]["const"],
    )
    assert not list(validator.iter_errors(record))
    assert list(validator.iter_errors({**record, "authors": "Jane Doe"}))
    assert list(validator.iter_errors({**record, "word_count": None}))
    assert list(validator.iter_errors({**record, "extra": 1}))


def test_readme_field_table_is_current() -> None:
    assert field_table() in (ROOT / "README.md").read_text("utf-8")
