"""A deterministic generator of a realistic static news site, for benchmarks and tests.

Usage::

    python benchmarks/news_site.py OUT_DIR [--articles 2000] [--seed 0] [--page-kb 50 150]

or, from Python, ``write_site(root, articles, seed=0, page_kb=(50, 150))``, which returns the article
paths. Serve the folder with ``crawler.demo.server.LocalSite``: every page is ``<path>/index.html``, and
absolute URLs (canonical links, JSON-LD, sitemaps, the feed) use the placeholder origin
``https://demo.newscrawl.invalid`` that LocalSite replaces with its own; every other link is
root-relative. Nothing links outside the site (share buttons and embeds are buttons and text).

The article pages are meant to cost an extractor what real news pages cost, not only to weigh what
they weigh: on the annotated devset (real pages, 141 KB on average), ``trafilatura.bare_extraction``
with metadata spent its time on DOM-wide passes (``prune_unwanted_nodes``, readability's candidate
scoring, comment extraction, ``convert_tags``), on metadata the page does not state in ``<meta>`` or
JSON-LD (``extract_author``'s XPath scans, htmldate's search of date candidates when the URL has no
date), and on a tail of pages where the first extraction came out short and the recall escalation
(``html2txt``, a retry, justext) ran. A generator of clean ``<article><p>…`` pages padded with an
inline script bundle took none of those paths and ran 5 times faster. So the pages have:

- **Three templates**, as a site that has changed CMS over the years serves them (the share of each
  in ``TEMPLATES_SHARE``): ``story`` (``/2025/03/14/slug-123/``: an ``<article>`` with
  ``itemprop="articleBody"``, ``og:``/``article:`` meta tags, a meta author and JSON-LD
  ``NewsArticle``), ``legacy`` (``/world/slug-123/``: WordPress markup, ``div.entry-content``, the
  byline and date only in the page text and ``<time>``, JSON-LD describing the site, not the
  article) and ``app`` (``/news/world-00000123/``: React-style markup with generated class names,
  each paragraph in its own wrapper divs, no ``<article>``, JSON-LD ``NewsArticle``).
- **Three kinds** (``KINDS_SHARE``): ``standard`` articles of 8 to 26 paragraphs, ``brief`` ones of
  about 230 words under a long comment thread, and ``live`` blogs of timestamped entries.
- **Around the text**, what real pages carry: a cookie-consent dialog, a leaderboard ad, a header
  with a mega-menu of the sections, their subsections and the service pages (about 110 links),
  breadcrumbs, nested layout wrappers, paragraphs with inline links (to pages of the site),
  ``strong``/``em``/``span``, and between them ad slots, "Read more" links, embedded posts, pull
  quotes, figures, fact boxes, video players and newsletter forms; a lead image in ``<picture>``,
  byline with avatar and role, published and updated ``<time>``s, topic tags, an author card, share
  buttons; a comment thread (avatars, user names, dated comments, nested replies), a rail (most
  read and latest with dates, ad slots), "More from" and recommended teaser cards (image, kicker,
  headline, summary, byline, date), a footer, inline critical CSS, analytics, ``__PRELOADED_STATE__``
  and JSON-LD ``BreadcrumbList``.
- **Sizes** of ``page_kb`` KiB, drawn per page (seeded) from a triangular distribution with its mode
  at ``page_kb[1]``: a mean of about 117 KiB by default (the devset's pages average 141 KiB, more
  than a uniform draw's 100). The comment thread or live blog takes part of the room the page's own
  parts leave, a chunk of the site's minified inline bundle fills the rest (scripts are about 28 %
  of the bytes, 30 % on the devset). Pages of under 40 KiB (``page_kb[0]`` below that) get a compact
  layout: one template, a menu of the sections only, a short footer, 3 to 8 paragraphs, shorter
  lists, no comments and no inline bundle (a comment pads them instead). Pages are never cut: a
  compact page holds about 11-15 KiB of its own, a full one 54-81 KiB, and a drawn size below that
  gives a page larger than drawn.
- **Prose** made of sentences generated from templates over a built-in vocabulary (several hundred
  nouns, verbs and adjectives, places, names and roles): English to langdetect, extracted as text by
  trafilatura, and different from article to article (two distinct articles share about 1 % of their
  word 5-shingles at most).
- **Listings**: a home page (latest articles, section blocks, a feed link), section pages with numbered
  pagination (``/section/world/``, ``/section/world/page/2/``…, 20 articles a page), one page per
  subsection and per author, and service pages (about, contact…), all ``og:type=website``.
- **Discovery files**: ``robots.txt`` with a ``Sitemap:`` line, a sitemap index ``/sitemap.xml`` whose
  child sitemaps (``/sitemaps/articles-001.xml``…) list at most 1,000 articles each (``sitemap_size``)
  with ``lastmod``, an RSS feed ``/feed.xml`` of the 50 latest articles, and on request a news sitemap
  ``/news-sitemap.xml`` of the latest ones (``news_sitemap``), named in ``robots.txt`` too.
- **A site that grows**: ``published`` puts only the oldest articles on the site; writing it again with
  more adds the newest, as a site publishing between two crawls does.

Articles are dated one after the other over 2025 (the last one on 2025-12-31 at most). The output
depends only on ``articles``, ``seed`` and ``page_kb``. 2,000 default-sized articles (about 230 MB)
are written in about 6 seconds.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

ORIGIN = "https://demo.newscrawl.invalid"  # crawler.demo.server.PLACEHOLDER_ORIGIN
SITE_NAME = "The Harbour Gazette"
FIRST_DATE = datetime(2025, 1, 1, 6, 0, tzinfo=UTC)
DATE_SPAN = timedelta(days=364)
SITEMAP_SIZE = 1000
LISTING_SIZE = 20
FEED_SIZE = 50
COMPACT_BELOW_KB = 40
COMMENT_SHARE = {"standard": 0.6, "brief": 0.8, "live": 0.3}  # of the room left on a full article page
KINDS_SHARE = {"standard": 0.72, "brief": 0.2, "live": 0.08}  # kinds of article, see _plan
BRIEF_WORDS = 230
LIVE_SHARE = 0.45  # of a live blog's drawn size taken by its entries
TEMPLATES_SHARE = {"story": 0.25, "legacy": 0.45, "app": 0.3}  # article templates, see _plan
APP_COMPONENTS = [
    "ArticleWrapper",
    "HeadlineBlock",
    "Headline",
    "BylineBlock",
    "Contributor",
    "Timestamp",
    "TextBlock",
    "RichTextContainer",
    "Paragraph",
    "ImageBlock",
    "Caption",
    "TopicList",
    "TopicItem",
]


def _words(text: str) -> list[str]:
    return text.split()


SECTIONS: dict[str, list[str]] = {
    "World": ["Europe", "Americas", "Asia", "Africa", "Middle East", "Oceania", "Diplomacy", "Conflict"],
    "Politics": ["Parliament", "Elections", "Councils", "Policy", "Courts", "Campaigns", "Polls", "Analysis"],
    "Business": ["Markets", "Companies", "Economy", "Jobs", "Property", "Retail", "Banking", "Trade"],
    "Technology": ["Gadgets", "Software", "Startups", "Security", "Science", "Space", "Internet", "Games"],
    "Health": ["Hospitals", "Research", "Fitness", "Nutrition", "Mental Health", "Care", "Drugs", "Ageing"],
    "Sport": ["Football", "Cricket", "Rugby", "Tennis", "Cycling", "Sailing", "Athletics", "Golf"],
    "Culture": ["Music", "Film", "Books", "Theatre", "Art", "Television", "Festivals", "Food"],
    "Climate": ["Weather", "Energy", "Wildlife", "Oceans", "Farming", "Forests", "Rivers", "Pollution"],
    "Education": [
        "Schools",
        "Universities",
        "Teachers",
        "Exams",
        "Funding",
        "Early Years",
        "Skills",
        "Apprenticeships",
    ],
    "Travel": ["Rail", "Ferries", "Airports", "Holidays", "Hotels", "Roads", "Cities", "Outdoors"],
    "Opinion": [
        "Editorials",
        "Columnists",
        "Letters",
        "Cartoons",
        "Debate",
        "Obituaries",
        "Essays",
        "Reviews",
    ],
    "Local": [
        "Harbourside",
        "Northfield",
        "Eastbrook",
        "Westgate",
        "Southmoor",
        "Old Town",
        "Docklands",
        "Hillcrest",
    ],
}
SERVICE_PAGES = {
    "about": "About us",
    "contact": "Contact",
    "privacy": "Privacy policy",
    "terms": "Terms of use",
    "newsletters": "Newsletters",
    "subscribe": "Subscribe",
    "archive": "Archive",
    "authors": "Our journalists",
}

NOUNS = _words(
    """
