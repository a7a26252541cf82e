"""Is a page an article? One weighed decision over what the page claims, what its text is, and how the crawl
found it.

No single signal decides: many CMSs set ``og:type=website`` on every page, an article's URL may carry
``?page=1``, a short news item has no typed markup. Each piece of evidence adds its weight to a score, a
log-odds; the page is an article when the score is positive. The weights were fitted (a logistic
regression) on the tuning parts of the quality gate's corpora (``benchmarks/extraction_quality.py``): devset
and WCXB articles against WCXB's listing, collection, product, forum, service and documentation pages, and
the bias set so that articles are rarely lost (a dropped article is a hole in the corpus).

- What the page claims (:class:`~crawler.page.signals.PageSignals`): an article type in JSON-LD,
  ``og:type=article``, a date in the URL's path; against it a listing type (``ItemList``,
  ``CollectionPage``…), another ``og:type`` (``website``, ``product``…), a home, tag or search URL,
  pagination.
- What its text is (:class:`TextEvidence`): short, without paragraphs of prose, lines that are the page's
  link texts (a list of headlines) or that end no sentence (a menu, a product sheet); for it a headline and
  a byline. Around it, many linked headings or many ``<time>`` elements: a list of teasers or of posts.
- The crawl's own evidence, a prior: a page listed in a news sitemap or a feed is an article unless the rest
  weighs clearly against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from crawler.extract.boilerplate import ends_sentence
from crawler.page.text import word_count

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from crawler.extract.body import Body
    from crawler.page.signals import PageSignals

NEWS_SOURCES = frozenset({"news_sitemap", "feed"})  # ``ArticlePage.discovered_via`` values that list articles
NEWS_SOURCE = 2.0

# What the page claims.
ARTICLE_TYPED = 2.1
LISTING_TYPED = -1.1  # only when no article type is given too
OG_ARTICLE = 1.2
OG_WEBSITE = -0.6  # ``website`` or ``profile``: many CMSs set it on every page
OG_OTHER = -1.2  # ``product``, ``video.other``, ``book``…
DATE_IN_URL = 2.3
HOME_URL = -1.7
LISTING_PATH = -0.85
PAGINATED = -0.85
# What its text is.
SHORT_TEXT, SHORT_TEXT_WEIGHT = 150, -0.45  # fewer words than this
NO_PROSE = -1.2  # not one paragraph of prose
LINK_LINES = -1.1  # times the share of lines that are link texts of the page
SENTENCE_LINES = 1.4  # times the share of lines that end a sentence
HEADLINE = 0.4
BYLINE = 1.0
HEADLINE_LINKS, HEADLINE_LINKS_WEIGHT = 10, -0.7  # at least this many links in or around headings
TIME_ELEMENTS, TIME_ELEMENTS_WEIGHT = 3, -1.1  # at least this many ``<time>`` elements
BIAS = -0.55
PROSE_WORDS = 25  # a paragraph of prose has at least this many words
HEADLINE_LINKS_XPATH = etree.XPath(
    "count(//h2//a[@href] | //h3//a[@href] | //h4//a[@href] | //a[@href][.//h2 or .//h3 or .//h4])"
)


@dataclass(frozen=True)
class TextEvidence:
    """What the extracted text is, and what surrounds it on the page."""

    words: int
    prose: int  # paragraphs of prose (a long line)
    link_share: float  # the share of the text's lines that are link texts of the page
    sentence_share: float  # the share of the text's lines that end a sentence
    headline: bool
    bylined: bool
    headline_links: int  # links in or around the page's headings: teasers of other pages
    time_elements: int  # ``<time>`` elements of the page: one per teaser or post on a list


def text_evidence(tree: HtmlElement, body: Body, headline: bool, bylined: bool) -> TextEvidence:
    """The evidence of a page's extracted text (``body``) and of its headings and ``<time>`` elements."""
    lines = body.paragraphs
    count = len(lines) or 1
    return TextEvidence(
        words=sum(map(word_count, lines)),
        prose=sum(word_count(line) >= PROSE_WORDS for line in lines),
        link_share=body.link_lines / count,
        sentence_share=sum(map(ends_sentence, lines)) / count,
        headline=headline,
        bylined=bylined,
        headline_links=int(HEADLINE_LINKS_XPATH(tree)),
        time_elements=sum(1 for _ in tree.iter("time")),
    )


def article_score(signals: PageSignals, text: TextEvidence, discovered_via: str | None = None) -> float:
    """The weight of the evidence that the page is an article (a log-odds): positive for an article."""
    score = BIAS + _claims_score(signals) + _text_score(text)
    if discovered_via in NEWS_SOURCES:
        score += NEWS_SOURCE
    return score


def _claims_score(signals: PageSignals) -> float:
    score = 0.0
    if signals.article_typed:
        score += ARTICLE_TYPED
    elif signals.listing_typed:
        score += LISTING_TYPED
    if signals.og_type == "article":
        score += OG_ARTICLE
    elif signals.og_type in {"website", "profile"}:
        score += OG_WEBSITE
    elif signals.og_type:
        score += OG_OTHER
    if signals.date_in_url:
        score += DATE_IN_URL
    if signals.home_url:
        score += HOME_URL
    if signals.listing_path:
        score += LISTING_PATH
    if signals.paginated:
        score += PAGINATED
    return score


def _text_score(text: TextEvidence) -> float:
    score = LINK_LINES * text.link_share + SENTENCE_LINES * text.sentence_share
    if text.words < SHORT_TEXT:
        score += SHORT_TEXT_WEIGHT
    if not text.prose:
        score += NO_PROSE
    if text.headline:
        score += HEADLINE
    if text.bylined:
        score += BYLINE
    if text.headline_links >= HEADLINE_LINKS:
        score += HEADLINE_LINKS_WEIGHT
    if text.time_elements >= TIME_ELEMENTS:
        score += TIME_ELEMENTS_WEIGHT
    return score


def is_article(signals: PageSignals, text: TextEvidence, discovered_via: str | None = None) -> bool:
    """Whether the evidence weighs for an article (see the module)."""
    return article_score(signals, text, discovered_via) > 0
