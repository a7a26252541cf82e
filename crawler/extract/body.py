"""Article body: trafilatura's main text, its missing lead restored, then boilerplate lines taken out.

The procedure, line by line over trafilatura's text:

1. the lead (standfirst, deck, chapô) is put back when trafilatura left it out of the main text;
2. photo captions of the page are dropped (unless they are most of the text: a slideshow);
3. at the top, the repeated headline, date and metadata lines and bylines are taken out;
4. anywhere, teaser links ("Lesen Sie auch: ..."), prompts, disclosures, credits, metadata lines and
   paywall notices are dropped;
5. related/share/about blocks (a block heading and the list of headlines under it) are dropped, and
   the text is cut at such a block when only short lines or a short blurb follow it;
6. at the very end, dates, signatures, bylines and trailing teaser links are taken off.

Each rule only takes out short lines that look like boilerplate; a real paragraph is never cut.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from crawler.extract.boilerplate import (
    ends_sentence,
    is_credit,
    is_date_line,
    is_disclosure,
    is_lead_class,
    is_metadata,
    is_not_lead_class,
    is_paywall_notice,
    is_prompt,
    is_signature,
    is_tail_heading,
    teaser_rest,
)
from crawler.extract.byline import BylineLine, byline_line
from crawler.page.text import CJK_RE, element_text, line_key

if TYPE_CHECKING:
    from collections.abc import Container

    from lxml.html import HtmlElement

    from crawler.extract.context import PageContext

LONG_LINE = 150  # a line at least this long is a paragraph: never a heading, a teaser or a list item
BYLINE_LINE = 80  # a byline line is shorter than this
HEAD_LINES = 3  # headline repeats, metadata and bylines are looked for in this many lines at the top
TAIL_BLURB = 2  # a block heading followed by at most this many lines ends the article
LEAD_ANCHOR = 100  # the lead is looked for before the first line at least this long ...
LEAD_SCOPE = 7  # ... among the elements under its element's ancestor this many levels up
LEAD_MIN, LEAD_MAX = 40, 1200
DESCRIPTION_MIN = 50  # a page description shorter than this is not matched against a lead
LEAD_LINK_SHARE = 0.3  # a lead is prose: at most this share of its text is link text
NEEDLE = 15  # the first words of a line that are looked up in the page must be at least this long
TRUNCATED_TEXT = 500  # trafilatura's text shorter than this may be a fragment of JSON-LD's articleBody

CAPTION_XPATH = etree.XPath(
    "//figcaption | //*[@itemprop='caption' or @itemprop='copyrightHolder']"
    " | //*[contains(@class, 'caption') or contains(@class, 'credit')]"
)
CAPTION_CLASSES = frozenset(("caption", "credit", "wp-caption-text"))
# A lead is prose of its own: not inside a figure, an aside or a link, and without headings, lists or media.
NOT_LEAD_XPATH = etree.XPath(
    "ancestor-or-self::*[self::figure or self::figcaption or self::aside or self::nav or self::footer"
    " or self::a or self::li] or .//*[self::script or self::style or self::h1 or self::h2 or self::h3"
    " or self::h4 or self::ul or self::ol or self::form or self::button or self::img or self::figure"
    " or self::time or self::table]"
)
FIND_XPATH = etree.XPath("(//body//text()[contains(., $needle)])[1]/..")
FIND_NORMALISED_XPATH = etree.XPath(
    "(//body//text()[contains(normalize-space(translate(., $nbsp, ' ')), $needle)])[1]/.."
)
_SPACE_RE = re.compile(r"\s+")
_TAG_RE = re.compile(r"<[^>]+>")
_ELLIPSIS_RE = re.compile(r"\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")
_LEAD_END_RE = re.compile(r"[.!?…:;)\"'»«“”„。！？」』]$")
_LIST_MARKERS = "-–•*· "


@dataclass(frozen=True)
class Body:
    """The article text as paragraphs, the byline lines taken out of it (with their names), and whether a
    paywall notice ended it.
    """

    paragraphs: list[str]
    bylines: list[BylineLine]
    paywall_notice: bool = False


def _size(line: str) -> int:
    """The length of a line in Latin letters: a CJK character says about as much as three."""
    return len(line) + 2 * len(CJK_RE.findall(line))


def _is_caption(element: HtmlElement) -> bool:
    return (
        element.tag == "figcaption"
        or element.get("itemprop") in {"caption", "copyrightHolder"}
        or not CAPTION_CLASSES.isdisjoint((element.get("class") or "").split())
    )


def caption_texts(tree: HtmlElement) -> set[str]:
    """Normalised texts of the page's photo captions and credits: they are not body text."""
    return {
        key
        for element in CAPTION_XPATH(tree)
        if _is_caption(element) and (key := line_key(element_text(element)))
    }