agency airport allowance analyst apartment archive arena assembly audit authority bakery ballot bank
barrier basin beach bench benefit bill board boat border branch bridge brigade budget building bus
business cabinet campaign campus canal candidate capital cargo carrier castle cathedral centre charity
chart cinema circuit citizen clinic coalition coast college commission committee community company
concert contract corridor council court crew crop crowd customer dairy dam deal debate debt decade
deficit delegation depot deposit designer developer dialogue district dock doctor donor drought
economy editor election emergency employer engineer estate exhibition expert exporter factory fair
family farm farmer federation ferry festival field fleet flood forecast forest forum foundation fund
gallery garden generator glacier governor grant grid guideline habitat harbour harvest headquarters
highway hospital hotel household housing inquiry inspector insurer investor island judge jury
laboratory landlord lawmaker league lease library licence lighthouse loan lorry magistrate manager
manufacturer marina market mayor meadow merger migrant minister monitor motorway museum network
newsroom nurse observatory office operator orchard orchestra outlet owner panel parish park
partnership passenger pension pharmacy pier pilot pipeline planner plant platform playground police
policy port programme project prosecutor province pub quarry railway rally reactor referendum
refinery regulator reservoir resident retailer review river road route runway salary sanctuary
scheme scholar school scientist season sector senate settlement shelter shipyard shop shortage
skyline society squad stadium station steelworks strike student studio subsidy suburb supplier
surgeon survey tariff teacher team tenant terminal theatre tournament tower trader tram treasury
tribunal trust tunnel turbine union university valley vendor venue verdict viaduct village
vineyard volunteer voter wage warehouse waterfront welfare wharf wildfire windfarm witness workshop
"""
)

VERBS = _words(
    """
accelerate:accelerated accept:accepted adjust:adjusted adopt:adopted announce:announced
approve:approved assess:assessed back:backed ban:banned block:blocked boost:boosted
challenge:challenged change:changed charge:charged claim:claimed close:closed complete:completed
confirm:confirmed consider:considered cover:covered create:created criticise:criticised
cut:cut defend:defended delay:delayed deliver:delivered demand:demanded deploy:deployed
design:designed develop:developed discover:discovered dismiss:dismissed double:doubled
ease:eased end:ended expand:expanded extend:extended fund:funded halt:halted handle:handled
improve:improved increase:increased inspect:inspected install:installed introduce:introduced
investigate:investigated launch:launched limit:limited list:listed lower:lowered
manage:managed measure:measured modernise:modernised monitor:monitored move:moved
negotiate:negotiated observe:observed open:opened oppose:opposed order:ordered
overhaul:overhauled pause:paused plan:planned postpone:postponed prepare:prepared
present:presented promise:promised propose:proposed protect:protected publish:published
question:questioned raise:raised rebuild:rebuilt receive:received recommend:recommended
record:recorded reduce:reduced reform:reformed reject:rejected release:released
renovate:renovated reopen:reopened repair:repaired replace:replaced report:reported
request:requested rescue:rescued restore:restored restrict:restricted revise:revised
scrap:scrapped secure:secured settle:settled sign:signed simplify:simplified
strengthen:strengthened study:studied suspend:suspended support:supported test:tested
track:tracked transform:transformed triple:tripled unveil:unveiled upgrade:upgraded
welcome:welcomed widen:widened
"""
)

ADJECTIVES = _words(
    """
ambitious annual local regional national coastal rural urban historic modern temporary permanent
controversial popular fragile costly affordable expensive cheaper overdue revised independent
public private municipal federal northern southern eastern western crowded quiet vital urgent
long-awaited disputed detailed preliminary final cautious bold modest major minor rapid slow
gradual sudden unexpected record-breaking seasonal weekly monthly digital electric renewable
low-carbon flood-hit storm-damaged neglected busy remote central outer inner ageing new young
experienced senior junior leading struggling thriving growing shrinking overcrowded underused
popular-with-locals family-run small large medium-sized vast narrow wide steep shallow deep
fresh ancient medieval industrial agricultural maritime volunteer-led community-owned
cross-party bipartisan joint emergency interim official unofficial confidential transparent
sustainable fragmented unified competitive generous strict lenient flexible rigid modestly-funded
"""
)

ADVERBS = _words(
    """
quickly slowly sharply narrowly firmly openly quietly formally briefly repeatedly eventually
initially reluctantly unanimously cautiously broadly largely partly fully publicly privately
"""
)

PLACES = _words(
    """
Northfield Eastbrook Westgate Southmoor Harbourside Kingsbridge Ashford Millbrook Redcliffe
Stonehaven Fairhaven Oakridge Elmstead Brightwater Clearwater Greystone Holloway Larkhill
Marshfield Newbury Oldcastle Pinehurst Queensferry Riverton Saltmarsh Thornbury Upton Whitby
Yardley Beaconsfield Cedarton Dunmore Foxley Glenwood Hartley Ivybridge Juniper Kelso
Lindon Morwick Norland Pembury Rosedale Sandhurst Tarrant Vale Winslow Bramley Crestwood
"""
)

FIRST_NAMES = _words(
    """
Alice Amara Anna Ben Carla Chen Daniel Dara Elena Emma Farid Fiona George Grace Hannah Hugo Ines
Isaac Jack James Jia Karen Kofi Laura Leo Lucia Maria Mark Maya Nadia Nathan Olivia Omar Paul
Priya Rachel Ravi Ruth Sam Sara Sean Sofia Tom Una Victor Wei William Yara Zoe Aaron Bianca
Colin Diana Erik Freya Gareth Helen Ibrahim Joanna Kenji Lena Malik Nina Oscar Petra
"""
)

LAST_NAMES = _words(
    """
Abbott Adeyemi Bailey Barnes Bennett Brooks Campbell Carter Chandra Clarke Collins Cooper Davies
Dixon Edwards Evans Fischer Fletcher Foster Garcia Gibson Graham Hall Harris Hughes Iqbal Jackson
Jenkins Johnson Kaur Kelly Khan Lambert Lee Lewis Lopez Marshall Martin Mason Mitchell Moore
Morgan Murphy Nguyen Novak Okafor Owen Palmer Parker Patel Price Quinn Reid Richards Roberts
Rossi Russell Santos Shaw Singh Stewart Sullivan Taylor Thomas Turner Walker Ward Watson Wright
Young Zhang
"""
)

ROLES = [
    "spokesperson",
    "chief executive",
    "senior analyst",
    "local councillor",
    "union representative",
    "project manager",
    "researcher",
    "professor of economics",
    "campaign organiser",
    "head teacher",
    "harbour master",
    "consultant surgeon",
    "planning officer",
    "community organiser",
    "shop owner",
    "retired engineer",
    "resident",
    "volunteer coordinator",
    "policy adviser",
    "director of operations",
]
ORG_KINDS = [
    "City Council",
    "Harbour Authority",
    "Chamber of Commerce",
    "Housing Trust",
    "Transport Board",
    "Health Trust",
    "Residents' Association",
    "Rail Company",
    "Wildlife Trust",
    "Farmers' Union",
    "Energy Cooperative",
    "Teachers' Union",
    "Water Company",
    "Arts Council",
]
TIMES = [
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "over the weekend",
    "last week",
    "last month",
    "earlier this year",
    "in the spring",
    "before the summer",
    "late on Thursday night",
    "after months of talks",
    "within hours",
]
SAYS = ["said", "told reporters", "added", "noted", "warned", "argued", "explained", "told the Gazette"]

TEMPLATES = [
    "The {adj} {noun} in {place} {past} the {noun2} {time}.",
    "{name}, a {role} at the {org}, said the {noun} had been {past} {adv} {time}.",
    "Officials {past} a {adj} plan to {verb} the {noun} in {place} by {year}.",
    "According to the {org}, {number} {nouns} were {past} across {place} {time}.",
    '"We have {past} the {adj} {noun} and we will {verb} the {noun2} next," {name} {says}.',
    "The {noun} {adv} {past} a {adj} {noun2} that {noun3} groups in {place} had {past2} for years.",
    "Critics {past} the {noun}, saying it would {verb} the {adj} {noun2} and leave {nouns} behind.",
    "{name} {says} that the {adj} {noun} could {verb} as many as {number} {nouns}.",
    "In {place}, the {noun} {past} {number} {nouns} and {past2} a {adj} {noun2}.",
    "The {org} {past} its {adj} {noun}, a move that {name} called {adj2}.",
    "Supporters of the {noun} {says} it would {verb} the {noun2} and {verb2} {adj} {nouns}.",
    "A {adj} review of the {noun} {past} that {number} {nouns} in {place} had been {past2}.",
    "Asked about the {noun}, {name} {says} the {org} would {verb} the {adj} {noun2} {time}.",
    "The {noun2} in {place} was {past} after the {adj} {noun} {past2} {time}.",
    "It is the {ordinal} time since {year} that the {org} has {past} a {adj} {noun}.",
    "Residents near the {noun} in {place} {past} the {adj} {noun2}, {name} {says}.",
    "{number} {nouns} and a {adj} {noun} were {past} {time}, the {org} confirmed.",
    "The {adj} {noun} is expected to {verb} the {noun2} and {verb2} the {noun3} in {place}.",
    "Behind the {noun} lies a {adj} {noun2} that the {org} {past} in {year}.",
    "{name}, who {past} the {noun} in {place} for {few} years, {says} little had {past2}.",
]
ORDINALS = ["second", "third", "fourth", "fifth", "first"]
COMMENT_OPENERS = [
    "Typical.",
    "About time too.",
    "I live just round the corner and nobody asked us.",
    "Has anyone actually read the report?",
    "This is the third time I have seen this story.",
    "Good news for once.",
    "My grandfather worked there for forty years.",
    "Who is going to pay for it?",
    "Not convinced, to be honest.",
    "Well done to everyone involved.",
    "The council never listens.",
    "Interesting piece, thank you.",
]
HEADLINES = [
    "{Place} {noun} {verbs} {adj} {noun2} {time}",
    "{Org} {verbs} {adj} {noun} in {place}",
    "Why {place} {verbs_not} its {adj} {noun}",
    "{Number} {nouns} {past} as {place} {noun} {verbs} {noun2}",
    "{Place} {nouns} {verb_plural} {adj} {noun} after long debate",
    "{Adj} {noun} in {place} {verbs} the {noun2}",
]

_WORD_RE = re.compile(r"[^a-z0-9]+")
_TAG_RE = re.compile(r"<[^>]+>")
_AN_RE = re.compile(r"\b([Aa]) ([aeiou])")


@dataclass
class Article:
    """One generated article's metadata (its page is written from it)."""

    number: int
    path: str
    headline: str
    section: str
    subsection: str
    author: str
    published: datetime
    template: str = "story"
    kind: str = "standard"


