"""The extraction quality gate's scoring and floor rules, on tiny hand-made inputs (no devset needed)."""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING

import pytest

from benchmarks import extraction_quality as eq

if TYPE_CHECKING:
    from pathlib import Path


# --------------------------------------------------------------------------- body segments


def test_segments_count_tp_fn_fp_tn() -> None:
    body = "First paragraph about the harbour.\n\nSecond paragraph.\n\nShare on Twitter"
    result = eq.score_segments(
        body, ["about the harbour", "Missing sentence"], ["Share on Twitter", "Impressum"]
    )
    assert result.counts == eq.SegmentCounts(tp=1, fn=1, fp=1, tn=1)
    assert result.missed == ["Missing sentence"]
    assert result.leaked == ["Share on Twitter"]


def test_segments_compare_with_whitespace_normalised_on_both_sides() -> None:
    body = "a segment that spans\n\ntwo   paragraphs"
    assert eq.score_segments(body, ["spans two paragraphs"], []).counts.tp == 1
    assert eq.score_segments("spans two paragraphs", ["spans\n two\tparagraphs"], []).counts.tp == 1


def test_segments_are_case_sensitive() -> None:
    assert eq.score_segments("Hello World", ["hello world"], []).counts.fn == 1


def test_empty_or_missing_body_misses_all_and_leaks_nothing() -> None:
    for body in ("", None):
        counts = eq.score_segments(body, ["a", "b"], ["c"]).counts
        assert counts == eq.SegmentCounts(tp=0, fn=2, fp=0, tn=1)


def test_precision_recall_f1() -> None:
    counts = eq.SegmentCounts(tp=3, fn=1, fp=1, tn=5)
    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.75)
    assert counts.f1 == pytest.approx(0.75)
    assert eq.SegmentCounts().precision is None
    assert eq.SegmentCounts().f1 is None
    assert eq.SegmentCounts(fn=2, fp=1).f1 == 0.0


def test_segment_counts_add() -> None:
    total = eq.SegmentCounts(tp=1, fn=2, fp=3, tn=4)
    total.add(eq.SegmentCounts(tp=1, fn=1, fp=1, tn=1))
    assert total == eq.SegmentCounts(tp=2, fn=3, fp=4, tn=5)


# --------------------------------------------------------------------------- authors


def test_author_exact_joins_with_semicolon() -> None:
    assert eq.author_exact(["Jane Doe", "John Roe"], "Jane Doe; John Roe")
    assert eq.author_exact(["Jane Doe", "John Roe"], ["Jane Doe", "John Roe"])
    assert eq.author_exact(["Jane Doe"], " Jane Doe ")
    assert not eq.author_exact(["John Roe", "Jane Doe"], "Jane Doe; John Roe")  # order matters
    assert not eq.author_exact(["jane doe"], "Jane Doe")  # case matters
    assert not eq.author_exact([], "Jane Doe")


def test_author_exact_takes_trafilatura_string_as_is() -> None:
    assert eq.author_exact("Jane Doe; John Roe", ["Jane Doe", "John Roe"])
    assert not eq.author_exact("Jane Doe, John Roe", "Jane Doe; John Roe")


def test_author_names_ignore_order_case_punctuation_whitespace() -> None:
    assert eq.author_names_match(["John Roe", "jane  doe"], "Jane Doe; John Roe")
    assert eq.author_names_match(["J. R. R. Tolkien"], "J.R.R. Tolkien")
    assert eq.author_names_match(["Jane Doe", "John Roe"], ["JOHN ROE", "Jane Doe"])
    assert not eq.author_names_match(["Jane Doe"], "Jane Doe; John Roe")
    assert not eq.author_names_match(["Jane Doe", "Jane Doe Jr"], "Jane Doe")


def test_author_names_split_string_annotation_on_semicolon_only() -> None:
    assert eq.annotation_names("A B; C D ;") == ["A B", "C D"]
    assert eq.annotation_names(["A B", " "]) == ["A B"]
    assert eq.annotation_names("") == []
    # a comma-separated annotation is one name, as the annotation is written
    assert not eq.author_names_match(["A B", "C D"], "A B, C D")