# --------------------------------------------------------------------------- the lead


def _element_of(tree: HtmlElement, line: str) -> HtmlElement | None:
    """The element whose text holds the start of ``line`` (looked up as written, then space-normalised)."""
    words = line.split()
    for xpath, needle in (
        (FIND_XPATH, " ".join(words[:5])),
        (FIND_NORMALISED_XPATH, " ".join(words[:6])[:60]),
    ):
        if len(needle) >= NEEDLE and (found := xpath(tree, needle=needle, nbsp="\u00a0")):
            element: HtmlElement = found[0]
            return element
    return None


def _preceding(first: HtmlElement, scope: HtmlElement) -> list[HtmlElement]:
    """The elements of ``scope`` before ``first`` in document order, ``first``'s ancestors excepted."""
    ancestors = set(first.iterancestors())
    found = []
    for element in scope.iter():
        if element is first:
            break
        if isinstance(element.tag, str) and element not in ancestors:
            found.append(element)
    return found


def _plausible_lead(element: HtmlElement, text: str, body: str, *, sentence: bool = True) -> bool:
    """Whether an element can be the lead: prose of its own, missing from the body (ending a sentence)."""
    if element.tag in {"h1", "title"} or not LEAD_MIN <= _size(text) <= LEAD_MAX or line_key(text) in body:
        return False
    if (sentence and not _LEAD_END_RE.search(text)) or is_not_lead_class(element.get("class")):
        return False
    links = sum(len(link.text_content().strip()) for link in element.iter("a"))
    return links <= LEAD_LINK_SHARE * len(text) and not NOT_LEAD_XPATH(element)


def _lead_among(candidates: list[HtmlElement], description: str | None, body: str) -> str | None:
    """The closest candidate whose class says lead/intro/deck/..., else one that starts with the description."""
    for element in reversed(candidates):
        if is_lead_class(element.get("class")) and _plausible_lead(
            element, text := element_text(element), body
        ):
            return text
    summary = line_key(_ELLIPSIS_RE.sub("", description or ""))[:100]
    if _size(summary) < DESCRIPTION_MIN or summary in body:
        return None
    for element in reversed(candidates):
        text = element_text(element)
        if line_key(text).startswith(summary) and _plausible_lead(element, text, body, sentence=False):
            return text
    return None


def lead_paragraph(
    tree: HtmlElement, lines: list[str], description: str | None = None
) -> tuple[int, str] | None:
    """A lead (standfirst, deck, chapô) that precedes the main text in the page but is missing from it.

    Returns the index of the line it goes before, and its text. The lead is an element a few levels
    above the first paragraph, before it, whose class says lead/intro/teaser/deck/summary/... or whose
    text starts with the page's description.
    """
    anchor = next((index for index, line in enumerate(lines) if _size(line) >= LEAD_ANCHOR), None)
    if anchor is None or (first := _element_of(tree, lines[anchor])) is None:
        return None
    ancestors = list(first.iterancestors())[:LEAD_SCOPE]
    if not ancestors:
        return None
    lead = _lead_among(_preceding(first, ancestors[-1]), description, line_key(" ".join(lines)))
    return (anchor, lead) if lead else None


# --------------------------------------------------------------------------- line cleanup


def _names_byline(line: str) -> BylineLine | None:
    """A short labelled byline whose words after the label are mostly capitalised names; never a sentence."""
    if len(line) > BYLINE_LINE or not (found := byline_line(line)):
        return None
    words = [word for word in line.split()[1:] if word[0].isalpha()]
    capitalised = sum(not word[0].islower() for word in words)
    return found if words and len(words) <= 10 and capitalised * 2 >= len(words) else None


def _is_link(line: str, links: Container[str]) -> bool:
    """Whether the line (list marker aside) is the whole text of one of the page's links."""
    return line_key(line.lstrip(_LIST_MARKERS)) in links


def _headline_like(line: str, links: Container[str]) -> bool:
    return _size(line) < LONG_LINE and (not ends_sentence(line) or _is_link(line, links))


def _run_end(lines: list[str], start: int, links: Container[str]) -> int:
    """The end of the run of headline-like lines (a list of teasers) that starts at ``start``."""
    end = start
    while end < len(lines) and _headline_like(lines[end], links):
        end += 1
    return end