def _plural(noun: str) -> str:
    if noun == "headquarters":
        return noun
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    return noun + "s"


def _third_person(verb: str) -> str:
    return _plural(verb)


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``"Why Kelso scrapped…"`` → ``why-kelso-scrapped``."""
    return _WORD_RE.sub("-", text.lower()).strip("-")


class ProseGenerator:
    """Sentences, paragraphs and headlines drawn from the templates and vocabulary with one ``Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.verbs = [tuple(pair.split(":")) for pair in VERBS]

    def _slots(self) -> dict[str, str]:
        choice = self.rng.choice
        verb, verb2 = choice(self.verbs)[0], choice(self.verbs)[0]
        past, past2 = choice(self.verbs)[1], choice(self.verbs)[1]
        noun = choice(NOUNS)
        return {
            "adj": choice(ADJECTIVES),
            "adj2": choice(ADJECTIVES),
            "adv": choice(ADVERBS),
            "noun": noun,
            "noun2": choice(NOUNS),
            "noun3": choice(NOUNS),
            "nouns": _plural(choice(NOUNS)),
            "verb": verb,
            "verb2": verb2,
            "past": past,
            "past2": past2,
            "place": choice(PLACES),
            "name": f"{choice(FIRST_NAMES)} {choice(LAST_NAMES)}",
            "role": choice(ROLES),
            "org": f"{choice(PLACES)} {choice(ORG_KINDS)}",
            "time": choice(TIMES),
            "says": choice(SAYS),
            "year": str(self.rng.randint(1990, 2030)),
            "number": str(self.rng.randint(2, 900)),
            "few": str(self.rng.randint(2, 40)),
            "ordinal": choice(ORDINALS),
        }

    def sentence(self) -> str:
        """One sentence, capitalised."""
        text = _AN_RE.sub(r"\1n \2", self.rng.choice(TEMPLATES).format(**self._slots()))
        return text[0].upper() + text[1:] if text[0] != '"' else text

    def rich_sentence(self, links: Sequence[str]) -> str:
        """One sentence as HTML, with the inline markup of real copy: some names, organisations and
        places linked (to ``links``, pages of the site) or set in ``strong``/``em``/``span``."""
        slots = {key: _e(value) for key, value in self._slots().items()}
        rng = self.rng
        for key in ("name", "org", "place"):
            roll = rng.random()
            if roll < 0.22 and links:
                slots[key] = f'<a href="{rng.choice(links)}" class="inline-link">{slots[key]}</a>'
            elif roll < 0.3:
                slots[key] = f"<strong>{slots[key]}</strong>"
            elif roll < 0.36:
                slots[key] = f'<span class="entity" data-entity="{key}">{slots[key]}</span>'
        if rng.random() < 0.1:
            slots["adj"] = f"<em>{slots['adj']}</em>"
        text = _AN_RE.sub(r"\1n \2", rng.choice(TEMPLATES).format(**slots))
        return text[0].upper() + text[1:] if text[0] not in '"<' else text

    def rich_paragraph(self, links: Sequence[str]) -> str:
        """Two to five sentences of :meth:`rich_sentence`."""
        return " ".join(self.rich_sentence(links) for _ in range(self.rng.randint(2, 5)))

    def comment(self) -> str:
        """A reader's comment: one to three sentences, in a reader's voice."""
        opener = self.rng.choice(COMMENT_OPENERS)
        return " ".join([opener, *(self.sentence() for _ in range(self.rng.randint(1, 3)))])

    def paragraph(self) -> str:
        """Two to five sentences."""
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def headline(self) -> str:
        """A headline in sentence case."""
        slots = self._slots()
        verb, past = slots["verb"], slots["past"]
        text = self.rng.choice(HEADLINES).format(
            Place=slots["place"],
            place=slots["place"],
            Org=slots["org"],
            Number=slots["number"],
            Adj=slots["adj"].capitalize(),
            adj=slots["adj"],
            noun=slots["noun"],
            noun2=slots["noun2"],
            nouns=slots["nouns"],
            verbs=_third_person(verb),
            verbs_not=f"{past} and then paused",
            verb_plural=verb,
            past=past,
            time=slots["time"],
        )
        return _AN_RE.sub(r"\1n \2", text[0].upper() + text[1:])

    def name(self) -> str:
        """A person's name."""
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


# -- shared page parts --------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def section_path(section: str, subsection: str | None = None, page: int = 1) -> str:
    """``/section/world/``, ``/section/world/europe/`` or ``/section/world/page/2/``."""
    path = f"/section/{slugify(section)}/"
    if subsection:
        path += f"{slugify(subsection)}/"
    return path if page == 1 else f"{path}page/{page}/"


def author_path(name: str) -> str:
    """``/authors/jane-doe/``."""
    return f"/authors/{slugify(name)}/"


def _css(rng: random.Random, rules: int) -> str:
    """Critical CSS of ``rules`` rules, as sites inline it."""
    properties = [
        "margin:0 auto",
        "padding:0 16px",
        "display:flex",
        "display:grid",
        "color:#1a1a1a",
        "background:#fff",
        "font:400 16px/1.5 Georgia,serif",
        "border-bottom:1px solid #e5e5e5",
        "grid-template-columns:repeat(12,1fr)",
        "max-width:1280px",
        "text-transform:uppercase",
        "letter-spacing:.02em",
        "position:sticky",
        "top:0",
        "z-index:10",
        "gap:24px",
        "align-items:center",
    ]
    parts = []
    for number in range(rules):
        selector = f".c-{slugify(rng.choice(NOUNS))}-{number:x}"
        declarations = ";".join(rng.sample(properties, 4))
        parts.append(f"{selector}{{{declarations}}}")
        if number % 25 == 0:
            parts.append(
                f"@media (min-width:{rng.choice([600, 768, 1024])}px){{{selector}{{{declarations}}}}}"
            )
    return "".join(parts)


def _bundle(rng: random.Random, size: int) -> str:
    """Pseudo-minified JavaScript of about ``size`` characters (the site's inline bundle)."""
    parts: list[str] = []
    total = 0
    number = 0
    while total < size:
        name = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=2)) + str(number)
        word = rng.choice(NOUNS)
        chunk = (
            f'{number}:function(e,t,n){{"use strict";n.d(t,{{{name}:function(){{return {word}}}}});'
            f"var r=n({rng.randint(100, 99999)}),o=n.n(r);function {name}(e){{var t=e.{word},"
            f'n=void 0===t?{rng.randint(0, 999)}:t;return(0,o.jsx)("div",{{className:"c-{word}",'
            f"children:n}})}}}},"
        )
        parts.append(chunk)
        total += len(chunk)
        number += 1
    return "".join(parts)


@dataclass
class Chrome:
    """The parts every page of the site shares: head styles and scripts, header, footer, consent banner."""

    css: str
    analytics: str
    header: str
    footer: str
    bundle: str
    compact: bool
    consent: str = ""
    classes: dict[str, str] = field(default_factory=dict)


