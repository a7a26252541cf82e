"""The extraction quality gate's scoring and floor rules, on tiny hand-made inputs (no devset needed)."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from benchmarks import extraction_quality as eq
from benchmarks.quality import corpora
from benchmarks.quality import scoring as sc
from benchmarks.quality.systems import OURS, TRAFILATURA, Extracted

# --------------------------------------------------------------------------- body segments


def test_segments_count_tp_fn_fp_tn() -> None:
    body = "First paragraph about the harbour.\n\nSecond paragraph.\n\nShare on Twitter"
    result = sc.score_segments(
        body, ["about the harbour", "Missing sentence"], ["Share on Twitter", "Impressum"]
    )
    assert result.counts == sc.SegmentCounts(tp=1, fn=1, fp=1, tn=1)
    assert result.missed == ["Missing sentence"]
    assert result.leaked == ["Share on Twitter"]


def test_segments_compare_with_whitespace_normalised_on_both_sides() -> None:
    body = "a segment that spans\n\ntwo   paragraphs"
    assert sc.score_segments(body, ["spans two paragraphs"], []).counts.tp == 1
    assert sc.score_segments("spans two paragraphs", ["spans\n two\tparagraphs"], []).counts.tp == 1


def test_segments_are_case_sensitive() -> None:
    assert sc.score_segments("Hello World", ["hello world"], []).counts.fn == 1


def test_empty_or_missing_body_misses_all_and_leaks_nothing() -> None:
    for body in ("", None):
        counts = sc.score_segments(body, ["a", "b"], ["c"]).counts
        assert counts == sc.SegmentCounts(tp=0, fn=2, fp=0, tn=1)


def test_precision_recall_f1() -> None:
    counts = sc.SegmentCounts(tp=3, fn=1, fp=1, tn=5)
    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.75)
    assert counts.f1 == pytest.approx(0.75)
    assert sc.SegmentCounts().precision is None
    assert sc.SegmentCounts().f1 is None
    assert sc.SegmentCounts(fn=2, fp=1).f1 == 0.0


def test_segment_counts_add() -> None:
    total = sc.SegmentCounts(tp=1, fn=2, fp=3, tn=4)
    total.add(sc.SegmentCounts(tp=1, fn=1, fp=1, tn=1))
    assert total == sc.SegmentCounts(tp=2, fn=3, fp=4, tn=5)


# --------------------------------------------------------------------------- authors


def test_author_exact_joins_with_semicolon() -> None:
    assert sc.author_exact(["Jane Doe", "John Roe"], "Jane Doe; John Roe")
    assert sc.author_exact(["Jane Doe", "John Roe"], ["Jane Doe", "John Roe"])
    assert sc.author_exact(["Jane Doe"], " Jane Doe ")
    assert not sc.author_exact(["John Roe", "Jane Doe"], "Jane Doe; John Roe")  # order matters
    assert not sc.author_exact(["jane doe"], "Jane Doe")  # case matters
    assert not sc.author_exact([], "Jane Doe")


def test_author_exact_takes_trafilatura_string_as_is() -> None:
    assert sc.author_exact("Jane Doe; John Roe", ["Jane Doe", "John Roe"])
    assert not sc.author_exact("Jane Doe, John Roe", "Jane Doe; John Roe")


def test_author_names_ignore_order_case_punctuation_whitespace() -> None:
    assert sc.author_names_match(["John Roe", "jane  doe"], "Jane Doe; John Roe")
    assert sc.author_names_match(["J. R. R. Tolkien"], "J.R.R. Tolkien")
    assert sc.author_names_match(["Jane Doe", "John Roe"], ["JOHN ROE", "Jane Doe"])
    assert not sc.author_names_match(["Jane Doe"], "Jane Doe; John Roe")
    assert not sc.author_names_match(["Jane Doe", "Jane Doe Jr"], "Jane Doe")


def test_author_names_split_string_annotation_on_semicolon_only() -> None:
    assert sc.annotation_names("A B; C D ;") == ["A B", "C D"]
    assert sc.annotation_names(["A B", " "]) == ["A B"]
    assert sc.annotation_names("") == []
    # a comma-separated annotation is one name, as the annotation is written
    assert not sc.author_names_match(["A B", "C D"], "A B, C D")


def test_byline_names_drop_the_label_and_split_at_commas_and_and() -> None:
    assert sc.byline_names("By Jane Doe, John Roe and Ann Lee") == ["Jane Doe", "John Roe", "Ann Lee"]
    assert sc.byline_names("Von Anna Berg und Ben Kwame") == ["Anna Berg", "Ben Kwame"]
    assert sc.byline_names("Written by: Jane Doe") == ["Jane Doe"]
    assert sc.byline_names("Andrew King") == ["Andrew King"]
    assert sc.byline_names("Bylund Stina") == ["Bylund Stina"]  # "By" only as a word
    assert sc.byline_names(None) == []


def test_name_f1_per_page() -> None:
    assert sc.name_f1(["Jane Doe"], ["jane doe"]) == 1.0
    assert sc.name_f1(["Jane Doe", "AP"], ["Jane Doe"]) == pytest.approx(2 / 3)
    assert sc.name_f1([], ["Jane Doe"]) == 0.0
    assert sc.name_f1([], []) == 1.0


# --------------------------------------------------------------------------- dates and titles


def test_date_compares_first_ten_characters() -> None:
    assert sc.date_match("2019-08-02T10:15:00+02:00", "2019-08-02")
    assert sc.date_match("2019-08-02", "2019-08-02")
    assert not sc.date_match("2019-08-03T00:30:00", "2019-08-02")
    assert not sc.date_match("2019-08", "2019-08-02")
    assert not sc.date_match(None, "2019-08-02")


def test_date_annotation_typos_are_repaired() -> None:
    assert sc.annotation_date("2022-11-1") == "2022-11-01"
    assert sc.date_match("2022-11-01T08:00:00", "2022-11-1")
    assert sc.annotation_date("2022-01.26") == "2022-01-26"
    assert sc.annotation_date("2022-29-11") == "2022-11-29"  # year-day-month
    assert sc.annotation_date("2022-11-12") == "2022-11-12"  # ambiguous: left as written
    assert sc.annotation_date("2019") == "2019"


def test_title_exact_and_loose() -> None:
    assert sc.title_exact(" Mit Musiker Voodoo Jürgens in Wien", "Mit Musiker Voodoo Jürgens in Wien ")
    assert not sc.title_exact("mit musiker voodoo jürgens in wien", "Mit Musiker Voodoo Jürgens in Wien")
    assert sc.title_loose("mit musiker voodoo jürgens in wien", "Mit Musiker Voodoo Jürgens in Wien")
    assert sc.title_loose("JSON parsing  simdjson vs JSON", "JSON parsing: simdjson vs. JSON")
    assert sc.title_loose("Alles Neue mach der Mai...", "Alles Neue mach der Mai…")
    assert sc.title_loose("STRASSE", "Straße")  # case folding
    assert not sc.title_loose("JSON parsing", "JSON parsing: simdjson vs. JSON")
    assert not sc.title_exact(None, "A title")
    assert not sc.title_loose(None, "A title")


def test_loose_title_normalisation() -> None:
    assert sc.loose_title("  Hello,\u00a0 World!  ") == "hello world"
    assert sc.name_key("Jean-Luc  O'Neill") == "jeanluconeill"


def test_word_scores_count_lower_cased_words_as_multisets() -> None:
    reference = sc.words("The harbour, the harbour: and the ferry.")
    assert reference == {"the": 3, "harbour": 2, "and": 1, "ferry": 1}
    precision, recall, f1 = sc.word_scores("the Harbour and the ferry. Share this", reference)
    assert precision == pytest.approx(5 / 7)
    assert recall == pytest.approx(5 / 7)
    assert f1 == pytest.approx(5 / 7)
    assert sc.word_scores("", reference) == (0.0, 0.0, 0.0)
    assert sc.word_scores("nothing in common", reference) == (0.0, 0.0, 0.0)


def test_language_compares_primary_subtags() -> None:
    assert sc.language_match("en", "en-US")
    assert sc.language_match("pt", "pt_BR")
    assert not sc.language_match("es", "pt")
    assert not sc.language_match(None, "en")


# --------------------------------------------------------------------------- the split


def test_validation_part_is_a_quarter_by_url_hash() -> None:
    urls = [f"https://example.org/story-{number}" for number in range(2000)]
    parts = [corpora.part_of(url) for url in urls]
    assert parts == [corpora.part_of(url) for url in urls]  # stable
    assert 0.2 < parts.count(corpora.VALIDATION) / len(urls) < 0.3
    assert set(parts) == {corpora.TUNING, corpora.VALIDATION}


def test_part_rule_is_the_sha256_of_the_url_modulo_4() -> None:
    for url in ("https://example.org/a", "https://example.org/b", "https://example.org/c"):
        divisible = int(hashlib.sha256(url.encode()).hexdigest(), 16) % 4 == 0
        assert (corpora.part_of(url) == corpora.VALIDATION) is divisible


# --------------------------------------------------------------------------- corpora


def _gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode()))


def _url_in(part: str) -> str:
    return next(url for n in range(100) if corpora.part_of(url := f"https://example.org/{n}") == part)


def _tiny_corpora(root: Path) -> dict[str, Path]:
    """A devset (one validation page), a WCXB (an article and a listing) and a Readability folder (one page)."""
    devset, wcxb, readability = root / "devset", root / "wcxb-dev", root / "readability"
    _gz(devset / "html" / "page.html.gz", "<html><body><p>x</p></body></html>")
    annotation = {"file": "page.html", "with": ["kept"], "without": ["junk"], "author": "Jane Doe"}
    (devset / "evaldata.json").write_text(
        json.dumps({_url_in(corpora.VALIDATION): annotation}), encoding="utf-8"
    )
    for number, kind in (("0001", "article"), ("0002", "listing")):
        truth = {
            "title": "Harbour ferry returns",
            "author": "Jane Doe and John Roe",
            "publish_date": "2025-09-04",
            "main_content": "The ferry returns to the harbour.",
            "with": ["ferry returns"],
            "without": ["Login"],
        }
        record = {"url": f"https://news.example/{number}", "_internal": {"page_type": {"primary": kind}}}
        (wcxb / "ground-truth").mkdir(parents=True, exist_ok=True)
        (wcxb / "ground-truth" / f"{number}.json").write_text(
            json.dumps(record | {"ground_truth": truth}), encoding="utf-8"
        )
        _gz(wcxb / "html" / f"{number}.html.gz", "<html><body><p>x</p></body></html>")
    page = readability / "pages" / "bbc-1"
    _gz(
        page / "source.html.gz",
        '<html><head><link rel="canonical" href="https://bbc.example/story"></head></html>',
    )
    _gz(page / "expected.html.gz", "<div><p>The ferry</p><p>returns.</p></div>")
    metadata = {
        "title": "Ferry",
        "byline": "By Jane Doe",
        "lang": "en",
        "publishedTime": "2025-09-04T08:00:00Z",
    }
    (page / "expected-metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return {"devset": devset, "wcxb": wcxb, "readability": readability}


def test_corpora_are_read_with_their_labels_and_parts(tmp_path: Path) -> None:
    folders = _tiny_corpora(tmp_path)
    (devset_page,) = corpora.load(corpora.DEVSET, folders["devset"])
    assert devset_page.labels["author"] == "Jane Doe"
    assert devset_page.part == corpora.VALIDATION
    assert devset_page.html() == b"<html><body><p>x</p></body></html>"
    article, listing = corpora.load(corpora.WCXB, folders["wcxb"])
    assert (article.is_article, listing.is_article) == (True, False)
    assert article.labels["date"] == "2025-09-04"
    (readability_page,) = corpora.load(corpora.READABILITY, folders["readability"])
    assert readability_page.url == "https://bbc.example/story"  # the page's canonical URL
    assert readability_page.part == corpora.VALIDATION
    assert readability_page.labels["main_content"] == "The ferry returns."
    assert readability_page.labels["date"] == "2025-09-04"


def test_bundled_pages_are_labelled_and_exist() -> None:
    pages = list(corpora.bundled_pages())
    assert {page.page_type for page in pages} == {"article", "listing", "service"}
    assert all(page.path.is_file() for page in pages)
    home = next(page for page in pages if page.key == "tests/site/index.html")
    assert (home.url, home.page_type) == ("https://demo.newscrawl.invalid/", "listing")


def test_corpus_folders_from_options_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(corpora.DEVSET_ENV, str(tmp_path))
    assert corpora.resolve_devset(None) == tmp_path
    assert corpora.resolve_devset("/elsewhere").as_posix() == "/elsewhere"
    monkeypatch.delenv(corpora.DEVSET_ENV)
    assert corpora.resolve_devset(None) == corpora.DEFAULT_DEVSET
    monkeypatch.setenv("NEWSCRAWL_WCXB", str(tmp_path))
    assert corpora.resolve(corpora.WCXB) == tmp_path


# --------------------------------------------------------------------------- per-page scoring


def _page(corpus: str, page_type: str = "article", **labels: object) -> corpora.Page:
    return corpora.Page(
        corpus, "k", "https://example.org/k", corpora.TUNING, page_type, Path("k"), dict(labels)
    )


def test_devset_page_values() -> None:
    page = _page(
        "devset",
        **{
            "with": ["kept text"],
            "without": ["Impressum"],
            "author": "Jane Doe; John Roe",
            "date": "2020-01-27",
            "title": "A Title",
        },
    )
    got = Extracted(
        kept=True, title="A title", body="kept text\n\nImpressum", authors=["John Roe", "Jane Doe"]
    )
    values, notes = eq.page_values(page, got)
    assert values["kept"] is True
    assert values["body"] == sc.SegmentCounts(tp=1, fp=1)
    assert notes["leaked"] == ["Impressum"]
    assert (values["author_exact"], values["author_names"]) == (False, True)
    assert values["date_day"] is False
    assert (values["title_exact"], values["title_loose"]) == (False, True)


def test_trafilatura_author_string_is_compared_as_is_for_exact() -> None:
    page = _page("devset", **{"with": [], "without": [], "author": ["Jane Doe", "John Roe"]})
    got = Extracted(kept=True, authors=["Jane Doe", "John Roe"], author_string="Jane Doe; John Roe")
    assert eq.page_values(page, got)[0]["author_exact"] is True


def test_wcxb_article_values_and_a_miss_counts_as_empty() -> None:
    page = _page(
        "wcxb",
        title="Ferry",
        authors="Jane Doe and John Roe",
        date="2025-09-04",
        main_content="The ferry returns.",
        **{"with": ["ferry returns"], "without": ["Login"]},
    )
    got = Extracted(
        kept=True, title="Ferry", body="The ferry returns. Login", authors=["Jane Doe"], date="2025-09-04"
    )
    values, _ = eq.page_values(page, got)
    assert values["body_recall"] == 1.0
    assert values["body_precision"] == pytest.approx(3 / 4)
    assert values["body_f1_kept"] == values["body_f1"]
    assert values["snippets"] == sc.SegmentCounts(tp=1, fp=1)
    assert values["author_f1"] == pytest.approx(2 / 3)
    assert values["date_day"] is True
    missed, _ = eq.page_values(page, Extracted())
    assert (missed["kept"], missed["body_f1"], missed["title_loose"]) == (False, 0.0, False)
    assert "body_f1_kept" not in missed


def test_a_page_that_is_no_article_must_be_rejected() -> None:
    values, _ = eq.page_values(_page("wcxb", "listing"), Extracted(kept=True, body="Latest news"))
    assert values == {"rejected": False, "rejected_listing": False}
    values, _ = eq.page_values(_page("readability", "not readerable"), Extracted())
    assert values == {"rejected": True, "rejected_not_readerable": True}


def test_tallies_add_ratios_means_and_segments() -> None:
    tally = eq.Tally()
    tally.add({"kept": True, "body_f1": 0.5, "body": sc.SegmentCounts(tp=3, fp=1)})
    tally.add({"kept": False, "body_f1": 1.0, "body": sc.SegmentCounts(fn=1)})
    metrics = tally.metrics()
    assert metrics["kept"] == 0.5
    assert metrics["body_f1"] == pytest.approx(0.75)
    assert metrics["body_precision"] == pytest.approx(0.75)
    assert tally.cell("kept") == "0.500 (1/2)"
    assert tally.cell("title_exact") == "n/a"


# --------------------------------------------------------------------------- floors


def test_floor_values() -> None:
    assert eq.floor_value("devset/validation/body_f1", 0.91279) == pytest.approx(0.907)
    assert eq.floor_value("devset/validation/body_f1", 0.003) == 0.0
    assert eq.floor_value("speed_ratio", 0.8) == pytest.approx(0.4)


def test_floors_are_pinned_from_validation_parts_only() -> None:
    values = {
        "devset/tuning/body_f1": 0.95,
        "devset/validation/body_f1": 0.9,
        "devset/validation/author_exact": None,
        "sites/bundled/kept": 1.0,
        "speed_ratio": 0.8,
    }
    assert eq.make_floors(values) == {
        "devset/validation/body_f1": pytest.approx(0.895),
        "sites/bundled/kept": pytest.approx(0.995),
        "speed_ratio": pytest.approx(0.4),
    }


def test_check_floors_passes_at_or_above_floor() -> None:
    assert (
        eq.check_floors(
            {"a/validation/b": 0.9, "speed_ratio": 0.5}, {"a/validation/b": 0.9, "speed_ratio": 0.4}
        )
        == []
    )


def test_check_floors_lists_every_failure() -> None:
    values = {
        "a/validation/f1": 0.85,
        "a/validation/date": 0.7,
        "a/validation/title": 0.9,
        "speed_ratio": 0.2,
        "a/validation/author": None,
    }
    floors = {
        "a/validation/f1": 0.9,
        "a/validation/date": 0.75,
        "a/validation/title": 0.5,
        "speed_ratio": 0.3,
        "a/validation/author": 0.5,
        "renamed/validation/metric": 0.1,
    }
    failures = eq.check_floors(values, floors)
    assert len(failures) == 5
    assert failures[0] == "a/validation/f1: 0.850 < floor 0.900"
    assert any(f.startswith("speed_ratio") for f in failures)
    assert sum("not measured" in f for f in failures) == 2


def test_check_floors_skips_unmeasured_values_in_partial_runs() -> None:
    values = {"a/validation/f1": 0.95, "a/validation/author": None}
    floors = {"a/validation/f1": 0.9, "a/validation/author": 0.5, "b/validation/f1": 0.1}
    assert eq.check_floors(values, floors, partial=True) == []
    assert eq.check_floors({"a/validation/f1": 0.5}, floors, partial=True) == [
        "a/validation/f1: 0.500 < floor 0.900"
    ]


# --------------------------------------------------------------------------- command line


def test_missing_corpora_exit_zero_with_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nowhere = str(tmp_path / "nowhere")
    argv = ["--devset", nowhere, "--wcxb", nowhere, "--readability", nowhere, "--check"]
    assert eq.main(argv) == 0
    assert "no annotated corpus found" in capsys.readouterr().out


def test_check_fails_below_floor_on_tiny_corpora(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole run, in this process, with both systems replaced by stubs: --check fails and names the value."""
    folders = _tiny_corpora(tmp_path)
    runners = {
        OURS: lambda html, url: Extracted(kept=True, body="junk"),
        TRAFILATURA: lambda html, url: Extracted(kept=True, body="kept. The ferry returns"),
    }
    monkeypatch.setattr("benchmarks.quality.systems.RUNNERS", runners)
    floors = tmp_path / "floors.json"
    floors.write_text(
        json.dumps({"devset/validation/body_recall": 0.5, "devset/validation/kept": 0.5}), encoding="utf-8"
    )
    out = tmp_path / "out.json"
    argv = [f"--{name}={folder}" for name, folder in folders.items()]
    argv += ["--floors", str(floors), "--jobs", "1", "--quiet", "--corpus", "devset", "wcxb", "readability"]
    assert eq.main([*argv, "--check", "--json", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "devset/validation/body_recall: 0.000 < floor 0.500" in printed
    assert "| body recall | 0.000 | 1.000 |" in printed
    assert "| articles kept | wcxb |" in printed
    details = json.loads(out.read_text(encoding="utf-8"))
    assert details["pages"][0]["newscrawl"]["leaked"] == ["junk"]
    assert details["values"][TRAFILATURA]["devset/validation/body_recall"] == 1.0
    assert eq.main([*argv, "--write-floors"]) == 0
    written = json.loads(floors.read_text(encoding="utf-8"))
    assert all(name == "speed_ratio" or name.split("/")[1] == corpora.VALIDATION for name in written)
    assert written["readability/validation/kept"] == 0.995
