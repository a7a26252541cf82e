"""Phrases and structural rules that tell boilerplate lines from article paragraphs.

Every predicate here looks at one line of trafilatura's text. Phrases are matched only in short
lines, or anchored at the start of a line, so that a real paragraph mentioning a newsletter or
starting with "Related to this" is never taken for boilerplate.
"""

from __future__ import annotations

import re

SHORT_LINE = 200  # prompts, notices and credits are shorter than this; real paragraphs often are not
HEADING_LINE = 80  # block headings ("Related articles", "Mehr zum Thema") are shorter than this

# Headings of blocks that end an article's text: related lists, newsletter and share prompts, etc.
TAIL_HEADINGS = frozenset(
    (
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
        "about the author",
        "about this series",
        "comments",
        "leave a comment",
        "leave a reply",
        "contact",
        "media contact",
        "press contact",
        # German
        "mehr zum thema",
        "lust auf mehr",
        "noch mehr",
        "mehr themen",
        "weitere themen",
        "weitere artikel",
        "weitere beiträge",
        "das könnte sie auch interessieren",
        "das könnte dich auch interessieren",
        "lesen sie auch",
        "auch interessant",
        "schon gelesen",
        "zum weiterlesen",
        "empfohlene beiträge",
        "empfehlungen",
        "meistgelesen",
        "artikel teilen",
        "teilen",
        "schlagworte",
        "themen",
        "newsletter abonnieren",
        "über den autor",
        "über die autorin",
        "zur person",
        "über diese reihe",
        "kontakt",
        "pressekontakt",
        "ansprechpartner",
        "kommentare",
        # French
        "à lire aussi",
        "lire aussi",
        "à voir aussi",
        "sur le même sujet",
        "articles liés",
        "les plus lus",
        "partager",
        "dans la même rubrique",
        "commentaires",
        # Spanish
        "te puede interesar",
        "le puede interesar",
        "noticias relacionadas",
        "notas relacionadas",
        "contenido relacionado",
        "lo más leído",
        "lee también",
        "lea también",
        "compartir",
        "temas",
        "más noticias",
        "comentarios",
        # Italian
        "leggi anche",
        "potrebbe interessarti",
        "articoli correlati",
        "i più letti",
        "condividi",
        "commenti",
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
        "komentarze",
        # Russian
        "читайте также",
        "смотрите также",
        "похожие статьи",
        "популярное",
        "поделиться",
        "по теме",
        "комментарии",
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
        "関連ニュース",
        "あわせて読みたい",
        "おすすめ記事",
        "人気記事",
        "この記事をシェア",
    )
)

# Related-content headings phrased freely ("Das Thema könnte dich auch interessieren", "Weitere
# Beiträge aus der Kolumne", "Mehr zum Thema auf ..."): matched at the start of heading-like lines.
TAIL_HEADING_RE = re.compile(
    r"^(?:more (?:on|from|about|stories|news)|see also|you (?:may|might) also"
    r"|related(?: (?:articles?|stories|posts|news|coverage|content|topics|links|reading|videos?))?$"
    r"|(?:das|diese[sr]?) .{0,30}(?:könnte|könnten) (?:sie|dich|euch) .{0,20}interessieren"
    r"|mehr (?:zum thema|themen|zu diesem thema|aus)|weitere (?:\w+ )?(?:artikel|beiträge|themen|nachrichten|news)"
    r"|weitere \w*tipps|auch (?:auf|bei) \S+\.\w{2,4}$|ansprechpartner(?:in)?\b"
    r"|lesen sie (?:auch|mehr)|empfohlene (?:artikel|beiträge)|top.themen"
    r"|(?:à )?lire aussi|sur le même sujet|(?:te|le) puede (?:interesar|gustar)|notas? relacionadas?"
    r"|noticias relacionadas|contenido relacionado|más (?:noticias|sobre)|leggi anche|articoli correlati"
    r"|leia também|veja também|lees ook|czytaj (?:też|także)|zobacz (?:też|także)|читайте также"
    r"|相关(?:阅读|新闻|文章|报道|链接|推荐)|延伸阅读|推荐阅读|関連(?:記事|ニュース|リンク)|あわせて読みたい)",
    re.IGNORECASE,
)