def _chrome(rng: random.Random, compact: bool) -> Chrome:
    sections = list(SECTIONS)
    menu = []
    for section in sections:
        items = (
            ""
            if compact
            else '<div class="mega-menu__panel"><ul class="mega-menu__list">'
            + "".join(
                f'<li class="mega-menu__item"><a class="mega-menu__link" href="{section_path(section, sub)}">'
                f"{_e(sub)}</a></li>"
                for sub in SECTIONS[section]
            )
            + "</ul></div>"
        )
        menu.append(
            f'<li class="menu-item menu-item--{slugify(section)}"><a class="menu-item__link" '
            f'href="{section_path(section)}">{_e(section)}</a>{items}</li>'
        )
    services = "".join(
        f'<li class="menu-item"><a href="/{slug}/">{_e(label)}</a></li>'
        for slug, label in SERVICE_PAGES.items()
    )
    header = (
        '<header class="site-header" id="masthead" role="banner"><div class="site-header__inner l-container">'
        '<div class="topbar"><a class="skip-link screen-reader-text" href="#main">Skip to content</a>'
        '<div class="topbar__brand"><a class="logo" href="/" rel="home"><span class="logo__text">'
        f'{_e(SITE_NAME)}</span></a></div><div class="topbar__actions"><button class="search-toggle" '
        'aria-label="Search" aria-expanded="false"></button><a class="button button--subscribe" '
        'href="/subscribe/">Subscribe</a><a class="button button--login" href="/subscribe/#login">Sign in</a>'
        '</div></div><nav class="main-menu" aria-label="Sections"><div class="main-menu__inner">'
        f'<ul class="main-menu__list"><li class="menu-item"><a href="/">Home</a></li>{"".join(menu)}'
        f"{'' if compact else services}</ul></div></nav></div></header>"
    )
    section_links = "".join(
        f'<li><a href="{section_path(section)}">{_e(section)}</a></li>' for section in sections
    )
    if compact:
        footer_columns = f"<ul>{services}</ul>"
    else:
        social = "".join(
            f'<li><button class="social social--{name.lower()}" data-network="{name.lower()}">'
            f"Follow us on {name}</button></li>"
            for name in ("Facebook", "X", "Instagram", "YouTube", "LinkedIn")
        )
        footer_columns = (
            f'<div class="footer-col"><h4>Sections</h4><ul class="footer-links">{section_links}</ul></div>'
            f'<div class="footer-col"><h4>{_e(SITE_NAME)}</h4><ul class="footer-links">{services}</ul></div>'
            f'<div class="footer-col"><h4>Follow us</h4><ul class="footer-social">{social}</ul></div>'
            '<div class="footer-col footer-col--app"><h4>Get the app</h4><p>Breaking news, live blogs and '
            "the daily edition on your phone, with alerts for the stories you follow.</p></div>"
        )
    footer = (
        f'<footer class="site-footer" role="contentinfo"><div class="site-footer__inner l-container">'
        f'<div class="footer-grid">{footer_columns}</div><div class="footer-legal">'
        f"<p>© 1871-2025 {_e(SITE_NAME)} Ltd. All rights reserved. Registered in Harbourside, company no. "
        f"{rng.randint(1000000, 9999999)}. Registered office: 1 Quay Street, Harbourside.</p>"
        '<p>We use cookies to improve your experience. See our <a href="/privacy/">privacy policy</a> and '
        '<a href="/terms/">terms of use</a>.</p></div></div></footer>'
    )
    consent = (
        '<div id="cmp-banner" class="cmp cmp--bottom" role="dialog" aria-modal="true" aria-label="Cookie consent">'
        '<div class="cmp__inner"><div class="cmp__text"><h2 class="cmp__title">We value your privacy</h2>'
        f"<p>{_e(SITE_NAME)} and our 164 partners store and access information on your device, such as "
        "cookies, and process personal data such as unique identifiers and browsing data, to personalise "
        "ads and content, measure ads and content, learn about our audience and develop products. You can "
        "accept, refuse or change your choices at any time by visiting Privacy settings at the bottom of "
        'the page.</p><p class="cmp__small">Some partners do not ask for your consent and rely on their '
        "legitimate interest instead; you can object to this by selecting Manage options.</p></div>"
        '<div class="cmp__buttons"><button class="cmp__button cmp__button--accept">Accept all</button>'
        '<button class="cmp__button cmp__button--reject">Reject all</button>'
        '<button class="cmp__button cmp__button--options">Manage options</button>'
        '<a class="cmp__link" href="/privacy/">Privacy policy</a></div></div></div>'
    )
    analytics = (
        "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        'gtag("js",new Date());gtag("config","G-'
        + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=10))
        + '",{anonymize_ip:true});window.adSlots=['
        + ",".join(f'{{id:"ad-{n}",sizes:[[300,250],[728,90]],targeting:{{pos:"{n}"}}}}' for n in range(8))
        + "];"
    )
    return Chrome(
        css=_css(rng, 12 if compact else 120),
        analytics=analytics,
        header=header,
        footer=footer,
        bundle="" if compact else _bundle(rng, 160 * 1024),
        compact=compact,
        consent="" if compact else consent,
        classes={
            component: f"ssr-{''.join(rng.choices('abcdefghijklmnopqrstuvwxyz0123456789', k=6))}-{component}"
            for component in APP_COMPONENTS
        },
    )


def _head(chrome: Chrome, title: str, description: str, path: str, og_type: str, extra: str = "") -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="description" content="{_e(description)}">'
        f'<link rel="canonical" href="{ORIGIN}{path}">'
        f'<meta property="og:type" content="{og_type}"><meta property="og:title" content="{_e(title)}">'
        f'<meta property="og:url" content="{ORIGIN}{path}"><meta property="og:site_name" content="{SITE_NAME}">'
        f'<meta name="twitter:card" content="summary_large_image">'
        '<link rel="alternate" type="application/rss+xml" title="Latest news" href="/feed.xml">'
        f"<style>{chrome.css}</style><script>{chrome.analytics}</script>{extra}</head>"
    )


def _date_text(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}, {when:%H:%M}"


def _article_list(articles: Sequence[Article], css_class: str, tag: str = "ul") -> str:
    items = "".join(
        f'<li><a href="{a.path}">{_e(a.headline)}</a> <span class="meta">{_e(a.section)}</span></li>'
        for a in articles
    )
    return f'<{tag} class="{css_class}">{items}</{tag}>'


# -- pages --------------------------------------------------------------------------------------------


def _long_date(when: datetime) -> str:
    """``March 14, 2025 at 9:32 am``, as WordPress themes print dates."""
    hour = when.hour % 12 or 12
    return f"{when:%B} {when.day}, {when.year} at {hour}:{when:%M} {'am' if when.hour < 12 else 'pm'}"


def _image(path: str, alt: str, width: int, height: int, css_class: str = "") -> str:
    """A responsive ``picture`` with WebP sources, as CMSs emit them."""
    stem = path.rsplit(".", 1)[0]
    sources = ", ".join(f"{stem}-{w}.webp {w}w" for w in (320, 640, 960, 1280))
    return (
        f'<picture class="{css_class}"><source type="image/webp" srcset="{sources}" '
        f'sizes="(min-width: 1024px) 680px, 100vw"><img src="{path}" alt="{_e(alt)}" width="{width}" '
        f'height="{height}" loading="lazy" decoding="async"></picture>'
    )


def _card(article: Article, summary: str, variant: str) -> str:
    """A teaser card of another article: image, kicker, headline, summary, byline and date."""
    image = f"/images/{article.published:%Y/%m}/{slugify(article.headline)[:40]}-{article.number}.jpg"
    return (
        f'<div class="card card--{variant}" data-article-id="{article.number}"><a class="card__link" '
        f'href="{article.path}"><div class="card__media">{_image(image, "", 320, 180, "card__image")}</div>'
        f'<div class="card__content"><span class="card__kicker">{_e(article.subsection)}</span>'
        f'<h3 class="card__title"><span class="card__title-text">{_e(article.headline)}</span></h3></div></a>'
        f'<p class="card__summary">{_e(summary)}</p><div class="card__meta"><span class="card__byline">'
        f'<a href="{author_path(article.author)}">{_e(article.author)}</a></span> '
        f'<time class="card__date" datetime="{article.published.isoformat()}">'
        f"{_date_text(article.published)}</time></div></div>"
    )


def _ad(slot: str, sizes: str) -> str:
    """An ad slot: wrappers, a label and the empty container the ad script fills."""
    return (
        f'<div class="ad-container ad-container--{slot}"><div class="ad-container__inner">'
        '<span class="ad-container__label">Advertisement</span>'
        f'<div class="ad-slot" id="ad-{slot}" data-sizes="{sizes}" data-refresh="30">'
        f'<div id="google_ads_iframe_{slot}__container__" class="gpt-container"></div></div>'
        '<p class="ad-container__feedback"><button class="ad-feedback">Report this ad</button></p></div></div>'
    )


