"""Hostile pages: broken, binary, mislabelled, huge, deeply nested, script-only, and in every legacy encoding.

Each case ends in a written article with the right text, or a logged reason and a counter: never a
crash, a hang, runaway memory or an empty article. The extraction functions are tested directly, and
one real crawl of a ``PageServer`` serving every case with its exact headers checks the whole path.
"""

from __future__ import annotations

import random
import re
import time
from typing import TYPE_CHECKING

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.drops import JavaScriptOnly, MarkupTooDeep
from crawler.extract import extract_page
from crawler.fetch.charset import html_charset
from crawler.fetch.sniff import sniff_page
from crawler.items import ArticlePage, ArticleRecord
from pipelines.validate import ValidatePipeline
from tests.conftest import WORDS, run_crawl
from tests.hostile.page_server import Page, PageServer
from tests.test_pipelines import record

if TYPE_CHECKING:
    from pathlib import Path

# A few real sentences per language, each in the legacy encoding its sites used.
TEXTS = {
    "zh-CN": (
        "北京地铁新线年底通车",
        "北京市政府周二宣布，将在明年年底前完成城市地铁网络的扩建工程。新线路将连接机场与市中心，预计每天可运送乘客超过五十万人次。",
        "市民普遍对这一计划表示欢迎，但也有人担心施工期间的交通拥堵问题。有关部门表示，将采取措施减少对周边居民生活的影响。",
    ),
    "zh-TW": (
        "台北捷運新線年底通車",
        "台北市政府週二宣布，將在明年年底前完成捷運路網的擴建工程。新路線將連接機場與市中心，預計每天可載運旅客超過五十萬人次。",
        "市民普遍歡迎這項計畫，但也有人擔心施工期間的交通壅塞問題。相關單位表示，將採取措施減少對周邊居民生活的影響。",
    ),
    "ja": (
        "東京の地下鉄、新路線が年末に開業",
        "東京都は火曜日、来年末までに地下鉄網の延伸工事を完了すると発表した。新しい路線は空港と都心を結び、一日あたり五十万人以上の乗客を運ぶ見込みだ。",
        "多くの市民はこの計画を歓迎しているが、工事中の交通渋滞を心配する声もある。担当者は、周辺住民への影響を最小限に抑えると述べた。",
    ),
    "ko": (
        "서울 지하철 새 노선 연말 개통",
        "서울시는 화요일 내년 말까지 지하철 노선 연장 공사를 마무리하겠다고 발표했다. 새 노선은 공항과 도심을 연결하며 하루 오십만 명 이상의 승객을 수송할 것으로 예상된다.",
        "시민들은 대체로 이 계획을 환영했지만 공사 기간 중 교통 체증을 걱정하는 목소리도 있다. 관계자는 주변 주민들의 불편을 최소화하겠다고 밝혔다.",
    ),
    "ru": (
        "Новая линия метро откроется в конце года",
        "Городские власти во вторник объявили, что к концу следующего года завершат строительство новой линии метро. Новая линия соединит аэропорт с центром города и будет ежедневно перевозить более полумиллиона пассажиров.",
        "Жители в целом приветствуют этот план, однако некоторые опасаются пробок во время строительства. В мэрии пообещали свести неудобства для жителей соседних домов к минимуму.",
    ),
    "fr": (
        "Le nouveau tramway sera achevé à la fin de l'année",
        "La municipalité a annoncé mardi que les travaux du nouveau tramway seront achevés à la fin de l'année prochaine. La ligne reliera l'aéroport au centre-ville et transportera plus de cinquante mille voyageurs par jour.",
        "Les habitants saluent ce projet, même si certains s'inquiètent des embouteillages pendant le chantier. La mairie promet de réduire la gêne pour les riverains et les commerçants du quartier.",
    ),
    "de": (
        "Neue Straßenbahnlinie soll Ende nächsten Jahres fahren",
        "Die Stadtverwaltung kündigte am Dienstag an, dass die neue Straßenbahnlinie bis Ende nächsten Jahres fertiggestellt wird. Die Strecke verbindet den Flughafen mit der Innenstadt und soll täglich mehr als fünfzigtausend Fahrgäste befördern.",
        "Viele Bürger begrüßen das Vorhaben, doch einige fürchten Staus während der Bauarbeiten. Die Stadt verspricht, die Belastung für Anwohner und Geschäfte so gering wie möglich zu halten.",
    ),
}
ENCODINGS = [
    ("zh-CN", "gbk"),
    ("zh-CN", "gb2312"),
    ("zh-TW", "big5"),
    ("ja", "shift_jis"),
    ("ko", "euc-kr"),
    ("ru", "windows-1251"),
    ("fr", "iso-8859-1"),
    ("de", "iso-8859-1"),
    ("zh-CN", "utf-8"),
    ("ja", "utf-8"),
    ("ru", "utf-8"),
    ("fr", "utf-8"),
]
# Where the charset is stated: (Content-Type, <meta>), "{}" standing for the page's real encoding.
DECLARATIONS = {
    "header": ("text/html; charset={}", ""),
    "meta": ("text/html", '<meta charset="{}">'),
    "http-equiv": ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset={}">'),
    "undeclared": ("text/html", ""),
    "header-latin1-meta-right": ("text/html; charset=ISO-8859-1", '<meta charset="{}">'),
    "header-utf8-meta-right": ("text/html; charset=UTF-8", '<meta charset="{}">'),
}
ENCODING_CASES = [
    (language, encoding, declaration)
    for language, encoding in ENCODINGS
    for declaration in DECLARATIONS
    if not (encoding == "utf-8" and declaration == "header-utf8-meta-right")  # not a wrong header then
]