def test_trafilatura_author_string_splits_on_semicolon() -> None:
    assert eq.trafilatura_authors("Jane Doe; John Roe") == ["Jane Doe", "John Roe"]
    assert eq.trafilatura_authors(None) == []


# --------------------------------------------------------------------------- dates and titles


def test_date_compares_first_ten_characters() -> None:
    assert eq.date_match("2019-08-02T10:15:00+02:00", "2019-08-02")
    assert eq.date_match("2019-08-02", "2019-08-02")
    assert not eq.date_match("2019-08-03T00:30:00", "2019-08-02")
    assert not eq.date_match("2019-08", "2019-08-02")
    assert not eq.date_match(None, "2019-08-02")


def test_date_annotation_typos_are_repaired() -> None:
    assert eq.annotation_date("2022-11-1") == "2022-11-01"
    assert eq.date_match("2022-11-01T08:00:00", "2022-11-1")
    assert eq.annotation_date("2022-01.26") == "2022-01-26"
    assert eq.annotation_date("2022-29-11") == "2022-11-29"  # year-day-month
    assert eq.annotation_date("2022-11-12") == "2022-11-12"  # ambiguous: left as written
    assert eq.annotation_date("2019") == "2019"


def test_title_exact_and_loose() -> None:
    assert eq.title_exact(" Mit Musiker Voodoo Jürgens in Wien", "Mit Musiker Voodoo Jürgens in Wien ")
    assert not eq.title_exact("mit musiker voodoo jürgens in wien", "Mit Musiker Voodoo Jürgens in Wien")
    assert eq.title_loose("mit musiker voodoo jürgens in wien", "Mit Musiker Voodoo Jürgens in Wien")
    assert eq.title_loose("JSON parsing  simdjson vs JSON", "JSON parsing: simdjson vs. JSON")
    assert eq.title_loose("Alles Neue mach der Mai...", "Alles Neue mach der Mai…")
    assert eq.title_loose("STRASSE", "Straße")  # case folding
    assert not eq.title_loose("JSON parsing", "JSON parsing: simdjson vs. JSON")
    assert not eq.title_exact(None, "A title")
    assert not eq.title_loose(None, "A title")


def test_loose_title_normalisation() -> None:
    assert eq.loose_title("  Hello,\u00a0 World!  ") == "hello world"
    assert eq.name_key("Jean-Luc  O'Neill") == "jeanluconeill"


# --------------------------------------------------------------------------- per-page scoring


def test_score_page_accumulates_and_reports_failures() -> None:
    annotation = {
        "with": ["kept text"],
        "without": ["Impressum"],
        "author": "Jane Doe; John Roe",
        "date": "2020-01-27",
        "title": "A Title",
    }
    score = eq.SystemScore()
    page = eq.Extracted(title="A title", body="kept text\n\nImpressum", authors=["John Roe", "Jane Doe"])
    details = eq.score_page(score, page, annotation, 0.5)
    assert details["leaked"] == ["Impressum"]
    assert details["author_exact"] is False
    assert details["author_names"] is True
    assert details["date_ok"] is False
    assert (details["title_exact"], details["title_loose"]) == (False, True)
    eq.score_page(score, eq.Extracted(is_article=False), {"with": ["x"], "without": [], "author": ""}, 1.5)
    metrics = score.metrics()
    assert metrics["body_precision"] == pytest.approx(0.5)
    assert metrics["body_recall"] == pytest.approx(0.5)
    assert metrics["author_exact"] == 0.0
    assert score.author_names.total == 1  # the empty annotation is not counted
    assert score.pages_per_second == pytest.approx(1.0)
    assert score.not_articles == 1


def test_score_page_uses_trafilatura_author_string_for_exact() -> None:
    score = eq.SystemScore()
    page = eq.Extracted(authors=["Jane Doe", "John Roe"], author_string="Jane Doe; John Roe")
    details = eq.score_page(score, page, {"with": [], "without": [], "author": ["Jane Doe", "John Roe"]}, 0.1)
    assert details["author_exact"] is True


# --------------------------------------------------------------------------- floors