def _insert(
    kind: str, prose: ProseGenerator, rng: random.Random, others: Sequence[Article], number: int
) -> str:
    """One of the things real CMSs put between an article's paragraphs."""
    if kind == "ad":
        return _ad(f"inline-{number}", "300x250,336x280,fluid")
    if kind == "read_more":
        other = rng.choice(others)
        return (
            f'<aside class="read-more" data-component="inline-related"><span class="read-more__label">'
            f'Read more:</span> <a class="read-more__link" href="{other.path}">{_e(other.headline)}</a></aside>'
        )
    if kind == "tweet":
        name = prose.name()
        handle = slugify(name).replace("-", "_")
        when = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 364))
        return (
            '<figure class="embed embed--twitter"><blockquote class="twitter-tweet" data-dnt="true">'
            f'<p lang="en" dir="ltr">{_e(prose.sentence())}</p>— {_e(name)} (@{handle}) '
            f'<span class="tweet-date">{when:%B} {when.day}, {when.year}</span></blockquote></figure>'
        )
    if kind == "subheading":
        return f'<h2 class="story-body__subheading">{_e(prose.headline())}</h2>'
    if kind == "quote":
        return (
            f'<blockquote class="pull-quote"><p>“{_e(prose.sentence())}”</p>'
            f'<footer><cite class="pull-quote__cite">{_e(prose.name())}</cite></footer></blockquote>'
        )
    if kind == "figure":
        caption = prose.sentence()
        image = f"/images/inline/{number}-{rng.randint(1000, 9999)}.jpg"
        return (
            f'<figure class="inline-image">{_image(image, caption, 1200, 800)}<figcaption>'
            f'<span class="inline-image__caption">{_e(caption)}</span> <span class="inline-image__credit">'
            f"Photograph: {_e(prose.name())}</span></figcaption></figure>"
        )
    if kind == "factbox":
        items = "".join(f"<li>{_e(prose.sentence())}</li>" for _ in range(rng.randint(3, 5)))
        return (
            f'<aside class="factbox"><h3 class="factbox__title">Key facts</h3><ul class="factbox__list">{items}'
            "</ul></aside>"
        )
    if kind == "video":
        seconds = rng.randint(40, 400)
        return (
            f'<div class="video-player" data-video-id="v{rng.randint(10**7, 10**8)}" '
            f'data-duration="PT{seconds // 60}M{seconds % 60}S"><div class="video-player__poster">'
            f'{_image(f"/images/video/{number}.jpg", "", 1280, 720)}<button class="video-player__play" '
            f'aria-label="Play video">Play</button><span class="video-player__duration">{seconds // 60}:'
            f'{seconds % 60:02d}</span></div><p class="video-player__caption">{_e(prose.headline())}</p></div>'
        )
    return (  # newsletter
        '<div class="inline-signup"><form action="/newsletters/" method="get"><p class="inline-signup__title">'
        'Sign up to First Edition, our free daily newsletter</p><input type="email" name="email" '
        'placeholder="Email address" aria-label="Email address"><button>Sign up</button></form></div>'
    )


INSERTS = [
    "ad",
    "read_more",
    "ad",
    "tweet",
    "subheading",
    "quote",
    "figure",
    "factbox",
    "video",
    "newsletter",
]


def _comments(article: Article, prose: ProseGenerator, rng: random.Random, budget: int) -> str:
    """A comment thread of about ``budget`` bytes: dated comments with avatars and nested replies."""
    items: list[str] = []
    total = 0
    count = 0
    when = article.published
    while total < budget:
        replies = []
        for depth in range(1, 1 + (rng.randint(1, 3) if rng.random() < 0.35 else 1)):
            count += 1
            when += timedelta(minutes=rng.randint(1, 240))
            user = rng.choice(FIRST_NAMES).lower() + rng.choice(["", "_", "."]) + rng.choice(PLACES).lower()
            identifier = article.number * 1000 + count
            replies.append(
                f'<li id="comment-{identifier}" class="comment {"even" if count % 2 else "odd"} depth-{depth}">'
                f'<article id="div-comment-{identifier}" class="comment-body"><footer class="comment-meta">'
                f'<div class="comment-author vcard"><img alt="" src="/images/avatars/{count % 40}.png" '
                f'class="avatar avatar-40 photo" width="40" height="40"><b class="fn">{_e(user)}</b> '
                '<span class="says">says:</span></div><div class="comment-metadata">'
                f'<a href="#comment-{identifier}"><time datetime="{when.isoformat()}">{_long_date(when)}</time>'
                f'</a></div></footer><div class="comment-content"><p>{_e(prose.comment())}</p></div>'
                f'<div class="comment-actions"><button class="comment-like">Like ({rng.randint(0, 80)})</button>'
                f'<a rel="nofollow" class="comment-reply-link" href="#comment-{identifier}">Reply</a></div>'
                "</article>"
            )
        thread = replies[-1] + "</li>"
        for reply in reversed(replies[:-1]):
            thread = f'{reply}<ol class="children">{thread}</ol></li>'
        items.append(thread)
        total += len(thread)
    return (
        f'<section id="comments" class="comments-area"><h2 class="comments-title">{count} comments</h2>'
        '<div class="comments-sort">Sort by <button>Newest</button> <button>Oldest</button> '
        '<button>Most liked</button></div><p class="comments-policy">Comments are moderated. Please read our '
        f'<a href="/terms/">community guidelines</a>.</p><ol class="comment-list">{"".join(items)}</ol></section>'
    )


def _live_blog(
    article: Article, prose: ProseGenerator, rng: random.Random, links: Sequence[str], budget: int
) -> str:
    """A live blog of about ``budget`` bytes: timestamped entries, newest first, some with a headline."""
    entries: list[str] = []
    total = 0
    when = article.published
    while total < budget:
        when += timedelta(minutes=rng.randint(3, 25))
        entries.append(
            f'<div class="block" id="block-{article.number}-{len(entries)}" data-block-type="post">'
            '<div class="block__header"><p class="block__time"><time datetime="'
            f'{when.isoformat()}">{when:%H.%M} GMT</time> <span class="block__date">{when.day} {when:%B}</span>'
            "</p>"
            + (f'<h3 class="block__title">{_e(prose.headline())}</h3>' if rng.random() < 0.4 else "")
            + '</div><div class="block__body">'
            + "".join(f"<p>{prose.rich_paragraph(links)}</p>" for _ in range(rng.randint(1, 3)))
            + '</div><div class="block__footer"><button class="block__share">Share</button>'
            f'<span class="block__updated">Updated at {(when + timedelta(minutes=2)):%H.%M} GMT</span></div></div>'
        )
        total += len(entries[-1])
    return (
        '<div class="live-blog"><p class="live-blog__status"><span class="live-badge">Live</span> Updates as they '
        f'happen</p><div class="live-blog__entries">{"".join(reversed(entries))}</div></div>'
    )


def _news_article(
    article: Article, url: str, description: str, published: str, modified: str, image: str
) -> dict[str, Any]:
    """The JSON-LD NewsArticle of an article page."""
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": description,
        "datePublished": published,
        "dateModified": modified,
        "author": [{"@type": "Person", "name": article.author, "url": ORIGIN + author_path(article.author)}],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": SITE_NAME,
            "logo": {"@type": "ImageObject", "url": f"{ORIGIN}/static/logo.png"},
        },
        "image": [ORIGIN + image],
        "articleSection": article.section,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "isAccessibleForFree": True,
        "inLanguage": "en-GB",
    }


def _breadcrumbs(article: Article) -> dict[str, object]:
    """The JSON-LD BreadcrumbList of an article: home, section, subsection."""
    trail = [
        ("Home", ORIGIN + "/"),
        (article.section, ORIGIN + section_path(article.section)),
        (article.subsection, ORIGIN + section_path(article.section, article.subsection)),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(trail, start=1)
        ],
    }


