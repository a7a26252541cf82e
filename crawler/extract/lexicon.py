"""The extraction's vocabulary: words and phrases in many languages, kept apart from the rules that use them.

Word sets are compared whole, case-folded; ``*_PATTERN`` strings are regular-expression alternations that the
modules using them compile (case-insensitive, unless a part says otherwise). Nothing here is logic: the
byline, boilerplate, dateline, authors and dates modules read their vocabulary here, as trafilatura's
extractors read their selectors from ``xpaths.py``.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ----------------------------------------------------------------------------- bylines: labels

# Words that introduce the authors: "By", "Von", "Por"… ("di" and "da" in lower case only: they start names too).
BY_PATTERN = r"by|von|vom|par|por|door|przez|(?-i:di|da)|av|af|от"
# Words that may come before "by" in a label: "Written by", "Ein Kommentar von", "View all posts by".
LABEL_WORD_PATTERN = (
    r"written|posted|published|reported|story|words|text|article|report|compiled|interview|view|see|show"
    r"|all|posts|articles|stories|more|geschrieben|verfasst|veröffentlicht|gepostet|erstellt|eingestellt"
    r"|publiziert|ein|eine|einen|beitrag|beiträge|kommentar|gastbeitrag|gastkommentar|analyse|kolumne"
    r"|reportage|essay|artikel|bericht|zeige|alle|mehr|weitere|publié|écrit|rédigé|propos|recueillis"
    r"|un|une|tous|les|plus|escrito|publicado|redactado|artículo|más|scritto|pubblicato|a|cura"
    r"|articolo|tutti|gli|articoli|geschreven|geplaatst|napisał|napisała|napisane|opublikował"
    r"|skrevet|skriven|publicerad|pressemitteilung|pressemeldung|meldung|blog|blogbeitrag|post|submitted"
)
# Noun labels that name the author when followed by a colon (or, for a few, directly by the name).
AUTHOR_NOUN_PATTERN = (
    r"authors?|autor(?:in|innen|en|ka|zy|es|as|a)?|auteurs?|auteure|autore|autori|verfasser(?:in)?"
    r"|contributors?|writers?|reporter(?:in)?|reporting|byline|text|texte|texto|testo|tekst|words"
    r"|interview|story|reportage|redakteur(?:in)?|redaktor|redaktion|redacción|rédaction|redazione|redactie"
    r"|yazar|автор|текст|posted|geschrieben"
)
# Author nouns that may stand right before the name, without a colon ("Autorin Jane Doe").
BARE_AUTHOR_NOUN_PATTERN = r"authors?|autor(?:\*in|:in|_in|in|innen|en)?|auteurs?|autore|autori"
# Labels of Chinese and Japanese bylines ("记者", "作者").
CJK_AUTHOR_LABELS = ("文", "作者", "撰文", "记者", "記者", "本报记者", "本報記者", "通讯员", "編集", "筆者")
# Labels of people who are not the authors (photos, editing, translation, sources, contacts).
OTHER_CREDIT_PATTERN = (
    r"photos?|fotos?|bilder?|pictures?|images?|illustrations?|grafik|graphics?"
    r"|video|kamera|camera|edited|editing|editor|revised|reviewed|produced|translated|translation"
    r"|übersetzung|übersetzt|traduction"
    r"|traducción|traduzione|mitarbeit|quelle|source|fuente|via|reporting|research|recherche"
    r"|instagram|twitter|facebook|linkedin|tiktok|youtube|e-?mail|mail|tel|telefon|phone|website|web"
)

# ----------------------------------------------------------------------------- bylines: where names end

# Days of the week, full and abbreviated, before a date in a byline ("Mon, 12 May").
WEEKDAY_PATTERN = (
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lun|mer"
    r"|jeu|ven|sam|dim|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles"
    r"|jueves|viernes|sábado|domingo"
)
# Words before a day of the month ("on 12", "am 3.").
DATE_PREPOSITIONS = ("on", "am", "le", "el", "il", "op", "dnia")
# Units of a reading time or an age ("3 min", "2 Stunden").
DURATION_UNITS_PATTERN = r"min|minutes?|minuten?|hours?|horas?|stunden?|heures?|ore"
# Words before an age ("vor 2 Stunden", "hace 3 horas").
AGO_WORDS = ("hace", "vor", "il y a")
# Words after which a byline says something else than names: dates, updates, reading times, credits, comments.
NAME_END_PATTERN = (
    r"last updated|updated|update|aktualisiert|letzte aktualisierung|erstellt|geändert|modified|created"
    r"|published|publiziert|veröffentlicht|erschienen"
    r"|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|opublikowano"
    r"|stand|posted on|min read|minute read|lesezeit|read time|reading time|tiempo de lectura"
    r"|temps de lecture|leestijd|fotos?|photos?|bilder?|credits?|quelle|source|fuente|edited by"
    r"|translated by|follow|folgen|illustrations?|illustriert|grafik|symbolbild|cover|date|datum|fecha"
    r"|(?:\d+|ein|eine|one|no|keine)?\s*(?:kommentare?|comments?|commentaires?|comentarios?)"
)
# Words that start an affiliation after a name ("Jane Doe for Reuters", "mit Material von").
AFFILIATION_WORDS = ("for", "from", "at", "via", "with", "für", "mit", "pour", "avec", "para", "con")
# Prepositions of a place after a name ("Jane Doe in Berlin"), in lower case only.
PLACE_PREPOSITIONS = ("in", "aus", "bei", "per", "em", "auf", "sur", "on")
# Words joining names ("Jane Doe and John Roe"); the short ones only in lower case ("Y." may be an initial).
NAME_CONNECTORS = ("and", "und", "et", "oraz", "och", "og", "ja", "ve", "és")
LOWER_CASE_NAME_CONNECTORS = ("y", "e", "i", "en", "и")
# Verbs after a commenter's name ("Jane says:"): a comment, not a byline.
COMMENT_VERBS = (
    "says",
    "said",
    "sagt",
    "schreibt",
    "meint",
    "a écrit",
    "dice",
    "dijo",
    "ha scritto",
    "schreef",
    "pisze",
    "napisał",
    "replied",
    "antwortete",
)
# Words after a Chinese or Japanese name: the reporter's or photographer's title.
CJK_NAME_SUFFIXES = ("記者", "记者", "特派員", "通讯员", "撰文", "摄影", "攝影")

# ----------------------------------------------------------------------------- names, roles and organisations

# Lower-case words that belong to names ("Ursula von der Leyen", "José de la Cruz").
PARTICLES = _words(
    "von van der den de del della delle di da das dos do du la le les los las zu zum zur ten ter te"
    " bin binti ibn al el ben bat af av y e 't v."
)
# Job titles and roles: the name ends where they start ("Jane Doe, Senior Editor", "Rechtsanwalt X").
ROLES = _words(
    """
    editor editors writer writers reporter reporters correspondent correspondents journalist journalists
    columnist contributor contributors photographer photographers photojournalist producer anchor analyst
    intern freelancer blogger author authors director manager president ceo founder co-founder cofounder
    professor lecturer researcher scientist student marketing communications spokesperson spokesman
    spokeswoman host coordinator specialist consultant expert officer engineer developer designer attorney
    lawyer advisor adviser strategist economist commentator critic reviewer presenter moderator chairman
    chairwoman secretary minister ministre ministro ministerin präsident präsidentin président présidente
    presidente presidenta secretario secretaria secrétaire député députée senador sénateur abgeordneter
    abgeordnete bürgermeister bürgermeisterin alcalde alcaldesa
    redakteur redakteurin redakteure chefredakteur chefredakteurin korrespondent korrespondentin autor
    autorin autoren reporterin fotograf fotografin journalistin kolumnist kolumnistin volontär volontärin
    praktikant praktikantin mitarbeiter mitarbeiterin leiterin rechtsanwalt rechtsanwältin
    anwältin experte expertin gastautor gastautorin moderatorin sprecherin geschäftsführer
    geschäftsführerin professorin referent referentin beraterin ressortleiter ressortleiterin
    interview kommentar
    journaliste rédacteur rédactrice correspondant correspondante envoyé envoyée chroniqueur chroniqueuse
    photographe auteur auteure directeur directrice éditorialiste stagiaire professeur
    periodista corresponsal redactor redactora enviado enviada columnista fotógrafo fotógrafa autora
    directora editora jornalista correspondente repórter colunista redator giornalista corrispondente
    inviato inviata redattore redattrice editorialista fotografo verslaggever redacteur fotograaf
    dziennikarz dziennikarka redaktor korespondent autorka reporterka publicysta
    """
)
# Endings of German compound job titles ("Projektleiterin", "Wirtschaftsredakteur").
ROLE_ENDINGS = (
    "leiter",
    "leiterin",
    "redakteur",
    "redakteurin",
    "korrespondent",
    "korrespondentin",
    "sprecher",
    "sprecherin",
    "referent",
    "referentin",
    "berater",
    "beraterin",
    "experte",
    "expertin",
    "autorin",
    "reporter",
    "reporterin",
    "journalist",
    "journalistin",
    "fotograf",
    "fotografin",
    "direktor",
    "direktorin",
)
# Degrees after a name ("Jane Doe, PhD"): dropped, without ending the list of names.
DEGREES = _words("phd ph.d ph.d. md m.d. mba msc m.sc. jd rn mph dphil llm")
# Words that qualify a role: dropped with it ("Senior Political Correspondent").
ROLE_MODIFIERS = _words(
    """
    senior chief deputy associate assistant managing executive political business sports science
    technology tech health foreign national digital news special guest contributing freelance staff
    online freier freie leitender leitende stellvertretender stellvertretende
    """
)
# Interface words around a name in a byline element: dropped ("Elizabeth Gibney Search", "Follow").
INTERFACE_WORDS = _words(
    """
    name names follow following datum date posted post published updated says stand share teilen comments
    comment kommentare home menu more mehr email e-mail mail print drucken facebook twitter linkedin
    instagram whatsapp xing pinterest youtube rss contact kontakt profile profil bio about über by von
    text foto photo bild quelle source fuente subscribe search suche schließen close artikelübersicht
    übersicht autorenseite autorenprofil alle weitere artikel beiträge view min
    contactar contacto kontaktieren zur zum
    min. mins information info disclosure article articles zuletzt see all
    フォロー フォローする すべて見る もっと見る 一覧
    """
)
# A text-size control beside a byline ("Size Small Medium Large", "Schriftgröße klein mittel groß").
TEXT_SIZE_WORDS = _words(
    """
    size font text small smaller medium normal large larger schrift schriftgröße textgröße klein mittel groß
    taille petit moyen grand tamaño pequeño mediano grande
    """
)
# Desks and teams: alone they name nobody ("Redaktion"); with a name of their own they are credited
# ("MM-Redaktion", "Everfit Team").
DESK_WORDS = _words(
    """
    staff redaktion redaktionen redaktionsteam onlineredaktion rédaction redacción redazione redactie
    redakcja newsroom newsdesk desk editorial team teams agencies agenturen agentur agency agencia agence
    agenzia wire wires pressestelle
    """
)
# Placeholders of a CMS or an advertisement: never an author, whatever name they carry ("NOC Admin").
PLACEHOLDER_WORDS = _words(
    """
    unknown anonymous anonym admin administrator webmaster guest gast user none null undefined sponsored
    gesponsert gesponserte anzeige advertorial werbung
    """
)
# Generic authors: desks, teams, placeholders. A part holding one of them is not a person's name.
GENERIC_WORDS = DESK_WORDS | PLACEHOLDER_WORDS
# Words that qualify a desk without naming it ("Redacción Central", "Digital Team", "Lokalredaktion").
DESK_QUALIFIERS = _words(
    """
    central zentral zentrale general digital web local lokal lokales regional national international our
    your unser unsere notre nuestra nostra the content support customer
    """
)
# Generic authors written as phrases.
GENERIC_PHRASES = frozenset({"no author", "n/a", "the editors", "red"})
# Words that mark an organisation rather than a person.
ORGANISATION_WORDS = _words(
    """
    gmbh e.v. ev inc inc. ltd ltd. llc corp corp. corporation company plc s.a. sas sarl srl s.r.l. spa
    s.p.a. verlag zeitung magazin magazine media medien news nachrichten online press presse radio tv
    television fernsehen rundfunk foundation stiftung verband association verein university universität
    université universidad universiteit uniwersytet institut institute instituto agency group gruppe
    network netzwerk blog official partei party ministry ministerium council committee government
    department society gesellschaft club federation church kirche bank journal tribune gazette chronicle
    times zeitschrift verlagsgruppe redaktion union
    """
)
# Endings of German compound words naming an organisation ("Landesanstalt", "Caritasverband").
ORGANISATION_ENDINGS = (
    "anstalt",
    "amt",
    "behörde",
    "kammer",
    "verwaltung",
    "verband",
    "verein",
    "stiftung",
    "gesellschaft",
    "zentrum",
    "zentrale",
    "institut",
    "ministerium",
    "agentur",
    "akademie",
    "hochschule",
    "universität",
    "klinikum",
    "partei",
    "gewerkschaft",
    "genossenschaft",
    "redaktion",
    "verlag",
    "zeitung",
)
# Legal forms that mark a company ("Example GmbH").
ORGANISATION_CODES = frozenset({"AG", "SE", "SA", "KG", "GmbH", "BV", "NV"})
# Articles before a name that spells the site's domain ("El Colombiano"): a brand, not a person.
ARTICLE_WORDS = frozenset(
    {"the", "a", "an", "die", "der", "das", "el", "la", "le", "les", "il", "lo", "de", "het"}
)
# What a "twitter:labelN" says when its "twitter:dataN" is the author (Yoast and similar plugins).
AUTHOR_META_LABEL_PATTERN = (
    r"(?:written|posted|published)\s+by|(?:verfasst|geschrieben)\s+von|escrito\s+por|écrit\s+par|scritto\s+da"
    r"|geschreven\s+door|autor|author|auteur"
)

# ----------------------------------------------------------------------------- news and photo agencies

# News and photo agencies, in their own spelling: named as the author ("Von dpa"), in a dateline
# ("PARIS (AFP) -"), in a credit or signature ("Name / Getty Images", "aja/PAP", "(dpa)").
AGENCIES = (
    # wire services
    "Reuters",
    "AP",
    "Associated Press",
    "The Associated Press",
    "AFP",
    "Agence France-Presse",
    "Agence France Presse",
    "dpa",
    "dpa-AFX",
    "Deutsche Presse-Agentur",
    "dapd",
    "ddp",
    "dts",
    "epd",
    "KNA",
    "Kathpress",
    "SID",
    "APA",
    "SDA",
    "Keystone-SDA",
    "EFE",
    "Agencia EFE",
    "Europa Press",
    "Servimedia",
    "ANSA",
    "AGI",
    "Adnkronos",
    "Agenzia Nova",
    "LaPresse",
    "Lusa",
    "Agência Brasil",
    "Belga",
    "ANP",
    "NTB",
    "TT",
    "Ritzau",
    "STT",
    "PAP",
    "ČTK",
    "CTK",
    "MTI",
    "BTA",
    "HINA",
    "Tanjug",
    "Agerpres",
    "ANA-MPA",
    "TASS",
    "RIA Novosti",
    "Interfax",
    "Ukrinform",
    "Anadolu",
    "Anadolu Ajansı",
    "AA",
    "DHA",
    "İHA",
    "IRNA",
    "WAFA",
    "Xinhua",
    "Xinhua News Agency",
    "Kyodo",
    "Kyodo News",
    "Jiji",
    "Jiji Press",
    "Yonhap",
    "Bernama",
    "Antara",
    "PTI",
    "IANS",
    "ANI",
    "UNI",
    "AAP",
    "CP",
    "Canadian Press",
    "The Canadian Press",
    "PA Media",
    "Press Association",
    "UPI",
    "Bloomberg",
    "CNN",
    "JTA",
    "KUNA",
    "WAM",
    "MENA",
    "QNA",
    "KCNA",
    "ATS",
    "Prensa Latina",
    "Notimex",
    "Télam",
    "Telam",
    "Sputnik",
    "PR Newswire",
    "Business Wire",
    "Globe Newswire",
    # photo agencies
    "Getty Images",
    "EPA",
    "imago",
    "picture alliance",
    "Shutterstock",
    "iStock",
    "iStockphoto",
    "Keystone",
    "Agencja Gazeta",
    # Chinese, Japanese and Korean agencies, as their datelines write them
    "新华社",
    "中新社",
    "中新网",
    "人民网",
    "央视网",
    "本报",
    "共同",
    "時事",
    "新華社",
    "中央社",
    "路透",
    "路透社",
    "法新社",
    "美联社",
    "ロイター",
    "共同通信",
    "時事通信",
    "연합뉴스",
    "뉴시스",
    "뉴스1",
)

# ----------------------------------------------------------------------------- boilerplate lines

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
TAIL_HEADING_PATTERN = (
    r"more (?:on|from|about|stories|news)|see also|you (?:may|might) also"
    r"|related(?: (?:articles?|stories|posts|news|coverage|content|topics|links|reading|videos?))?$"
    r"|(?:das|diese[sr]?) .{0,30}(?:könnte|könnten) (?:sie|dich|euch) .{0,20}interessieren"
    r"|mehr (?:zum thema|themen|zu diesem thema|aus)|weitere (?:\w+ )?(?:artikel|beiträge|themen|nachrichten|news)"
    r"|weitere \w*tipps|auch (?:auf|bei) \S+\.\w{2,4}$|ansprechpartner(?:in)?\b"
    r"|lesen sie (?:auch|mehr)|empfohlene (?:artikel|beiträge)|top.themen"
    r"|(?:à )?lire aussi|sur le même sujet|(?:te|le) puede (?:interesar|gustar)|notas? relacionadas?"
    r"|noticias relacionadas|contenido relacionado|más (?:noticias|sobre)|leggi anche|articoli correlati"
    r"|leia também|veja também|lees ook|czytaj (?:też|także)|zobacz (?:też|także)|читайте также"
    r"|相关(?:阅读|新闻|文章|报道|链接|推荐)|延伸阅读|推荐阅读|関連(?:記事|ニュース|リンク)|あわせて読みたい"
)
# Labels of teaser links inside the text: "Lesen Sie auch: <headline>", "Lea también: <headline>".
TEASER_LABEL_PATTERN = (
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
)
# Newsletter, support, follow and comment prompts, and consent placeholders.
PROMPT_PATTERN = (
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
# Notices that the rest of the article is for subscribers.
PAYWALL_PATTERN = (
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
)
# Advertising and affiliate disclosures, licences and copyright notices.
DISCLOSURE_PATTERN = (
    r"affiliate[- ]links?|contains (?:affiliate links|references to products)|enthält (?:affiliate|werbe)"
    r"|(?:we|wir) (?:may )?(?:receive|earn|erhalten) (?:a )?(?:commission|provision)"
    r"|advertisers? (?:do not|don't) influence|independent review process|sponsored (?:post|content)"
    r"|^\W*(?:werbung|anzeige|publicidad|pubblicità|publicité|reklama)\s*[.:,|–-]"
    r"|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados"
    r"|tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden"
    r"|wszelkie prawa zastrzeżone|все права защищены|版权所有|無断転載|copyrighted property"
    r"|materiał chroniony prawem autorskim|without (?:prior )?written permission|alle angaben ohne gewähr"
    r"|sofern nicht anders (?:angegeben|ausgewiesen|vermerkt)|unless otherwise (?:noted|stated|indicated)"
)
# Labels that start a photo credit ("Foto:", "©", "Bildquelle").
CREDIT_PATTERN = (
    r"©|\(c\)\s*\d{4}|copyright\s*(?:[:©]|\d{4})|credits?\s*[:：]|(?:photo|image|picture)s? ?(?:credits?)?\s*[:：]"
    r"|foto(?:s|grafie)?\s*[:：]|fot\.\s|bild(?:er)?\s*[:：]|(?:titel|beitrags|header|vorschau)bild\s*[:：]"
    r"|bildquelle|crédits? photos?|image illustrative|illustration\s*[:：]|imagen(?:es)?\s*[:：]"
    r"|immagine\s*[:：]|zdjęcie\s*[:：]|źródło zdjęcia|фото\s*[:：]|写真\s*[:：]|图片来源|圖片來源|图\s*[/／]"
    r"|abbildung \d+\s*[:：]|grafik\s*[:：]"
)
# Labels of a source line ("Quelle: …").
SOURCE_LABELS = ("quelle", "source", "fuente", "fonte", "źródło", "источник")
# Labelled categories, updates, reading times, comment counts, contacts and tables of contents.
METADATA_PATTERN = (
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
)

# ----------------------------------------------------------------------------- dates

# Labels of dates beside a headline that are not the article's: a member's registration, a reviewed
# work's release, a birth ("Registriert: 18.09.2008", "Erscheinungsdatum: 14.08.2017").
OTHER_DATE_LABELS = (
    "registriert",
    "registered",
    "joined",
    "member since",
    "mitglied seit",
    "dabei seit",
    "erscheinungsdatum",
    "release date",
    "geburtsdatum",
    "born",
)

# ----------------------------------------------------------------------------- datelines

# Labels that open a paragraph in capitals like a place, but are none ("UPDATE -", "VIDÉO -").
DATELINE_LABELS = frozenset(
    {
        "update",
        "updated",
        "breaking",
        "exclusive",
        "exklusiv",
        "exclusif",
        "exclusiva",
        "esclusiva",
        "video",
        "vidéo",
        "photos",
        "fotos",
        "galerie",
        "gallery",
        "interview",
        "analysis",
        "analyse",
        "análisis",
        "commentary",
        "kommentar",
        "opinion",
        "meinung",
        "editorial",
        "essay",
        "column",
        "kolumne",
        "glosse",
        "feature",
        "enquête",
        "reportage",
        "chronique",
        "tribune",
        "info",
        "live",
        "eilmeldung",
        "urgent",
        "alert",
        "podcast",
        "review",
        "rezension",
        "watch",
        "read",
        "note",
        "correction",
        "korrektur",
        "anzeige",
        "werbung",
        "sponsored",
        "paid",
        "promoted",
        "advertisement",
        "fazit",
        "hinweis",
        "achtung",
        "tipp",
        "nachtrag",
        "summary",
        "zusammenfassung",
        "résumé",
        "resumen",
        "tldr",
        "disclaimer",
        "warning",
        "warnung",
        "takeaway",
        "takeaways",
    }
)
# How the name of a Chinese paper, website or agency ends: its dateline names it before the place
# ("光明日报北京2月26日电", "光明网讯").
CJK_SOURCE_SUFFIXES = ("日报", "晚报", "时报", "电视台", "网", "社", "报")
# Words before a dateline's date: "Paris, le 3 mars", "Berlin, den 3. März", "Madrid, a 3 de marzo".
DATE_ARTICLES = ("le", "den", "a")
# Classes of an element that prints the dateline apart ("dateline", "location-mark", "Ortsmarke").
DATELINE_CLASS_WORDS = ("dateline", "location", "ortsmarke")
# Prepositions before a place: the story names its dateline's place with them ("in Potsdam", "aus Chemnitz").
LOCATIVE_PREPOSITIONS = (
    *("in", "im", "aus", "nach", "bei", "from", "at", "near", "à", "dans", "en", "de", "desde", "a"),
    *("em", "no", "na", "da", "di", "uit", "naar", "bij", "te", "w", "we", "z", "ze", "do"),
)
# US state and Canadian province codes: in brackets after a place they are no agency ("Harrisburg (PA)").
STATE_CODES = _words(
    """
    AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND
    OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AB BC MB NB NL NS NT NU ON PE QC SK YT
    """
)
# Small words inside place names ("Rio de Janeiro", "Frankfurt am Main", "Stratford upon Avon").
PLACE_SMALL_WORDS = frozenset(
    {"de", "del", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "les", "los", "el", "am", "an"}
    | {"der", "im", "in", "bei", "ob", "upon", "on", "sur", "en", "von", "van", "y", "e", "of"}
)

# ----------------------------------------------------------------------------- class names

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
# Class words of other items' containers (comments aside): related stories, teasers, sidebars, navigation.
OTHER_ITEM_CLASS_WORDS = frozenset(
    {
        "related",
        "teaser",
        "teasers",
        "sidebar",
        "widget",
        "recommended",
        "recommendations",
        "popular",
        "trending",
        "promo",
        "more",
        "similar",
        "latest",
        "listing",
        "card",
        "cards",
        "nav",
        "navigation",
        "menu",
        "listitem",
        "also",
        "other",
        "others",
        "weitere",
        "mehr",
        "autres",
        "otros",
        "altri",
        "outros",
    }
)
