"""Is a page an article? One weighed decision over what the page claims, what its URL, markup and text are.

No single weak signal decides: many CMSs set ``og:type=website`` on every page, an article's URL may carry
``?page=1``, a short news item has no typed markup. Each piece of evidence (:func:`page_evidence`, every
value between 0 and 1) adds its weight to a score, a log-odds; the page is an article when the score is
positive and it has no listing's shape (:func:`listing_shaped`). The weights are a logistic regression
fitted on the tuning parts of the quality gate's corpora (devset and WCXB articles against WCXB's listing,
collection, product, forum, service and documentation pages) by ``benchmarks/detection_fit.py``, which
prints this table; the bias sits below the fitted intercept so that, cross-validated by site on those
parts, 97 % of articles are kept: a dropped article is a hole in a corpus, a kept listing one junk record.

- What the page claims: an article type in JSON-LD, a ``Person`` in it, ``og:type=article``, a date in the
  URL; against it a listing type (``ItemList``, ``CollectionPage``…) or another content type (a product, a
  forum thread…), another ``og:type``, a listing's URL (``is_listing_url``).
- Its URL's shape: a slug of several words, a long number (an id), a news or blog section before the
  slug; against it a home page, a URL ending in a section, or a forum, documentation or shop path.
- Its text: paragraphs of prose, lines that end sentences; against it lines that are the page's link
  texts; for it a date, a byline, a dateline.
- Its markup: against it many links in or around headings (a list of teasers), many long link texts,
  many ``<time>`` elements, a high share of words in links, code blocks, buttons, prices; for it an
  author in the page's metadata.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.boilerplate import ends_sentence
from crawler.page.text import line_key, word_count

if TYPE_CHECKING:
    from collections.abc import Container, Iterable

    from lxml.html import HtmlElement

    from crawler.page.signals import PageSignals

# Weights of the evidence (see the module): ``python benchmarks/detection_fit.py`` fits and prints them.
WEIGHTS: dict[str, float] = {
    "forum_url": -3.19,
    "article_section_path": 2.41,
    "other_typed": -2.33,
    "slug": 2.10,
    "article_typed": 1.85,
    "date_in_url": 1.79,
    "shop_url": -1.48,
    "home_url": -1.44,
    "buttons": -1.43,
    "docs_url": -1.35,
    "prices": -1.30,
    "link_lines": -1.18,
    "no_prose": -1.14,
    "authors": 1.09,
    "link_words": -1.03,
    "code_blocks": -1.00,
    "person_typed": 0.91,
    "dateline": 0.87,
    "og_article": 0.84,
    "sentence_lines": 0.82,
    "time_elements": -0.79,
    "date": 0.68,
    "section_end_path": -0.59,
    "listing_typed": -0.55,
    "long_number": 0.51,
    "linked_headings": -0.49,
    "listing_url": -0.47,
    "author_markup": 0.46,
    "long_links": -0.38,
    "headline_links": -0.18,
    "prose": 0.18,
    "og_other": -0.13,
    "long_link_words": -0.11,
}
BIAS = 0.18

UNWEIGHED = frozenset({"service_page_url"})  # evidence that decides through ``listing_shaped`` only
LINKED_HEADINGS_SHARE = 0.5  # a page without prose where this share of its headings are links lists teasers
PROSE_WORDS = 25  # a paragraph of prose has at least this many words
LONG_LINK_WORDS = 5  # a link text this long is a headline (a teaser of another page), not a menu entry
NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
ARTICLE_SECTION_PATH = re.compile(
    r"/(?:news|blogs?|articles?|story|stories|posts?|nachrichten|artikel|meldungen?|noticias?|actualites?"
    r"|notizie|nieuws|haber|opinion|politi[ck]s?|sports?|economy|business|world|local)/[^/]+",
    re.IGNORECASE,
)
SECTION_END_PATH = re.compile(
    r"/(?:news|blogs?|articles?|stories|posts|nachrichten|artikel|aktuelles|noticias|actualites|notizie|nieuws"
    r"|haberler|magazin|magazine|press|pressroom|media|updates|latest|insights|resources|category|tag|topics?)/?$",
    re.IGNORECASE,
)
FORUM_PATH = re.compile(
    r"/(?:forums?|threads?|topics?|t|d|discussions?|questions?|comments|community|boards?|showthread\.php"
    r"|viewtopic\.php|r)(?:/|$)",
    re.IGNORECASE,
)
FORUM_HOST_WORDS = ("forum", "community", "discuss")
DOCS_PATH = re.compile(
    r"/(?:docs?|documentation|manual|reference|api|guides?|tutorials?|learn|wiki|glossary|help|support|kb|faq)"
    r"(?:/|$)",
    re.IGNORECASE,
)
DOCS_HOSTS = frozenset({"docs", "developer", "wiki", "help", "support"})  # the first label of the host
SERVICE_PAGE_PATH = re.compile(
    r"/(?:about|about-us|ueber-uns|uber-uns|a-propos|quienes-somos|chi-siamo|contact|contact-us|kontakt|contacto"
    r"|contatti|impressum|imprint|mentions-legales|aviso-legal|privacy|privacy-policy|datenschutz"
    r"|datenschutzerklaerung|terms|terms-of-service|terms-of-use|legal|cookies?|cookie-policy|disclaimer|agb"
    r"|newsletters?|subscribe|abo|login|register|search|suche)(?:\.html?|\.php)?/?$",
    re.IGNORECASE,
)
SHOP_PATH = re.compile(
    r"/(?:products?|shop|store|p|dp|item|produkte?|collections?|catalog|services?|solutions?|pricing|plans"
    r"|features|leistungen)(?:/|$)",
    re.IGNORECASE,
)
CURRENCIES = ("$", "€", "£", "¥", "EUR", "USD", "GBP")
PRICE = re.compile(r"[$€£¥]\s?\d|\d(?:[.,]\d{2})?\s?(?:€|EUR|USD|GBP)\b")
SLUG_SEPARATORS = re.compile(r"[-_+]")
FILE_SUFFIX = re.compile(r"\.\w{2,5}$")
LONG_NUMBER = re.compile(r"\d{4,}")
HEADLINE_LINKS = etree.XPath(
    "count(//h2//a[@href] | //h3//a[@href] | //h4//a[@href] | //a[@href][.//h2 or .//h3 or .//h4])"
)
HEADINGS = etree.XPath("count(//h2 | //h3 | //h4)")
LINKED_HEADINGS = etree.XPath("count((//h2 | //h3 | //h4)[.//a[@href] or ancestor::a[@href]])")
AUTHOR_MARKUP = etree.XPath(
    "boolean(//meta[@name='author' or @property='article:author'] | //*[@rel='author'] | //*[@itemprop='author'])"
)


def _capped(count: float, cap: int) -> float:
    return min(count, cap) / cap


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _prices(text: str) -> int:
    """Prices in ``text`` (``$ 5``, ``49,99 €``): the pattern runs only where a currency is named at all."""
    return len(PRICE.findall(text)) if any(currency in text for currency in CURRENCIES) else 0


def slug_words(path: str) -> int:
    """Words of the URL path's last segment (``/2024/05/mayor-resigns-after-vote.html`` has 4)."""
    segments = [segment for segment in path.split("/") if segment]
    if not segments:
        return 0
    return sum(word.isalpha() for word in SLUG_SEPARATORS.split(FILE_SUFFIX.sub("", segments[-1])))