def _article_page(
    article: Article, articles: list[Article], chrome: Chrome, rng: random.Random, size: int
) -> str:
    if chrome.compact:
        return _compact_article_page(article, articles, chrome, rng, size)
    prose = ProseGenerator(rng)
    url = ORIGIN + article.path
    published = article.published.isoformat()
    updated = article.published + timedelta(hours=rng.randint(1, 30))
    description = prose.sentence()
    others = [
        articles[n] for n in rng.sample(range(len(articles)), min(len(articles), 40)) if n != article.number
    ]
    links = [
        author_path(article.author),
        section_path(article.section),
        section_path(article.section, article.subsection),
        *(a.path for a in others[:12]),
    ]
    photographer = prose.name()
    caption = prose.sentence()
    image = f"/images/{article.published:%Y/%m}/{slugify(article.headline)[:40]}-{article.number}.jpg"
    story = article.template == "story"

    # the body: paragraphs with inline links, and the inserts of a real CMS between them
    parts = []
    app = chrome.classes if article.template == "app" else None
    if article.kind == "live":
        body_html = _live_blog(article, prose, rng, links, int(size * LIVE_SHARE))
        paragraphs = 30
    else:
        paragraphs = rng.randint(8, 26) if article.kind == "standard" else 99
        next_insert = rng.randint(2, 3)
        words = 0
        for number in range(paragraphs):
            text = prose.rich_paragraph(links)
            if app:  # each paragraph a component of its own, in wrappers with generated class names
                parts.append(
                    f'<div data-component="text-block" class="{app["TextBlock"]}">'
                    f'<div class="{app["RichTextContainer"]}"><p class="{app["Paragraph"]}">{text}</p></div></div>'
                )
            else:
                parts.append(f"<p>{text}</p>")
            words += len(_TAG_RE.sub("", text).split())
            if article.kind == "brief" and words >= BRIEF_WORDS:
                paragraphs = number + 1
                break
            if number + 1 == next_insert and number + 1 < paragraphs:
                parts.append(_insert(rng.choice(INSERTS), prose, rng, others, number))
                next_insert += rng.randint(2, 4)
        body_html = "".join(parts)
    topics = rng.sample(SECTIONS[article.section], rng.randint(3, 6))
    role = rng.choice(["Reporter", "Senior correspondent", "Political editor", "Data journalist"])
    byline_text = (
        f'<a rel="author" href="{author_path(article.author)}">{_e(article.author)}</a>'
        f'<span class="byline__role">, {role}</span>'
    )
    if story:
        tags = "".join(
            f'<li class="tag-list__item"><a rel="tag" href="{section_path(article.section, t)}">{_e(t)}</a></li>'
            for t in topics
        )
        article_html = (
            f'<article class="story story--{slugify(article.section)}" id="story-{article.number}">'
            '<header class="story-header"><div class="story-header__inner">'
            f'<p class="kicker"><a href="{section_path(article.section, article.subsection)}">'
            f'{_e(article.subsection)}</a></p><h1 class="story-title">{_e(article.headline)}</h1>'
            f'<p class="standfirst">{_e(description)}</p><div class="byline-block">'
            f'<div class="byline-block__avatar"><img src="/images/authors/{slugify(article.author)}.jpg" '
            f'alt="{_e(article.author)}" width="48" height="48"></div><div class="byline-block__text">'
            f'<p class="byline">By {byline_text}</p><p class="dateline"><time datetime="{published}">'
            f'{_date_text(article.published)}</time> <span class="updated">Updated <time datetime="'
            f'{updated.isoformat()}">{_date_text(updated)}</time></span> · <span class="reading-time">'
            f"{paragraphs // 3 + 1} min read</span></p></div></div></div></header>"
            f'<figure class="lead-image">{_image(image, caption, 1200, 675)}<figcaption>{_e(caption)} '
            f'<span class="credit">Photograph: {_e(photographer)}/{_e(SITE_NAME)}</span></figcaption></figure>'
            f'<div class="story-body" itemprop="articleBody"><div class="story-body__inner">{body_html}</div></div>'
            f'<div class="story-footer"><div class="tags"><h4>Topics</h4><ul class="tag-list">{tags}</ul></div>'
        )
    elif app:
        tags = "".join(
            f'<li class="{app["TopicItem"]}"><a href="{section_path(article.section, t)}">{_e(t)}</a></li>'
            for t in topics
        )
        article_html = (
            f'<div class="{app["ArticleWrapper"]}" data-article-id="{article.number}">'
            f'<div data-component="headline-block" class="{app["HeadlineBlock"]}"><h1 id="main-heading" '
            f'class="{app["Headline"]}">{_e(article.headline)}</h1></div><div data-component="byline-block" '
            f'class="{app["BylineBlock"]}"><div class="{app["Contributor"]}"><span>By </span>{byline_text}</div>'
            f'<div class="{app["Timestamp"]}"><time data-testid="timestamp" datetime="{published}">'
            f"{article.published.day} {article.published:%B %Y}</time></div></div>"
            f'<div data-component="image-block" class="{app["ImageBlock"]}">{_image(image, caption, 1200, 675)}'
            f'<p class="{app["Caption"]}">{_e(caption)} Photograph: {_e(photographer)}</p></div>'
            f'<div data-component="text-block" class="{app["TextBlock"]}"><div class="{app["RichTextContainer"]}">'
            f'<p class="{app["Paragraph"]}"><b>{_e(description)}</b></p></div></div>{body_html}'
            f'<div data-component="topic-list"><h2>Related topics</h2><ul class="{app["TopicList"]}">{tags}</ul></div>'
        )
    else:
        tags = ", ".join(
            f'<a href="{section_path(article.section, t)}" rel="tag">{_e(t)}</a>' for t in topics
        )
        article_html = (
            f'<div id="post-{article.number}" class="post-{article.number} post type-post status-publish '
            f'format-standard has-post-thumbnail hentry category-{slugify(article.section)}">'
            '<div class="entry-header"><div class="entry-meta entry-meta--top"><span class="cat-links">'
            f'<a href="{section_path(article.section)}" rel="category tag">{_e(article.section)}</a></span></div>'
            f'<h1 class="entry-title">{_e(article.headline)}</h1><div class="entry-meta"><span class="byline"> '
            f'by <span class="author vcard">{byline_text}</span></span> <span class="posted-on">Posted on '
            f'<a href="{article.path}" rel="bookmark"><time class="entry-date published" datetime="{published}">'
            f'{_long_date(article.published)}</time></a></span> <span class="comments-link">'
            '<a href="#comments">Leave a comment</a></span></div></div>'
            f'<div class="post-thumbnail">{_image(image, caption, 1200, 675)}<p class="wp-caption-text">'
            f"{_e(caption)} ({_e(photographer)})</p></div>"
            f'<div class="entry-content"><p class="lead"><strong>{_e(description)}</strong></p>{body_html}</div>'
            f'<footer class="entry-footer"><span class="tags-links">Tagged {tags}</span>'
        )
    share = "".join(
        f'<li><button class="share__button share__button--{network.lower()}" data-network="{network.lower()}">'
        f'<span class="share__label">Share on {network}</span></button></li>'
        for network in ("Facebook", "X", "LinkedIn", "WhatsApp", "Email")
    )
    bio = (
        f'<div class="author-card"><img class="author-card__photo" src="/images/authors/{slugify(article.author)}'
        f'.jpg" alt="" width="80" height="80"><div class="author-card__text"><p class="author-card__name">'
        f'<a href="{author_path(article.author)}">{_e(article.author)}</a></p><p class="author-card__bio">'
        f"{_e(article.author)} is a {role.lower()} at {_e(SITE_NAME)}, covering {_e(article.section.lower())} "
        f"and {_e(article.subsection.lower())}.</p></div></div>"
    )
    article_html += (
        f'<div class="share" aria-label="Share this article"><ul class="share__list">{share}</ul></div>{bio}'
        + ("</div></article>" if story else "</div>" if app else "</footer></div>")
    )

    # around the article: the rail (most read, latest, ads), more from the section, promoted stories
    most_read = "".join(
        f'<li class="most-read__item"><span class="most-read__rank">{rank}</span><a href="{a.path}">'
        f'{_e(a.headline)}</a><time datetime="{a.published.isoformat()}">{a.published.day} '
        f"{a.published:%b}</time></li>"
        for rank, a in enumerate(others[12:22], 1)
    )
    latest = "".join(
        f'<li class="latest__item"><time class="latest__time" datetime="{a.published.isoformat()}">'
        f'{a.published:%H:%M}</time> <a href="{a.path}">{_e(a.headline)}</a></li>'
        for a in sorted(others[22:30], key=lambda a: a.published, reverse=True)
    )
    rail = (
        '<aside class="l-grid__rail sidebar" role="complementary">'
        f'<section class="widget widget--most-read"><h2 class="widget__title">Most read</h2>'
        f'<ol class="most-read">{most_read}</ol></section>{_ad("rail-1", "300x250,300x600")}'
        f'<section class="widget widget--latest"><h2 class="widget__title">Latest</h2><ul class="latest">'
        f"{latest}</ul></section>{_ad('rail-2', '300x250')}</aside>"
    )
    more = "".join(_card(a, prose.sentence(), "standard") for a in others[30 : 30 + rng.randint(4, 8)])
    promoted = "".join(
        _card(a, prose.sentence(), "promoted") for a in (rng.choice(others) for _ in range(rng.randint(3, 6)))
    )
    below = (
        f'<section class="more-from"><h2 class="more-from__title">More from {_e(article.section)}</h2>'
        f'<div class="card-grid">{more}</div></section><section class="promoted" data-widget="recommendations">'
        f'<h2 class="promoted__title">You may also like</h2><div class="card-grid card-grid--promoted">{promoted}'
        '</div><p class="promoted__disclosure">Recommended by our partners</p></section>'
    )

    jsonld = _news_article(article, url, description, published, updated.isoformat(), image)
    if article.template == "legacy":  # its SEO plugin describes the site and the page, not the article
        jsonld = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "@id": f"{ORIGIN}/#website", "url": ORIGIN + "/", "name": SITE_NAME},
                {"@type": "WebPage", "@id": url, "url": url, "name": article.headline, "inLanguage": "en-GB"},
            ],
        }
    breadcrumbs = _breadcrumbs(article)
    meta = (
        f'<meta property="og:image" content="{ORIGIN}{image}">'
        f'<meta property="og:description" content="{_e(description)}">'
        f'<meta property="article:section" content="{_e(article.section)}">'
        + (
            f'<meta property="article:published_time" content="{published}">'
            f'<meta property="article:modified_time" content="{updated.isoformat()}">'
            f'<meta name="author" content="{_e(article.author)}">'
            if story
            else ""
        )
        + f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
        f'<script type="application/ld+json">{json.dumps(breadcrumbs)}</script>'
    )
    head = _head(chrome, f"{article.headline} | {SITE_NAME}", description, article.path, "article", meta)
    breadcrumb_nav = (
        '<nav class="breadcrumbs" aria-label="Breadcrumb"><ol class="breadcrumbs__list"><li><a href="/">Home</a>'
        f'</li><li><a href="{section_path(article.section)}">{_e(article.section)}</a></li>'
        f'<li><a href="{section_path(article.section, article.subsection)}">{_e(article.subsection)}</a></li>'
        "</ol></nav>"
    )
    state = {
        "page": {"type": "article", "id": article.number, "section": article.section, "path": article.path},
        "ads": {"slots": [f"ad-{n}" for n in range(8)], "keywords": rng.sample(NOUNS, 12)},
        "related": [
            {"id": a.number, "path": a.path, "headline": a.headline, "published": a.published.isoformat()}
            for a in others[:12]
        ],
        "experiments": {f"exp-{n}": rng.choice(["control", "variant-a", "variant-b"]) for n in range(10)},
    }
    opening = (
        f'{head}<body class="article-page template-{article.template} section-{slugify(article.section)}">'
        f'{chrome.consent}<div id="page" class="site">{_ad("leaderboard", "728x90,970x250")}{chrome.header}'
        f'<div id="content" class="site-content"><div class="l-container">{breadcrumb_nav}<div class="l-grid">'
        f'<div class="l-grid__main"><main id="main" class="site-main">{article_html}'
    )
    closing = (
        f"</main></div>{rail}</div>{below}</div></div>{chrome.footer}</div>"
        f"<script>window.__PRELOADED_STATE__={json.dumps(state)};</script>"
    )
    # what is left of the drawn size: a comment thread takes part of it, the site's inline bundle the rest
    room = size - len(opening.encode()) - len(closing.encode()) - len("<script></script></body></html>")
    thread = int(room * COMMENT_SHARE[article.kind])
    comments = _comments(article, prose, rng, thread) if room > 2000 else ""
    page = opening + comments + closing
    padding = size - len(page.encode()) - len("<script></script></body></html>")
    if padding > 0:
        start = rng.randrange(0, max(1, len(chrome.bundle) - padding))
        chunk = chrome.bundle[start : start + padding]
        chunk += "/*" + "x" * max(0, padding - len(chunk) - 4) + "*/" if len(chunk) < padding else ""
        page += f"<script>{chunk}</script>"
    return page + "</body></html>"