def article(title: str, *paragraphs: str, head: str = "", lang: str = "en", body_end: str = "") -> str:
    """An article page: its title, an ``og:type`` of article, and its paragraphs."""
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head>{head}<title>{title}</title>'
        f'<meta property="og:type" content="article"></head>'
        f"<body><article><h1>{title}</h1>{text}</article>{body_end}</body></html>"
    )


def edition(language: str, encoding: str, declaration: str) -> tuple[str, str]:
    """The article's title and body text for one case: each case's own, so no two are duplicates."""
    title, lead, last = TEXTS[language]
    return title, f"{lead}\n\n{last} ({encoding}, {declaration})"


def encoded(language: str, encoding: str, declaration: str) -> Page:
    """The language's article encoded in ``encoding``, its charset stated as ``declaration`` says."""
    content_type, meta = DECLARATIONS[declaration]
    title, text = edition(language, encoding, declaration)
    html = article(title, *text.split("\n\n"), head=meta.format(encoding), lang=language)
    return Page(html.encode(encoding), {"Content-Type": content_type.format(encoding)})


def prose(words: int, seed: int) -> str:
    """English-like text of ``words`` words."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def story(number: int) -> list[str]:
    """Four paragraphs of 60 words, their own for each ``number``."""
    return [prose(60, number * 10 + paragraph) for paragraph in range(4)]


STORY = story(0)
STORY_HTML = article("Harbour Tram Plan Approved", *STORY)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
RANDOM = random.Random(7).randbytes(64 * 1024)
NEXT_SHELL = (
    '<!doctype html><html><head><title>Tram plan approved</title><meta property="og:type" content="article">'
    '<script src="/_next/static/chunks/main.js" defer></script></head>'
    '<body><div id="__next"></div><noscript>You need to enable JavaScript to run this app.</noscript>'
    '<script id="__NEXT_DATA__" type="application/json">{"props": {}}</script></body></html>'
)
BARE_SHELL = (
    '<!doctype html><html><head><title>News</title></head><body><script src="/app.js"></script></body></html>'
)
SHELL_WITH_NAV = (
    "<!doctype html><html><head><title>Tram plan approved</title></head><body>"
    '<header><a href="/">Home</a> <a href="/news/">News</a> <a href="/sport/">Sport</a></header>'
    '<div id="root"></div><script src="/static/js/bundle.js"></script><footer>© The Gazette</footer></body></html>'
)


def deep(before: str, after: str, levels: int = 20_000) -> str:
    """An article page whose markup nests ``levels`` divs between two texts."""
    nest = "<div>" * levels + "<p>Inside the nest.</p>" + "</div>" * levels
    return article("Deeply Nested Page", before, body_end=nest + f"<p>{after}</p>")


# -- what a body is -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "kind", "detail"),
    [
        (STORY_HTML.encode(), "text/html; charset=utf-8", "html", "text/html"),
        (STORY_HTML.encode(), "application/xhtml+xml", "html", "application/xhtml+xml"),
        (b"", "text/html", "empty", "an empty body served as text/html"),
        (b" \r\n\t", "text/html", "empty", "an empty body served as text/html"),
        (PDF, "text/html", "binary", "a PDF document served as text/html"),
        (PNG, "text/html; charset=utf-8", "binary", "a PNG image served as text/html"),
        (RANDOM, "text/html", "binary", "binary data served as text/html"),
        (
            STORY_HTML.encode(),
            "application/octet-stream",
            "sniffed_html",
            "an HTML page served as application/octet-stream",
        ),
        (
            STORY_HTML.encode(),
            "text/plain; charset=utf-8",
            "sniffed_html",
            "an HTML page served as text/plain",
        ),
        (
            b"\xef\xbb\xbf\n  <HTML><body>x</body></HTML>",
            None,
            "sniffed_html",
            "an HTML page served as no Content-Type",
        ),
        (PDF, "application/pdf", "not_html", "application/pdf"),
        (PNG, "image/png", "not_html", "image/png"),
        (b'{"title": "<html>"}', "application/json", "not_html", "application/json"),
        (b'{"title": "<html>"}', "text/plain", "not_html", "text/plain"),
        (PDF, "application/octet-stream", "not_html", "application/octet-stream"),
        (STORY_HTML.encode(), "application/pdf", "not_html", "application/pdf"),
    ],
)
def test_a_body_is_sniffed_as_html_or_named(
    body: bytes, content_type: str | None, kind: str, detail: str
) -> None:
    sniffed = sniff_page(body, content_type)
    assert (sniffed.kind, sniffed.detail) == (kind, detail)
    assert sniffed.is_html == (kind in {"html", "sniffed_html"})


def test_utf16_html_with_a_bom_is_not_taken_for_binary() -> None:
    assert sniff_page(STORY_HTML.encode("utf-16"), "text/html").kind == "html"


# -- encodings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "encoding", "declaration"), ENCODING_CASES)
def test_title_and_body_come_out_right_in_every_encoding_however_declared(
    language: str, encoding: str, declaration: str
) -> None:
    page = encoded(language, encoding, declaration)
    charset = html_charset(page.body, page.headers["Content-Type"])
    response = HtmlResponse(
        "http://127.0.0.1/2026/11/20/story/", body=page.body, headers=page.headers, encoding=charset.encoding
    )
    extraction = extract_page(response.text, response.url)
    assert extraction is not None
    assert (extraction.title, extraction.body) == edition(language, encoding, declaration)


@pytest.mark.parametrize(
    ("body", "content_type", "encoding", "source", "overridden"),
    [
        # A BOM beats a header that contradicts it.
        ("Straße".encode("utf-8-sig"), "text/html; charset=windows-1251", "utf-8", "bom", None),
        # A Latin-1 header (a server default) yields to the page's <meta>.
        (
            f'<meta charset="gbk">{TEXTS["zh-CN"][1]}'.encode("gbk"),
            "text/html; charset=iso-8859-1",
            "gb18030",
            "meta",
            "cp1252",
        ),
        # A UTF-8 header the bytes refute yields to the <meta>.
        (
            f'<meta charset="big5">{TEXTS["zh-TW"][1]}'.encode("big5"),
            "text/html; charset=utf-8",
            "big5hkscs",
            "meta",
            "utf-8",
        ),
        # Valid UTF-8 is UTF-8, whatever a header says.
        (TEXTS["ru"][1].encode("utf-8"), "text/html; charset=windows-1251", "utf-8", "utf-8", "cp1251"),
        # A UTF-8 page with one stray Latin-1 byte stays UTF-8.
        (
            TEXTS["zh-CN"][1].encode("utf-8") + b" caf\xe9",
            "text/html; charset=utf-8",
            "utf-8",
            "header",
            None,
        ),
        (TEXTS["zh-CN"][1].encode("utf-8") + b" caf\xe9", "text/html", "utf-8", "utf-8", None),
        # A <meta> the bytes refute loses to the Latin-1 header that is right.
        (
            f'<meta charset="utf-8">{TEXTS["fr"][1]}'.encode("latin-1"),
            "text/html; charset=iso-8859-1",
            "cp1252",
            "header",
            "utf-8",
        ),
        # A GBK page with a wrong UTF-8 header and no <meta>: detected.
        (TEXTS["zh-CN"][2].encode("gbk"), "text/html; charset=utf-8", "gb18030", "detected", "utf-8"),
        # Plain ASCII: the declaration is kept.
        (b"<p>Plain text</p>", "text/html; charset=iso-8859-1", "cp1252", "header", None),
        (b"<p>Plain text</p>", None, "utf-8", "utf-8", None),
    ],
)
def test_the_charset_rule(
    body: bytes, content_type: str | None, encoding: str, source: str, overridden: str | None
) -> None:
    charset = html_charset(body, content_type)
    assert (charset.encoding, charset.source, charset.overridden) == (encoding, source, overridden)


def test_a_latin1_header_on_a_page_with_no_meta_is_believed_as_browsers_do() -> None:
    """The rule's known limit: bytes that are not UTF-8 under an undisputed ISO-8859-1 header stay windows-1252."""
    charset = html_charset(TEXTS["ru"][1].encode("windows-1251"), "text/html; charset=iso-8859-1")
    assert (charset.encoding, charset.source) == ("cp1252", "header")


