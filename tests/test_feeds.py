"""Feed exports (-o, -O, FEEDS) write the record as the JSONL writer does: its fields, in its order."""

from __future__ import annotations

import csv
import json
import marshal
import pickle
from typing import TYPE_CHECKING, Any

from lxml import etree

from crawler.items import FIELD_NAMES
from tests.conftest import run_crawl

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.demo.server import LocalSite

FORMATS = ("json", "jsonlines", "jl", "csv", "xml", "marshal", "pickle")


def _loaded(path: Path, load: Any) -> list[dict[str, Any]]:
    records = []
    with path.open("rb") as file:
        while True:
            try:
                records.append(load(file))
            except EOFError:
                return records


def read_feed(path: Path, feed_format: str) -> list[dict[str, Any]]:
    """The records of one feed file, as Python values where the format keeps them (CSV and XML: text)."""
    if feed_format == "json":
        return list(json.loads(path.read_text("utf-8")))
    if feed_format in {"jsonlines", "jl"}:
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    if feed_format == "csv":
        with path.open(newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            assert reader.fieldnames == list(FIELD_NAMES)
            return list(reader)
    if feed_format == "xml":
        items = etree.parse(str(path)).getroot()
        return [{child.tag: child for child in item} for item in items]
    return _loaded(path, marshal.load if feed_format == "marshal" else pickle.load)


def test_every_feed_format_gives_the_record_fields_in_order(test_site: LocalSite, tmp_path: Path) -> None:
    feeds = {str(tmp_path / f"feeds/articles.{name}"): {"format": name} for name in FORMATS}
    feeds[str(tmp_path / "batches/articles-%(batch_id)d.jsonl")] = {
        "format": "jsonlines",
        "batch_item_count": 4,
    }
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", settings={"FEEDS": json.dumps(feeds)})
    assert result.returncode == 0, result.log[-3000:]
    written = result.records()  # the JSONL writer's
    assert len(written) == 9
    assert all(list(record) == list(FIELD_NAMES) for record in written)

    for name in ("json", "jsonlines", "jl", "marshal", "pickle"):
        exported = read_feed(tmp_path / f"feeds/articles.{name}", name)
        assert exported == written, name  # the same values, and dicts keep their key order
        assert all(list(record) == list(FIELD_NAMES) for record in exported), name
    rows = read_feed(tmp_path / "feeds/articles.csv", "csv")
    assert [row["url"] for row in rows] == [record["url"] for record in written]
    assert [row["body"] for row in rows] == [record["body"] for record in written]
    assert [row["authors"] for row in rows] == [",".join(record["authors"]) for record in written]
    items = read_feed(tmp_path / "feeds/articles.xml", "xml")
    assert [list(item) for item in items] == [list(FIELD_NAMES)] * len(written)
    assert [item["title"].text for item in items] == [record["title"] for record in written]
    assert [[v.text for v in item["tags"]] for item in items] == [record["tags"] for record in written]

    batches = sorted((tmp_path / "batches").iterdir())
    assert [path.name for path in batches] == ["articles-1.jsonl", "articles-2.jsonl", "articles-3.jsonl"]
    assert [len(read_feed(path, "jl")) for path in batches] == [4, 4, 1]
    assert [record for path in batches for record in read_feed(path, "jl")] == written


def test_o_on_the_command_line(test_site: LocalSite, tmp_path: Path) -> None:
    feed = tmp_path / "articles.jsonl"
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", "-O", str(feed))
    assert result.returncode == 0, result.log[-3000:]
    assert read_feed(feed, "jsonlines") == result.records()
