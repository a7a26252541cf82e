"""Phrases and structural rules that tell boilerplate lines from article paragraphs."""

from __future__ import annotations

import re

# Headings of blocks that end an article's text: related lists, newsletter and share prompts, etc.
TAIL_HEADINGS = (
    # English
    "see also",
    "related",
    "related articles",
    "related stories",
    "related posts",
    "related news",
    "related coverage",
    "related content",
    "related topics",
    "more on this",
    "more on this story",
    "more stories",
    "more from",
    "more news",
    "read more",
    "read next",
    "recommended",
    "recommended for you",
    "you may also like",
    "you might also like",
    "editor's picks",
    "editors' picks",
    "latest updates",
    "latest news",
    "latest stories",
    "most read",
    "most popular",
    "trending",
    "top stories",
    "popular",
    "research reports",
    "share this article",
    "share this",
    "share",
    "follow us",
    "sign up",
    "subscribe",
    "newsletter",
    "tags",
    "topics",
    "advertisement",
    "communicate directly with the author",
    "about the author",
    "comments",
    "leave a comment",
    # German
    "mehr zum thema",
    "das könnte sie auch interessieren",
    "weitere artikel",
    "lesen sie auch",
    "meistgelesen",
    "empfehlungen",
    "artikel teilen",
    "teilen",
    "schlagworte",
    "themen",
    "newsletter abonnieren",
    # French
    "à lire aussi",
    "lire aussi",
    "sur le même sujet",
    "articles liés",
    "les plus lus",
    "partager",
    "à voir aussi",
    "dans la même rubrique",
    # Spanish
    "te puede interesar",
    "noticias relacionadas",
    "lo más leído",
    "lee también",
    "compartir",
    "temas",
    "más noticias",
    # Italian
    "leggi anche",
    "potrebbe interessarti",
    "articoli correlati",
    "i più letti",
    "condividi",
    # Portuguese
    "leia também",
    "veja também",
    "notícias relacionadas",
    "mais lidas",
    "compartilhe",
    "saiba mais",
    # Dutch
    "lees ook",
    "meer over",
    "gerelateerde artikelen",
    "meest gelezen",
    "deel dit artikel",
    # Polish
    "czytaj też",
    "czytaj także",
    "zobacz także",
    "zobacz też",
    "najczęściej czytane",
    "polecamy",
    "udostępnij",
    # Russian
    "читайте также",
    "смотрите также",
    "похожие статьи",
    "популярное",
    "поделиться",
    "по теме",
    # Chinese
    "相关阅读",
    "相关新闻",
    "相关文章",
    "延伸阅读",
    "推荐阅读",
    "热门文章",
    "分享到",
    "责任编辑",
    # Japanese
    "関連記事",
    "あわせて読みたい",
    "おすすめ記事",
    "人気記事",
    "この記事をシェア",
)

# Starts of short lines that are teasers or prompts wherever they stand.
INLINE_PROMPTS = (
    "read more:",
    "read also:",
    "also read:",
    "related:",
    "see also:",
    "watch:",
    "read next:",
    "click here to",
    "sign up for",
    "subscribe to our",
    "follow us on",
    "download our app",
    "lesen sie auch:",
    "lesen sie mehr:",
    "mehr dazu:",
    "auch interessant:",
    "lire aussi :",
    "lire aussi:",
    "à lire aussi :",
    "à lire aussi:",
    "lee también:",
    "leer también:",
    "te puede interesar:",
    "leggi anche:",
    "leia também:",
    "veja também:",
    "lees ook:",
    "czytaj też:",
    "czytaj także:",
    "zobacz także:",
    "читайте также:",
    "相关阅读：",
    "延伸阅读：",
    "関連記事：",
)

PROMPT_PATTERNS = re.compile(
    r"(?:^|\b)(?:"
    r"sign up (?:for|to) (?:our|the) newsletter|subscribe to (?:our|the) newsletter|get (?:our|the) newsletter"
    r"|follow us on (?:twitter|facebook|instagram|linkedin|x)|share (?:this|on) (?:article|facebook|twitter)"
    r"|download (?:our|the) app|this content is (?:provided|hosted) by|external content|enable javascript"
    r"|accept (?:all )?cookies|subscribe (?:now )?to (?:continue|read)|already a subscriber"
    r"|ask the author|newsletter abonnieren|jetzt abonnieren|externer inhalt|inhalte von drittanbietern"
    r"|abonnez-vous|inscrivez-vous à (?:notre|la) newsletter|suscríbete|iscriviti alla newsletter"
    r"|assine (?:a|nossa) newsletter|abonneer je|zapisz się do newslettera|подпишитесь на"
    r")",
    re.IGNORECASE,
)

_TRIM = " \t:：-–—|»>*•·.!?"


def heading_key(line: str) -> str:
    """A line lower-cased and stripped of punctuation around it, to compare with phrase lists."""
    return line.strip(_TRIM).strip().lower().replace("’", "'")


def is_tail_heading(line: str) -> bool:
    """Whether a short line is the heading of a related/share/newsletter block."""
    if len(line) > 60:
        return False
    key = heading_key(line)
    return key in TAIL_HEADINGS or any(
        key.startswith(h + " ") and len(key) < len(h) + 25 for h in TAIL_HEADINGS[:40]
    )


def is_prompt(line: str) -> bool:
    """Whether a short line is a teaser link, a newsletter/share/app prompt or a consent placeholder."""
    if len(line) > 200:
        return False
    lowered = line.strip(" *•·").lower()
    return lowered.startswith(INLINE_PROMPTS) or bool(PROMPT_PATTERNS.search(lowered))