# Labels of teaser links inside the text: "Lesen Sie auch: <headline>", "Lea también: <headline>".
TEASER_LABEL_RE = re.compile(
    r"^[\s*•·>»(\[]*(?P<label>"
    r"read (?:more|also|next)|also read|more|related(?: story| article)?|see also|watch(?: now)?"
    r"|recommended|don't miss|must read|learn more"
    r"|lesen sie (?:auch|hier|mehr|dazu)|auch lesen|mehr (?:dazu|zum thema|lesen|erfahren)|auch interessant"
    r"|siehe auch|passend dazu|zum thema|weiterlesen|schon gelesen"
    r"|(?:à )?lire (?:aussi|également)|voir aussi|à voir|sur le même sujet|à découvrir|en savoir plus"
    r"|lea(?: también| más| además)?|lee(?: también| más)?|leer más|(?:le|te) puede interesar"
    r"|puede interesarte|vea(?: también)?|ver también|mir[ae]|puedes ver|también puede leer"
    r"|noticia relacionada|relacionad[oa]s?|más información"
    r"|leggi(?: anche)?|vedi anche|potrebbe interessarti|scopri di più"
    r"|leia(?: também| mais)?|veja(?: também| mais)?|saiba mais|confira"
    r"|lees (?:ook|meer)|zie ook|bekijk ook"
    r"|czytaj (?:też|także|więcej)|zobacz (?:też|także|również)|przeczytaj (?:też|także|również)"
    r"|dowiedz się więcej|читайте(?: также)?|смотрите также|по теме"
    r"|相关阅读|延伸阅读|推荐阅读|相关新闻|相关链接|関連記事|あわせて読みたい|関連リンク"
    r")\s*(?:[:：»|]|>>)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# A teaser behind a one-word label ("Lea: ...", "Mira: ...") is a headline shorter than this.
TEASER_LINE = 150
_SENTENCES_RE = re.compile(r"[.!?]\s+[A-ZÀ-Þ]")

PROMPT_RE = re.compile(
    r"(?:^|\b)(?:"
    # newsletter, subscription and membership calls
    r"(?:sign(?:ing)? up|subscribe|register) (?:now |today |here )?(?:for|to) (?:our|my)\b|^sign up\b"
    r"|(?:our|unser(?:e[mnrs]?)?|notre|nos|nuestro|nuestra|nostra|nosso|nossa|onze|nasz\w*)"
    r" (?:free |daily |weekly |kostenlosen? |wöchentlichen? )?(?:e-?mail |musik)?newsletter"
    r"|newsletter (?:abonnieren|anmelden|bestellen)|zum newsletter|(?:get|subscribe to) (?:our|the) newsletter"
    r"|never miss (?:a |the |our )?(?:\w+ )?(?:latest|stor(?:y|ies)|updates?|news)|jetzt abonnieren|abonnez-vous"
    r"|inscrivez-vous|suscr[ií]bete|iscriviti|assine (?:a|nossa|o)|abonneer|zapisz się|подпишитесь"
    r"|zapraszamy (?:też |także )?do subskrypcji|hazte (?:miembro|socio)|^become a (?:member|subscriber|patron)"
    r"|^werde (?:mitglied|abonnent)|(?:sign up|subscribe) (?:here|now)\b|^(?:hier|jetzt) (?:anmelden|registrieren|abonnieren)"
    r"|(?:einfach )?hier klicken|click here\b|cancel (?:at )?any ?time|cancela cuando quieras|jederzeit kündbar"
    r"|sans engagement"
    # support and donation calls
    r"|support (?:our (?:work|journalism)|independent journalism)|^(?:please )?support us\b|consider supporting"
    r"|help us continue|^unterstütze(?:n sie)?\b|soutenez(?:-nous)?|apóyanos|sostienici|wesprzyj nas"
    # follow us, channels and apps
    r"|follow (?:us|@?\w+(?: \w+)?) on (?:twitter|facebook|instagram|linkedin|x|telegram|tiktok|youtube)"
    r"|folgen sie uns|folge uns|suivez-nous|s[ií]guenos|seguici|siga-nos|volg ons|obserwuj nas"
    r"|canal de (?:telegram|whatsapp|youtube)|(?:telegram|whatsapp)[- ]kanal"
    r"|download our .{0,30}apps?\b|apps? for ios and android|подписывайтесь на наш"
    r"|关注我们|扫码关注|微信公众号|下载客户端|フォローしてください|アプリをダウンロード|メルマガ登録"
    # readers' letters and comments
    r"|(?:submit|send|write) (?:a |your )?letters? to the editor|we want to hear what you think|write to us at"
    r"|puede escribirnos|(?:logged|eingeloggt) (?:in )?(?:sein )?(?:um|to) (?:kommentare|comment)"
    r"|sie sind (?:aktuell )?nicht eingeloggt|leave a comment|kommentar schreiben"
    r"|(?:verraten|schreiben|sagen) sie (?:uns )?(?:gerne |doch )?in den kommentaren"
    # embeds and consent placeholders
    r"|this content is (?:provided|hosted) by|external content|externer inhalt|inhalte von drittanbietern"
    r"|enable javascript|accept (?:all )?cookies|um den inhalt .{0,60} zu laden|click (?:the button|here) to load"
    r"|share (?:this|on) (?:article|story|facebook|twitter)"
    # pointers to more content elsewhere
    r"|^(?:weitere|mehr) (?:infos?|informationen)\b(?=.{0,80}(?::$|www\.|https?:|website|webseite))"
    r"|^weiter (?:zu|zum|zur)\b"
    r")",
    re.IGNORECASE,
)

# Prompts that are a whole short line: share, print and loading labels.
PROMPT_LINES = frozenset(
    (
        "teilen mit",
        "share this",
        "share",
        "compartir",
        "partager",
        "condividi",
        "compartilhe",
        "udostępnij",
        "wird geladen",
        "loading",
        "cargando",
        "chargement",
        "bewerten",
        "drucken",
        "print",
        "bild anzeigen",
        "bild schließen",
    )
)

PAYWALL_RE = re.compile(
    r"(?:^|\b)(?:"
    r"subscribe (?:now )?to (?:continue|read)|to (?:continue|keep) reading|(?:to )?read the full (?:story|article)"
    r"|to view the full (?:story|article)|for the full story|already (?:a subscriber|subscribed)|déjà abonné"
    r"|(?:bereits|schon) abonnent|ya (?:eres|es) (?:suscriptor|socio)|già abbonato|já é assinante|al abonnee"
    r"|subscribers? only|(?:available|exclusive) (?:only )?(?:for|to) subscribers"
    r"|jetzt weiterlesen|weiterlesen mit|lesen sie jetzt weiter|(?:mit|im|ihr) .{0,30}abo weiterlesen"
    r"|exklusiv für (?:abonnenten|abonnentinnen|abonnierende)|(?:dieser|der) artikel ist .{0,30}(?:abonnenten|plus)"
    r"|pour lire la suite|la suite est réservée|réservée? aux abonnés|pour accéder en illimité|abonnez-vous pour"
    r"|(?:exclusivo|reservado) para (?:suscriptores|socios|miembros|assinantes)|para (?:seguir|continuar) leyendo"
    r"|per continuare a leggere|riservato agli abbonati|para continuar lendo|exclusivo para assinantes"
    r"|lees verder met|alleen voor abonnees|aby przeczytać (?:cały|całość)|dostęp tylko dla"
    r"|чтобы продолжить чтение|доступно (?:только )?подписчикам|订阅后继续阅读|付费阅读|登录后阅读全文"
    r"|続きを読むには|有料会員限定|会員限定"
    r")",
    re.IGNORECASE,
)

DISCLOSURE_RE = re.compile(
    r"(?:^|\b)(?:"
    r"affiliate[- ]links?|contains (?:affiliate links|references to products)|enthält (?:affiliate|werbe)"
    r"|(?:we|wir) (?:may )?(?:receive|earn|erhalten) (?:a )?(?:commission|provision)"
    r"|advertisers? (?:do not|don't) influence|independent review process|sponsored (?:post|content)"
    r"|^\W*(?:werbung|anzeige|publicidad|pubblicità|publicité|reklama)\s*[.:,|–-]"
    r"|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados"
    r"|tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden"
    r"|wszelkie prawa zastrzeżone|все права защищены|版权所有|無断転載|copyrighted property"
    r"|materiał chroniony prawem autorskim|without (?:prior )?written permission|alle angaben ohne gewähr"
    r"|sofern nicht anders (?:angegeben|ausgewiesen|vermerkt)|unless otherwise (?:noted|stated|indicated)"
    r")",
    re.IGNORECASE,
)

CREDIT_RE = re.compile(
    r"^[\s(\[*]*(?:"
    r"©|\(c\)\s*\d{4}|copyright\s*(?:[:©]|\d{4})|credits?\s*[:：]|(?:photo|image|picture)s? ?(?:credits?)?\s*[:：]"
    r"|foto(?:s|grafie)?\s*[:：]|fot\.\s|bild(?:er)?\s*[:：]|(?:titel|beitrags|header|vorschau)bild\s*[:：]"
    r"|bildquelle|crédits? photos?|image illustrative|illustration\s*[:：]|imagen(?:es)?\s*[:：]"
    r"|immagine\s*[:：]|zdjęcie\s*[:：]|źródło zdjęcia|фото\s*[:：]|写真\s*[:：]|图片来源|圖片來源|图\s*[/／]"
    r"|abbildung \d+\s*[:：]|grafik\s*[:：]"
    r")",
    re.IGNORECASE,
)
TRAILING_CREDIT_RE = re.compile(r"©\s*[^.!?©]{1,60}$")
# Photo agencies, as they sign credits ("Name / Agency") and reports ("aja/PAP", "(dpa)").
AGENCIES = (
    r"getty images|afp|reuters|ap|dpa|epa|efe|pap|ansa|anp|tass|xinhua|imago|picture alliance"
    r"|shutterstock|istock(?:photo)?|keystone|agencja gazeta|belga|apa|sda|kna|epd|ddp"
)
_INITIALS = r"[a-ząćęłńóśźż]{2,5}(?:/[a-ząćęłńóśźż]{2,5})*"
AGENCY_CREDIT_RE = re.compile(
    rf"^(?:[\w.'’ -]{{1,40}}\s*/\s*(?:{AGENCIES})|(?:{AGENCIES})\s*/\s*[\w.'’ -]{{1,40}})$", re.IGNORECASE
)
SIGNATURE_RE = re.compile(
    rf"^(?:(?-i:\(?[A-ZÄÖÜ]{{2,6}}\)?)|\((?:{AGENCIES})(?:/\w+)*\)|{_INITIALS}\s*/\s*(?:{AGENCIES})"
    r"|(?:quelle|source|fuente|fonte|źródło|источник)\s*:.{1,100}"
    r"|(?:www\.)?[\w-]+\.(?:com|net|org|de|at|ch|fr|es|it|pl|uk|info|news))$",
    re.IGNORECASE,
)

_DATE = (
    r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.? [^\W\d]{3,10}\.? \d{4}"
    r"|[^\W\d]{3,10}\.? \d{1,2},? \d{4})"
)
DATE_LINE_RE = re.compile(
    rf"^\W*{_DATE}(?:,? (?:at |um |à |a las )?\d{{1,2}}[:.]\d{{2}}(?: ?[ap]\.?m\.?| uhr)?)?\W*$",
    re.IGNORECASE,
)
DATED_META_RE = re.compile(rf"^\W*{_DATE}\b.{{0,60}}\|", re.IGNORECASE)
METADATA_RE = re.compile(
    r"^\W*(?:"
    r"(?:kategorie|kategorien|category|categories|catégorie|categoría|categoria|kategoria|rubrik|rubrique"
    r"|schlagworte|stichworte|tags?|topics)\s*[:|]"
    r"|(?:letzte änderung|zuletzt (?:aktualisiert|geändert)|aktualisiert(?: am)?|last (?:modified|updated)"
    r"|updated|veröffentlicht(?: am)?|publiziert|published|publicado|publié le|mis à jour|release date|news date"
    r"|erstellt am|stand)\s*[:|]?\s*(?:\d|$)"
    r"|\d+\s*(?:min(?:ute)?s?\.?|minuten)\s*(?:read|lesezeit|lesedauer|de lectura|di lettura|czytania|leestijd)"
    r"|(?:lesezeit|lesedauer|reading time|temps de lecture|tiempo de lectura)\s*[:|]?\s*(?:ca\.\s*)?\d"
    r"|ten tekst przeczytasz|czas czytania|время чтения|阅读时间|読了時間"
    r"|(?:\d+\s+)?(?:kommentare?|comments?|commentaires?|comentarios?|commenti|komentarze?)(?:\s+insgesamt)?"
    r"\s*:?\s*\(?\d*\)?\W*$"
    r"|(?:keine|no|view|show|\d+) (?:kommentare|comments)\W*(?:\(.*\))?$|(?:video )?verfügbar bis \d"
    r"|(?:tel(?:efon)?|phone|fax|e-?mail)\.?\s*[:.]\s*[+\d(]"
    r"|(?:inhaltsverzeichnis|table of contents|inhalt|sommaire|índice|indice|spis treści|inhoudsopgave"
    r"|содержание|目次|目录)\W*$"
    r")",
    re.IGNORECASE,
)

# Words of the class of a page's lead paragraph ("article__lead", "standfirst", "chapo", "ArticleHeader-Hook").
LEAD_CLASS_WORDS = frozenset(
    (
        "lead",
        "lede",
        "intro",
        "introduction",
        "teaser",
        "deck",
        "standfirst",
        "excerpt",
        "chapo",
        "chapeau",
        "summary",
        "abstract",
        "subtitle",
        "subheadline",
        "subhead",
        "preface",
        "hook",
        "description",
        "desc",
        "strapline",
        "sapo",
        "entradilla",
    )
)
# Class words of elements that are no lead, whatever else their class says ("site-description", "newsletter-teaser").
NOT_LEAD_CLASS_WORDS = frozenset(
    (
        "site",
        "cookie",
        "cookies",
        "newsletter",
        "meta",
        "caption",
        "img",
        "image",
        "media",
        "photo",
        "menu",
        "navigation",
        "nav",
        "breadcrumb",
        "list",
        "ticker",
        "help",
        "card",
        "profile",
        "author",
        "byline",
        "citation",
        "date",
        "time",
        "blog",
    )
)
_CLASS_SPLIT_RE = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")

_TRIM = " \t:：-–—|»>*•·.!?"
_SENTENCE_END = ".!?…。！？"


def heading_key(line: str) -> str:
    """A line lower-cased and stripped of punctuation around it, to compare with phrase lists."""
    return line.strip(_TRIM).strip().lower().replace("’", "'")


def ends_sentence(line: str) -> bool:
    """Whether a line ends like a sentence (terminal punctuation, possibly inside quotes or brackets)."""
    return line.rstrip(" \"'”“»«)]").endswith(tuple(_SENTENCE_END))


def is_tail_heading(line: str) -> bool:
    """Whether a short line is the heading of a related/share/newsletter/about block."""
    if len(line) > HEADING_LINE or ends_sentence(line.rstrip("?!")):
        return False
    key = heading_key(line)
    return key in TAIL_HEADINGS or bool(TAIL_HEADING_RE.match(key))


def teaser_rest(line: str) -> str | None:
    """The headline of a teaser line ("Lesen Sie auch: <headline>", ">> <headline> <<"), "" for a bare label.

    None when the line is no teaser. Behind a one-word label ("Lea:", "Mira:", "Watch:") only a single
    short headline counts, never a sentence.
    """
    if len(line) > SHORT_LINE:
        return None
    if line.startswith(">>") and line.endswith("<<"):
        return line.strip("<> ")
    match = TEASER_LABEL_RE.match(line)
    if match is None:
        return None
    rest = match["rest"].strip()
    if " " not in match["label"] and (
        len(line) > TEASER_LINE or rest.endswith(".") or _SENTENCES_RE.search(rest)
    ):
        return None
    return rest


def is_prompt(line: str) -> bool:
    """Whether a line is a newsletter/follow/support/comment prompt or a consent placeholder.

    Phrases count anywhere in a short line, and only at the start of a longer one.
    """
    if len(line) > SHORT_LINE:
        return len(line) <= 2 * SHORT_LINE and bool(PROMPT_RE.match(line))
    key = heading_key(line)
    return (
        key in PROMPT_LINES
        or (key.endswith("newsletter") and len(key) < HEADING_LINE / 2)
        or bool(PROMPT_RE.search(line))
    )


def is_paywall_notice(line: str) -> bool:
    """Whether a short line says the rest of the article is for subscribers."""
    return len(line) <= SHORT_LINE and bool(PAYWALL_RE.search(line))


def is_disclosure(line: str) -> bool:
    """Whether a short line is an advertising/affiliate disclosure, a licence or a copyright notice."""
    return len(line) <= SHORT_LINE * 1.5 and bool(DISCLOSURE_RE.search(line))


def is_credit(line: str) -> bool:
    """Whether a short line is a photo credit ("Foto: ...", "© ...", "Name / Agency") or a caption ending in one."""
    if len(line) > SHORT_LINE or line.rstrip().endswith("?"):
        return False
    return bool(
        CREDIT_RE.match(line)
        or AGENCY_CREDIT_RE.match(line.strip(" ()[]"))
        or TRAILING_CREDIT_RE.search(line)
    )


def is_signature(line: str) -> bool:
    """Whether a line is an agency or author signature ("RIRM", "aja/PAP", "(dpa)"), a source or a bare web address."""
    return bool(SIGNATURE_RE.match(line.strip()))


def is_metadata(line: str) -> bool:
    """Whether a short line is a labelled category, update, reading-time, comment-count, contact or contents line."""
    return len(line) <= HEADING_LINE * 1.5 and bool(METADATA_RE.match(line))


def is_date_line(line: str) -> bool:
    """Whether a short line is only a date (and time), or a date followed by ``|``-separated metadata."""
    return len(line) <= HEADING_LINE * 1.5 and bool(DATE_LINE_RE.match(line) or DATED_META_RE.match(line))


def class_words(value: str | None) -> set[str]:
    """The lower-cased words of a class attribute, split at spaces, ``-``, ``_`` and camelCase."""
    return {word.lower() for word in _CLASS_SPLIT_RE.split(value or "") if word}


def is_lead_class(value: str | None) -> bool:
    """Whether a class attribute says its element is the lead (standfirst, intro, deck, summary...)."""
    words = class_words(value)
    return not words.isdisjoint(LEAD_CLASS_WORDS) and words.isdisjoint(NOT_LEAD_CLASS_WORDS)


def is_not_lead_class(value: str | None) -> bool:
    """Whether a class attribute says its element is something else than a lead (a caption, a menu, a date...)."""
    return not class_words(value).isdisjoint(NOT_LEAD_CLASS_WORDS)