def _compact_article_page(
    article: Article, articles: list[Article], chrome: Chrome, rng: random.Random, size: int
) -> str:
    """The article page of a compact site (pages of under ``COMPACT_BELOW_KB``): one plain template."""
    prose = ProseGenerator(rng)
    paragraphs = [prose.paragraph() for _ in range(rng.randint(3, 8))]
    url = ORIGIN + article.path
    published = article.published.isoformat()
    modified = (article.published + timedelta(hours=rng.randint(1, 30))).isoformat()
    description = prose.sentence()
    others = rng.sample(range(len(articles)), min(len(articles), 17))
    others = [n for n in others if n != article.number]
    related = [articles[n] for n in others[:3]]
    most_read = [articles[n] for n in others[6:9]]
    photographer = prose.name()
    caption = prose.sentence()
    image = f"/images/{article.published:%Y/%m}/{slugify(article.headline)[:40]}-{article.number}.jpg"
    jsonld = _news_article(article, url, description, published, modified, image)
    breadcrumbs = _breadcrumbs(article)
    meta = (
        f'<meta property="og:image" content="{ORIGIN}{image}">'
        f'<meta property="article:published_time" content="{published}">'
        f'<meta property="article:section" content="{_e(article.section)}">'
        f'<meta name="author" content="{_e(article.author)}">'
        f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
        f'<script type="application/ld+json">{json.dumps(breadcrumbs)}</script>'
    )
    head = _head(chrome, f"{article.headline} | {SITE_NAME}", description, article.path, "article", meta)
    body_html = "".join(f"<p>{_e(p)}</p>" for p in paragraphs)
    share = "".join(
        f'<button class="share-{network.lower()}" data-network="{network.lower()}">Share on {network}</button>'
        for network in ("Facebook", "X", "LinkedIn", "WhatsApp", "Email")
    )
    article_html = (
        f'<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>'
        f'<li><a href="{section_path(article.section)}">{_e(article.section)}</a></li>'
        f'<li><a href="{section_path(article.section, article.subsection)}">{_e(article.subsection)}</a></li>'
        "</ol></nav>"
        '<main id="main"><article class="story">'
        f'<header class="story-header"><p class="kicker">{_e(article.subsection)}</p>'
        f"<h1>{_e(article.headline)}</h1>"
        f'<p class="standfirst">{_e(description)}</p>'
        f'<p class="byline">By <a rel="author" href="{author_path(article.author)}">{_e(article.author)}</a></p>'
        f'<time datetime="{published}">{_date_text(article.published)}</time></header>'
        f'<figure class="lead-image"><img src="{image}" alt="{_e(caption)}" width="1200" height="675">'
        f'<figcaption>{_e(caption)} <span class="credit">Photograph: {_e(photographer)}/{_e(SITE_NAME)}'
        "</span></figcaption></figure>"
        f'<div class="story-body">{body_html}</div>'
        f'<div class="share" aria-label="Share this article">{share}</div>'
        '<aside class="newsletter-prompt"><h3>Sign up for the Morning Briefing</h3>'
        "<p>Get the day's top stories from the harbour and beyond in your inbox every morning.</p>"
        '<form action="/newsletters/" method="get"><input type="email" name="email" placeholder="Your email">'
        "<button>Sign up</button></form></aside></article>"
        f'<aside class="related"><h2>Related</h2>{_article_list(related, "related-list")}</aside>'
        '<section id="comments" class="comments"><h2>Comments</h2>'
        f'<div class="comments-placeholder" data-thread="{article.number}">Comments are loading. '
        "Please enable JavaScript to join the conversation.</div></section></main>"
        f'<aside class="most-read"><h2>Most read</h2>{_article_list(most_read, "most-read-list", "ol")}</aside>'
    )
    state = {
        "page": {"type": "article", "id": article.number, "section": article.section, "path": article.path},
        "ads": {"slots": [f"ad-{n}" for n in range(8)], "keywords": rng.sample(NOUNS, 12)},
        "related": [a.number for a in related],
        "experiments": {f"exp-{n}": rng.choice(["control", "variant-a", "variant-b"]) for n in range(10)},
    }
    page = (
        f'{head}<body class="article-page">{chrome.header}{article_html}{chrome.footer}'
        f"<script>window.__PRELOADED_STATE__={json.dumps(state)};</script>"
    )
    padding = size - len(page.encode()) - len("<script></script></body></html>")
    if padding > len("<!---->"):
        page += f"<!--{'.' * (padding - len('<!---->'))}-->"
    return page + "</body></html>"