# -- JavaScript-only pages, deep nesting, huge pages ----------------------------------------------------


@pytest.mark.parametrize(
    ("html", "javascript_only"),
    [
        (NEXT_SHELL, True),
        (BARE_SHELL, True),
        (SHELL_WITH_NAV, True),
        (STORY_HTML, False),
        # A server-rendered article inside an app's mount point, with a <noscript> for its video player.
        (
            article(
                "Harbour Tram Plan Approved",
                *STORY,
                head='<script src="/app.js"></script>',
                body_end="<noscript>Enable JavaScript to watch the video.</noscript>",
            ).replace("<article>", '<div id="root"><article>'),
            False,
        ),
        # A short page with no script is short, not JavaScript-only.
        (article("Brief", "The council meets on Monday."), False),
    ],
)
def test_javascript_only_pages_are_told_from_pages_with_scripts(html: str, javascript_only: bool) -> None:
    extraction = extract_page(html, "http://127.0.0.1/2026/11/20/story/")
    assert extraction is not None
    assert extraction.javascript_only is javascript_only


@pytest.mark.parametrize("levels", [300, 5_000, 100_000])
def test_deep_nesting_is_flagged_and_what_came_before_is_kept(levels: int) -> None:
    started = time.monotonic()
    kept = extract_page(
        deep(STORY[0] + " " + STORY[1], "Lost after the nest.", levels), "http://127.0.0.1/2026/11/20/a/"
    )
    lost = extract_page(
        deep("A short lead.", STORY[0] + " " + STORY[1], levels), "http://127.0.0.1/2026/11/20/b/"
    )
    assert time.monotonic() - started < 30
    assert kept is not None
    assert lost is not None
    assert kept.nesting_cut
    assert lost.nesting_cut
    assert STORY[0] in kept.body
    assert "Lost after the nest" not in kept.body
    assert STORY[0] not in lost.body
    assert not extract_page(STORY_HTML, "http://127.0.0.1/2026/11/20/c/").nesting_cut  # type: ignore[union-attr]