def test_floor_values() -> None:
    assert eq.floor_value("body_f1", 0.91279) == pytest.approx(0.907)
    assert eq.floor_value("body_f1", 0.003) == 0.0
    assert eq.floor_value("speed_ratio", 0.8) == pytest.approx(0.4)
    assert eq.make_floors({"body_f1": 0.9, "author_exact": None}) == {"body_f1": pytest.approx(0.895)}


def test_check_floors_passes_at_or_above_floor() -> None:
    assert eq.check_floors({"body_f1": 0.9, "speed_ratio": 0.5}, {"body_f1": 0.9, "speed_ratio": 0.4}) == []


def test_check_floors_lists_every_failure() -> None:
    values = {"body_f1": 0.85, "date_day": 0.7, "title_exact": 0.9, "speed_ratio": 0.2, "author_exact": None}
    floors = {
        "body_f1": 0.9,
        "date_day": 0.75,
        "title_exact": 0.5,
        "speed_ratio": 0.3,
        "author_exact": 0.5,
        "no_such_metric": 0.1,
    }
    failures = eq.check_floors(values, floors)
    assert len(failures) == 5
    assert failures[0].startswith("body_f1: 0.850 < floor 0.900")
    assert any(f.startswith("date_day") for f in failures)
    assert any(f.startswith("speed_ratio") for f in failures)
    assert any("not measured" in f for f in failures)
    assert any("unknown metric" in f for f in failures)


def test_check_floors_can_skip_unmeasured_metrics_in_partial_runs() -> None:
    values = {"body_f1": 0.95, "author_exact": None}
    floors = {"body_f1": 0.9, "author_exact": 0.5, "no_such_metric": 0.1}
    assert eq.check_floors(values, floors, allow_unmeasured=True) == [
        "no_such_metric: unknown metric (floor 0.1)"
    ]


# --------------------------------------------------------------------------- command line


def test_missing_devset_exits_zero_with_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert eq.main(["--devset", str(tmp_path / "nowhere"), "--check"]) == 0
    assert "devset not found" in capsys.readouterr().out


def test_devset_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(eq.DEVSET_ENV, str(tmp_path))
    assert eq.resolve_devset(None) == tmp_path
    assert eq.resolve_devset("/elsewhere").as_posix() == "/elsewhere"
    monkeypatch.delenv(eq.DEVSET_ENV)
    assert eq.resolve_devset(None) == eq.DEFAULT_DEVSET


def test_check_fails_below_floor_on_a_tiny_devset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole run, with both systems replaced by stubs: --check fails and names the metric."""
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "page.html.gz").write_bytes(gzip.compress(b"<html><body><p>x</p></body></html>"))
    annotations = {"https://example.org/a": {"file": "page.html", "with": ["kept"], "without": ["junk"]}}
    (tmp_path / "evaldata.json").write_text(json.dumps(annotations), encoding="utf-8")
    monkeypatch.setattr(eq, "run_ours", lambda html, url: eq.Extracted(body="junk"))
    monkeypatch.setattr(eq, "run_trafilatura", lambda html, url: eq.Extracted(body="kept"))
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"body_recall": 0.5}), encoding="utf-8")
    out = tmp_path / "out.json"
    status = eq.main(
        ["--devset", str(tmp_path), "--floors", str(floors), "--check", "--quiet", "--json", str(out)]
    )
    printed = capsys.readouterr().out
    assert status == 1
    assert "body_recall: 0.000 < floor 0.500" in printed
    assert "| body recall | 0.000 (0/1) | 1.000 (1/1) |" in printed
    assert json.loads(out.read_text(encoding="utf-8"))["pages"][0]["ours"]["leaked"] == ["junk"]
    floors.write_text(json.dumps({"body_recall": 0.0}), encoding="utf-8")
    assert eq.main(["--devset", str(tmp_path), "--floors", str(floors), "--check", "--quiet"]) == 0
    assert eq.main(["--devset", str(tmp_path), "--floors", str(floors), "--write-floors", "--quiet"]) == 0
    assert json.loads(floors.read_text(encoding="utf-8"))["body_recall"] == 0.0