def _listing_page(
    chrome: Chrome,
    title: str,
    path: str,
    heading: str,
    articles: Sequence[Article],
    pagination: str = "",
    intro: str = "",
) -> str:
    jsonld = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": title,
        "url": ORIGIN + path,
    }
    head = _head(
        chrome,
        f"{title} | {SITE_NAME}",
        f"{title}: the latest from {SITE_NAME}",
        path,
        "website",
        f'<script type="application/ld+json">{json.dumps(jsonld)}</script>',
    )
    cards = "".join(
        f'<li class="card"><a href="{a.path}"><h3>{_e(a.headline)}</h3></a>'
        f'<p class="meta">By {_e(a.author)} · <time datetime="{a.published.isoformat()}">'
        f"{_date_text(a.published)}</time></p></li>"
        for a in articles
    )
    return (
        f'{head}<body class="listing-page">{chrome.header}<main id="main"><h1>{_e(heading)}</h1>'
        f'{intro}<ul class="cards">{cards}</ul>{pagination}</main>{chrome.footer}</body></html>'
    )


def _pagination(section: str, page: int, pages: int) -> str:
    if pages < 2:
        return ""
    links = []
    if page > 1:
        links.append(f'<a rel="prev" href="{section_path(section, page=page - 1)}">Previous</a>')
    for number in range(1, pages + 1):
        if number == page:
            links.append(f'<span aria-current="page">{number}</span>')
        else:
            links.append(f'<a href="{section_path(section, page=number)}">{number}</a>')
    if page < pages:
        links.append(f'<a rel="next" href="{section_path(section, page=page + 1)}">Next</a>')
    return f'<nav class="pagination" aria-label="Pages">{"".join(links)}</nav>'


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")


def _plan(articles: int, rng: random.Random) -> list[Article]:
    prose = ProseGenerator(rng)
    authors = sorted({prose.name() for _ in range(60)})
    step = DATE_SPAN / max(1, articles)
    planned = []
    for number in range(articles):
        section = rng.choice(list(SECTIONS))
        headline = prose.headline()
        published = FIRST_DATE + step * number + timedelta(minutes=rng.randint(0, 59))
        published = published.replace(second=0, microsecond=0)
        slug = f"{slugify(headline)[:70].rstrip('-')}-{number}"
        template = rng.choices(list(TEMPLATES_SHARE), weights=list(TEMPLATES_SHARE.values()))[0]
        kind = rng.choices(list(KINDS_SHARE), weights=list(KINDS_SHARE.values()))[0]
        paths = {
            "story": f"/{published:%Y/%m/%d}/{slug}/",
            "legacy": f"/{slugify(section)}/{slug}/",
            "app": f"/news/{slugify(section)}-{number:08d}/",
        }
        planned.append(
            Article(
                number=number,
                path=paths[template],
                headline=headline,
                section=section,
                subsection=rng.choice(SECTIONS[section]),
                author=rng.choice(authors),
                published=published,
                template=template,
                kind=kind,
            )
        )
    return planned


def write_site(
    root: Path,
    articles: int,
    *,
    seed: int = 0,
    page_kb: tuple[int, int] = (50, 150),
    published: int | None = None,
    news_sitemap: int = 0,
    sitemap_size: int = SITEMAP_SIZE,
) -> list[str]:
    """Write a news site of ``articles`` article pages of ``page_kb`` KiB into ``root``; return their paths.

    ``published``: only the oldest that many articles are on the site yet (pages, listings, sitemaps,
    feed), so that writing the same site again with more of them adds the newest; ``news_sitemap``: a
    news sitemap ``/news-sitemap.xml`` of that many newest articles, named in robots.txt;
    ``sitemap_size``: articles per child sitemap of the index.
    """
    if articles < 1 or not 0 < page_kb[0] <= page_kb[1] or sitemap_size < 1:
        raise ValueError(
            f"expected articles >= 1, 0 < page_kb[0] <= page_kb[1] and sitemap_size >= 1, "
            f"got {articles}, {page_kb}, {sitemap_size}"
        )
    rng = random.Random(seed)
    planned = _plan(articles, rng)[:published]
    chrome = _chrome(rng, compact=page_kb[0] < COMPACT_BELOW_KB)
    for article in planned:
        page_rng = random.Random(seed * 1_000_003 + article.number)
        size = round(page_rng.triangular(page_kb[0] * 1024, page_kb[1] * 1024, page_kb[1] * 1024))
        _write(root, article.path, _article_page(article, planned, chrome, page_rng, size))

    newest = sorted(planned, key=lambda a: a.published, reverse=True)
    by_section: dict[str, list[Article]] = {section: [] for section in SECTIONS}
    by_author: dict[str, list[Article]] = {}
    for article in newest:
        by_section[article.section].append(article)
        by_author.setdefault(article.author, []).append(article)
    for section, listed in by_section.items():
        pages = max(1, -(-len(listed) // LISTING_SIZE))
        for page in range(1, pages + 1):
            chunk = listed[(page - 1) * LISTING_SIZE : page * LISTING_SIZE]
            title = section if page == 1 else f"{section}, page {page}"
            path = section_path(section, page=page)
            _write(
                root,
                path,
                _listing_page(chrome, title, path, section, chunk, _pagination(section, page, pages)),
            )
        for subsection in SECTIONS[section]:
            path = section_path(section, subsection)
            chunk = [a for a in listed if a.subsection == subsection][:LISTING_SIZE]
            _write(root, path, _listing_page(chrome, f"{subsection} - {section}", path, subsection, chunk))
    for name, listed in by_author.items():
        path = author_path(name)
        _write(
            root,
            path,
            _listing_page(
                chrome, name, path, name, listed[:30], intro=f"<p>{_e(name)} reports for {_e(SITE_NAME)}.</p>"
            ),
        )
    for slug, label in SERVICE_PAGES.items():
        if slug == "authors":
            intro = "".join(f'<p><a href="{author_path(n)}">{_e(n)}</a></p>' for n in sorted(by_author))
        else:
            intro = f"<p>{_e(label)} of {_e(SITE_NAME)}, the independent voice of the harbour since 1871.</p>"
        _write(root, f"/{slug}/", _listing_page(chrome, label, f"/{slug}/", label, [], intro=intro))
    blocks = "".join(
        f'<section class="home-section"><h2><a href="{section_path(s)}">{_e(s)}</a></h2>'
        f"{_article_list(listed[:6], 'home-list')}</section>"
        for s, listed in by_section.items()
    )
    _write(
        root,
        "/",
        _listing_page(chrome, "News from the harbour and beyond", "/", SITE_NAME, newest[:40], intro=blocks),
    )
    _write_discovery(root, planned, newest, news_sitemap, sitemap_size)
    return [article.path for article in planned]


def _write_discovery(
    root: Path, planned: list[Article], newest: list[Article], news_sitemap: int, sitemap_size: int
) -> None:
    sitemaps = f"Sitemap: {ORIGIN}/sitemap.xml\n"
    if news_sitemap:
        sitemaps += f"Sitemap: {ORIGIN}/news-sitemap.xml\n"
        _write_news_sitemap(root, newest[:news_sitemap])
    (root / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /search\nDisallow: /newsletters/subscribe\n\n{sitemaps}", "utf-8"
    )
    children = []
    (root / "sitemaps").mkdir(exist_ok=True)
    for index, start in enumerate(range(0, len(planned), sitemap_size), 1):
        chunk = planned[start : start + sitemap_size]
        urls = "".join(
            f"<url><loc>{ORIGIN}{a.path}</loc><lastmod>{a.published.isoformat()}</lastmod></url>"
            for a in chunk
        )
        name = f"sitemaps/articles-{index:03d}.xml"
        (root / name).write_text(
            f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n',
            "utf-8",
        )
        children.append((name, max(a.published for a in chunk)))
    entries = "".join(
        f"<sitemap><loc>{ORIGIN}/{name}</loc><lastmod>{lastmod.isoformat()}</lastmod></sitemap>"
        for name, lastmod in children
    )
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n',
        "utf-8",
    )
    items = "".join(
        f"<item><title>{_e(a.headline)}</title><link>{ORIGIN}{a.path}</link><guid>{ORIGIN}{a.path}</guid>"
        f"<pubDate>{a.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for a in newest[:FEED_SIZE]
    )
    (root / "feed.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{_e(SITE_NAME)}</title>'
        f"<link>{ORIGIN}/</link><description>Latest news</description>{items}</channel></rss>\n",
        "utf-8",
    )


def _write_news_sitemap(root: Path, listed: list[Article]) -> None:
    """A Google News sitemap of ``listed``: publication name, language, date and title of each."""
    urls = "".join(
        f"<url><loc>{ORIGIN}{a.path}</loc><news:news><news:publication><news:name>{_e(SITE_NAME)}"
        f"</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{_e(a.headline)}</news:title></news:news></url>"
        for a in listed
    )
    (root / "news-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>\n',
        "utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    """Write a site from the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="folder to write the site into")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--page-kb", type=int, nargs=2, default=(50, 150), metavar=("MIN", "MAX"))
    args = parser.parse_args(argv)
    paths = write_site(args.out, args.articles, seed=args.seed, page_kb=(args.page_kb[0], args.page_kb[1]))
    print(f"Wrote {len(paths)} articles into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