def url_evidence(url: str, listing_url: bool) -> dict[str, float]:
    """What the URL's shape says: a slug, an id and a news section for an article; a section, forum,
    documentation or shop path against it (``listing_url``: ``is_listing_url(url)``, read already).
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    return {
        "home_url": float(parts.path in {"", "/"} and not parts.query),
        "slug": _capped(slug_words(parts.path), 8),
        "long_number": float(bool(LONG_NUMBER.search(parts.path + parts.query))),
        "article_section_path": float(bool(ARTICLE_SECTION_PATH.search(parts.path)) and not listing_url),
        "section_end_path": float(bool(SECTION_END_PATH.search(parts.path))),
        "forum_url": float(
            bool(FORUM_PATH.search(parts.path)) or any(word in host for word in FORUM_HOST_WORDS)
        ),
        "docs_url": float(bool(DOCS_PATH.search(parts.path)) or host.split(".")[0] in DOCS_HOSTS),
        "shop_url": float(bool(SHOP_PATH.search(parts.path))),
        "service_page_url": float(bool(SERVICE_PAGE_PATH.search(parts.path))),
    }


def claims_evidence(signals: PageSignals) -> dict[str, float]:
    """What the page claims to be in its JSON-LD types and ``og:type``, and what its URL says at first sight
    (a date in it; a home, section, tag, author, search or about page, or pagination: ``is_listing_url``).
    """
    og_type = signals.og_type or ""
    return {
        "article_typed": float(signals.article_typed),
        "listing_typed": float(signals.listing_typed and not signals.article_typed),
        "other_typed": float(signals.other_typed and not signals.article_typed),
        "person_typed": float(signals.person_typed),
        "og_article": float(og_type == "article"),
        "og_other": float(og_type not in {"", "article", "website", "profile"}),
        "date_in_url": float(signals.date_in_url),
        "listing_url": float(signals.listing_url),
    }


def markup_evidence(tree: HtmlElement, elements: Iterable[HtmlElement]) -> dict[str, float]:
    """What the page's markup says (``elements``: all of ``tree``'s, in one walk)."""
    link_words = long_link_words = long_links = times = code = buttons = 0
    texts: list[str] = []
    for element in elements:
        tag = element.tag
        if tag in NOT_TEXT or not isinstance(tag, str):
            continue
        if element.text:
            texts.append(element.text)
        if element.tail:
            texts.append(element.tail)
        if tag == "a":
            words = len(element.text_content().split())
            link_words += words
            if words >= LONG_LINK_WORDS:
                long_links += 1
                long_link_words += words
        elif tag == "time":
            times += 1
        elif tag in {"pre", "code"}:
            code += 1
        elif tag == "button":
            buttons += 1
    text = " ".join(texts)
    headings = HEADINGS(tree)
    page_words = len(text.split())
    return {
        "headline_links": _capped(HEADLINE_LINKS(tree), 40),
        "linked_headings": _share(LINKED_HEADINGS(tree), headings) if headings >= 2 else 0.0,
        "long_links": _capped(long_links, 60),
        "long_link_words": _share(long_link_words, page_words),
        "link_words": _share(link_words, page_words),
        "time_elements": _capped(times, 20),
        "code_blocks": _capped(code, 10),
        "buttons": _capped(buttons, 20),
        "prices": _capped(_prices(text), 10),
        "author_markup": float(AUTHOR_MARKUP(tree)),
    }


def text_evidence(paragraphs: list[str], links: Container[str]) -> dict[str, float]:
    """What the extracted text says: paragraphs of prose and sentences, or lines that are the page's link texts
    (``links``: their ``line_key``).
    """
    lines = len(paragraphs)
    prose = sum(word_count(line) >= PROSE_WORDS for line in paragraphs)
    return {
        "no_prose": float(not prose),
        "prose": _capped(prose, 10),
        "sentence_lines": _share(sum(map(ends_sentence, paragraphs)), lines),
        "link_lines": _share(sum(line_key(line) in links for line in paragraphs), lines),
    }


def page_evidence(
    tree: HtmlElement,
    elements: Iterable[HtmlElement],
    url: str,
    signals: PageSignals,
    paragraphs: list[str],
    links: Container[str],
    found: dict[str, bool],
) -> dict[str, float]:
    """Every piece of evidence about the page, each between 0 and 1; ``links`` are the page's link texts,
    ``found`` says whether extraction found a ``date``, ``authors`` and a ``dateline``.
    """
    return (
        claims_evidence(signals)
        | url_evidence(url, signals.listing_url)
        | markup_evidence(tree, elements)
        | text_evidence(paragraphs, links)
        | {name: float(value) for name, value in found.items()}
    )


def article_score(evidence: dict[str, float]) -> float:
    """The weight of the evidence that the page is an article (a log-odds): positive for an article."""
    return BIAS + sum(weight * evidence[name] for name, weight in WEIGHTS.items())


def listing_shaped(evidence: dict[str, float]) -> bool:
    """Whether the page has a listing's or a service page's shape, which no weighing overrides unless the page
    claims an article (a JSON-LD article type, a date in the URL): its JSON-LD types it a listing; its URL ends
    in an about, contact, legal, search or subscription page; or it has not one paragraph of prose while its
    URL is a listing's (home, section, tag, author, pagination) or most of its headings are links (teasers).
    """
    if evidence["article_typed"] or evidence["date_in_url"]:
        return False
    if evidence["listing_typed"] or evidence["service_page_url"]:
        return True
    teasers = evidence["listing_url"] > 0 or evidence["linked_headings"] >= LINKED_HEADINGS_SHARE
    return bool(evidence["no_prose"]) and teasers


def is_article(evidence: dict[str, float]) -> bool:
    """Whether the evidence weighs for an article and the page has no listing's shape (see the module)."""
    return not listing_shaped(evidence) and article_score(evidence) > 0