def test_validation_drops_app_shells_and_cut_pages_by_name_and_counts_them() -> None:
    crawler = get_crawler(settings_dict={"EXTRACT_WORKERS": 0, "VALIDATE_MIN_WORDS": 40})
    validate = build_from_crawler(ValidatePipeline, crawler)
    assert crawler.stats is not None

    def extracted(html: str) -> ArticleRecord:
        page = ArticlePage(
            "http://127.0.0.1/2026/11/20/story/", html, "test", "2026-11-20T08:00:00+00:00", "sitemap"
        )
        return record(crawler, page)

    for shell in (NEXT_SHELL, BARE_SHELL, SHELL_WITH_NAV):
        with pytest.raises(JavaScriptOnly):
            validate.process_item(extracted(shell))
    with pytest.raises(MarkupTooDeep):
        validate.process_item(extracted(deep("A short lead.", " ".join(STORY))))
    whole = extracted(deep(" ".join(STORY), "Lost."))
    assert validate.process_item(whole) is whole
    assert crawler.stats.get_value("newscrawl/validate/js_only") == 3
    assert crawler.stats.get_value("newscrawl/validate/nesting_cut") == 1
    assert crawler.stats.get_value("newscrawl/validate/nesting_cut_kept") == 1
    assert crawler.stats.get_value("newscrawl/validate/no_body") is None  # not lumped with the other drops