def _drop_captions(lines: list[str], captions: Container[str]) -> list[str]:
    """The lines that are not photo captions, unless captions are most of the text (a slideshow)."""
    kept = [line for line in lines if line_key(line) not in captions]
    return kept if len(kept) * 2 >= len(lines) else lines


def _head(lines: list[str], title: str | None) -> tuple[list[str], list[BylineLine]]:
    """Drop the repeated headline, dates and metadata at the top; take out the bylines there."""
    bylines: list[BylineLine] = []
    kept: list[str] = []
    for line in lines[:HEAD_LINES]:
        if (title and line_key(line) == line_key(title)) or is_date_line(line) or is_metadata(line):
            continue
        if found := _names_byline(line):
            bylines.append(found)
        else:
            kept.append(line)
    return kept + lines[HEAD_LINES:], bylines


def _drop_inline(lines: list[str], links: Container[str]) -> tuple[list[str], bool]:
    """Drop teasers, prompts, disclosures, credits, metadata and paywall notices; whether a notice was seen."""
    kept: list[str] = []
    paywall = False
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if is_paywall_notice(line):
            paywall = True
        elif (rest := teaser_rest(line)) is not None:
            if not rest:  # a bare label ("Lesen Sie auch:"): its headlines follow it
                index = _run_end(lines, index, links)
        elif not (is_prompt(line) or is_disclosure(line) or is_credit(line) or is_metadata(line)):
            kept.append(line)
    return kept, paywall


def _drop_blocks(lines: list[str], links: Container[str]) -> list[str]:
    """Drop a block heading with the headlines under it; cut at one followed only by short lines or a blurb."""
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if index and is_tail_heading(line):
            rest = lines[index + 1 :]
            if len(rest) <= TAIL_BLURB or all(_size(other) < LONG_LINE for other in rest):
                break
            if (end := _run_end(lines, index + 1, links)) > index + 1:
                index = end
                continue
        kept.append(line)
        index += 1
    return kept


def _ends_in_teaser(lines: list[str], links: Container[str]) -> bool:
    """Whether the last line is a teaser link: a linked headline after a paragraph or another one."""
    if len(lines) < 2 or ends_sentence(lines[-1]) or not _is_link(lines[-1], links):
        return False
    return ends_sentence(lines[-2]) or _is_link(lines[-2], links)


def _trim_tail(lines: list[str], links: Container[str]) -> tuple[list[str], list[BylineLine]]:
    """Take dates, signatures, bylines and teaser links off the end; return the bylines."""
    bylines: list[BylineLine] = []
    while len(lines) > 1:
        if found := _names_byline(lines[-1]):
            bylines.append(found)
        elif not (is_date_line(lines[-1]) or is_signature(lines[-1]) or _ends_in_teaser(lines, links)):
            break
        lines = lines[:-1]
    return lines, bylines


def clean_lines(
    lines: list[str],
    title: str | None,
    captions: Container[str] = frozenset(),
    links: Container[str] = frozenset(),
) -> Body:
    """Clean trafilatura's text lines: headline, captions, bylines, teasers, prompts and trailing blocks out."""
    lines = _drop_captions([line.strip() for line in lines if line.strip()], captions)
    lines, bylines = _head(lines, title)
    lines, paywall = _drop_inline(lines, links)
    lines, tail_bylines = _trim_tail(_drop_blocks(lines, links), links)
    return Body(paragraphs=lines, bylines=bylines + tail_bylines, paywall_notice=paywall)


def _fuller_text(text: str, article_body: object) -> str:
    """JSON-LD ``articleBody`` instead of trafilatura's text when that is only a short fragment of it."""
    if not isinstance(article_body, str) or len(text) >= TRUNCATED_TEXT:
        return text
    article_body = html.unescape(_TAG_RE.sub("\n", article_body)).strip()
    return article_body if len(article_body) >= max(TRUNCATED_TEXT, 3 * len(text)) else text


def extract_body(page: PageContext, title: str | None) -> Body:
    """The article body of a page: trafilatura's main text, its missing lead restored, then cleaned."""
    text = page.document.text if page.document and page.document.text else ""
    lines = [line.strip() for line in _fuller_text(text, page.main.get("articleBody")).splitlines()]
    lines = [line for line in lines if line]
    description = page.metadata.description
    if lead := lead_paragraph(page.tree, lines, description):
        lines.insert(*lead)
    return clean_lines(lines, title, caption_texts(page.tree), page.link_texts)


def normalised_text(body: str) -> str:
    """The body with Unicode (NFKC), case and white space normalised: the basis of ``content_hash``."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", body)).strip().casefold()