# -- one real crawl of every case ------------------------------------------------------------------------

HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}
WRITTEN = "written"


def hostile_pages() -> dict[str, tuple[Page, str, list[str]]]:
    """name → (page, what becomes of it: WRITTEN or the counter naming its fate, the story it tells)."""
    stories = {
        name: story(number)
        for number, name in enumerate(
            ("octet-stream", "text-plain", "truncated", "malformed", "deep-kept", "deep-lost"), start=1
        )
    }
    malformed = stories["malformed"]
    return {
        "empty": (Page(b"", HTML_TYPE), "newscrawl/pages/empty", []),
        "pdf-as-html": (Page(PDF, HTML_TYPE), "newscrawl/pages/binary", []),
        "png-as-html": (Page(PNG, HTML_TYPE), "newscrawl/pages/binary", []),
        "random-as-html": (Page(RANDOM, HTML_TYPE), "newscrawl/pages/binary", []),
        "pdf": (Page(PDF, {"Content-Type": "application/pdf"}), "newscrawl/pages/not_html", []),
        "png": (Page(PNG, {"Content-Type": "image/png"}), "newscrawl/pages/not_html", []),
        "json": (
            Page(b'{"headline": "Tram"}', {"Content-Type": "application/json"}),
            "newscrawl/pages/not_html",
            [],
        ),
        "html-as-octet-stream": (
            Page(
                article("Octet Stream", *stories["octet-stream"]).encode(),
                {"Content-Type": "application/octet-stream"},
            ),
            WRITTEN,
            stories["octet-stream"],
        ),
        "html-as-text-plain": (
            Page(article("Plain Text", *stories["text-plain"]).encode(), {"Content-Type": "text/plain"}),
            WRITTEN,
            stories["text-plain"],
        ),
        "truncated": (
            Page(article("Cut Short", *stories["truncated"]).encode()[:1200], HTML_TYPE),
            WRITTEN,
            stories["truncated"],
        ),
        "malformed": (
            Page(
                (
                    '<html><head><title>Tag Soup</title><meta property="og:type" content="article"><body>'
                    f"<div><p>{malformed[0]}<p><b><i>{malformed[1]}</b></i></span></div></div>"
                    f"<p>{malformed[2]} &bogus; &#xZZZ; << >></td><p>{malformed[3]}"
                ).encode(),
                HTML_TYPE,
            ),
            WRITTEN,
            malformed,
        ),
        "unclosed-quote": (  # the rest of the page is an attribute value: no text
            Page(
                article("Unclosed Quote", *malformed).replace("<article>", '<article class="a>').encode(),
                HTML_TYPE,
            ),
            "newscrawl/validate/no_body",
            [],
        ),
        "huge": (  # about 8 MB
            Page(
                article("A Very Long Report", *[prose(60, seed) for seed in range(20_000)]).encode(),
                HTML_TYPE,
            ),
            WRITTEN,
            [],
        ),
        "deep-kept": (
            Page(deep(" ".join(stories["deep-kept"]), "Lost.").encode(), HTML_TYPE),
            WRITTEN,
            stories["deep-kept"],
        ),
        "deep-lost": (
            Page(deep("A short lead.", " ".join(stories["deep-lost"])).encode(), HTML_TYPE),
            "newscrawl/validate/nesting_cut",
            [],
        ),
        "next-shell": (Page(NEXT_SHELL.encode(), HTML_TYPE), "newscrawl/validate/js_only", []),
        "bare-shell": (Page(BARE_SHELL.encode(), HTML_TYPE), "newscrawl/validate/js_only", []),
    }


def test_a_crawl_of_every_hostile_page_writes_the_articles_and_names_every_other_fate(tmp_path: Path) -> None:
    hostile = hostile_pages()
    cases = {"-".join(case): case for case in ENCODING_CASES}
    paths = {name: f"/2026/11/20/{name}/" for name in [*hostile, *cases]}
    with PageServer() as server:
        server.pages.update({paths[name]: page for name, (page, _, _) in hostile.items()})
        server.pages.update({paths[name]: encoded(*case) for name, case in cases.items()})
        locs = "".join(f"<url><loc>{server.origin}{path}</loc></url>" for path in paths.values())
        server.pages["/sitemap.xml"] = Page(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode(),
            {"Content-Type": "application/xml"},
        )
        server.pages["/"] = Page(b"<html><body><p>The Gazette</p></body></html>", HTML_TYPE)
        started = time.monotonic()
        result = run_crawl(tmp_path, "-a", f"url={server.origin}/", settings={"EXTRACT_WORKERS": "2"})
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.log[-3000:]
    assert elapsed < 90
    records = {r["url"].removeprefix(server.origin): r for r in result.records()}

    written = [name for name, (_, fate, _) in hostile.items() if fate == WRITTEN]
    assert sorted(records) == sorted(paths[name] for name in [*written, *cases])
    for name, case in cases.items():
        assert (records[paths[name]]["title"], records[paths[name]]["body"]) == edition(*case), name
    for name in ("html-as-octet-stream", "html-as-text-plain"):
        assert records[paths[name]]["body"] == "\n\n".join(hostile[name][2]), name
    assert all(paragraph in records[paths["malformed"]]["body"] for paragraph in hostile["malformed"][2])
    assert records[paths["truncated"]]["body"].startswith(hostile["truncated"][2][0])
    assert records[paths["deep-kept"]]["body"] == " ".join(hostile["deep-kept"][2])
    huge = records[paths["huge"]]
    assert huge["title"] == "A Very Long Report"
    assert 200_000 < huge["word_count"] < 300_000  # the first EXTRACT_MAX_HTML_CHARS (2,000,000) characters

    fates = [fate for _, fate, _ in hostile.values() if fate != WRITTEN]
    for counter, count in {
        **{fate: fates.count(fate) for fate in fates},
        "newscrawl/pages/sniffed_html": 2,
        "newscrawl/pages/truncated": 1,
        "item_dropped_reasons_count/JavaScriptOnly": 2,
        "item_dropped_reasons_count/MarkupTooDeep": 1,
        "newscrawl/validate/nesting_cut_kept": 1,
        "newscrawl/encoding/overridden": sum(  # every wrong header
            d == "header-utf8-meta-right" or (d == "header-latin1-meta-right" and e != "iso-8859-1")
            for _, e, d in ENCODING_CASES
        ),
    }.items():
        assert re.search(rf"'{re.escape(counter)}': {count}\b", result.log), counter
    for reason in (
        "Not an HTML page (an empty body served as text/html)",
        "Not an HTML page (a PDF document served as text/html)",
        "Not an HTML page (a PNG image served as text/html)",
        "Not an HTML page (binary data served as text/html)",
        "Not an HTML page (application/pdf)",
        "Read as HTML (an HTML page served as text/plain)",
        "Read as gb18030 (meta), not as the declared cp1252",
        "cut to EXTRACT_MAX_HTML_CHARS (2000000)",
        "JavaScript-only page",
        "Markup nested past the parser's depth limit",
        "No article text found",
    ):
        assert reason in result.log, reason
    for absent in ("newscrawl/extract/failed", "newscrawl/extract/unreadable", "Traceback"):
        assert absent not in result.log, absent
