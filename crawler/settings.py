"""Scrapy settings of the newscrawl project. Every project setting is documented in the README."""

from __future__ import annotations

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# Politeness: a user agent that names the project, robots.txt, AutoThrottle and a per-domain limit.
USER_AGENT = "newscrawl/0.1 (+https://github.com/newscrawl/newscrawl)"
ROBOTSTXT_OBEY = True
# Protego, keeping the file: its Sitemap lines are read from the one fetch (crawler/fetch/robots.py).
ROBOTSTXT_PARSER = "crawler.fetch.robots.SitemapRobotParser"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# newscrawl's components (middlewares, pipelines, extensions), the checks of these settings and, with
# REDIS_URL, the shared scheduler: one add-on (crawler/run/addon.py) that a script can enable too.
ADDONS = {
    "crawler.run.addon.NewscrawlAddon": 0,
}

# newscrawl's own settings (see the README's settings table).
NEWS_SITES_FILE = "sites.toml"
NEWS_FOLLOW_DEPTH = 2
NEWS_PAGINATION_DEPTH = 5
NEWS_MAX_SITEMAP_URLS = 50_000
NEWS_MAX_SITEMAP_DEPTH = 3  # sitemap indexes followed below a robots.txt or configured sitemap
NEWS_MAX_CHILD_SITEMAPS = 1_000  # sitemaps followed from one sitemap index or robots.txt
NEWS_ARCHIVE_DEPTH = 10
NEWS_MAX_PAGES_PER_SITE = 50_000  # page requests sent to one site in one run; 0: no limit
NEWS_REVALIDATE_DAYS = (
    2.0  # a known article is fetched again while younger than this (or when a source says so)
)
RUN_LOCK_WAIT = 0.0  # seconds a run waits for another run of the same site and OUTPUT_DIR; 0: it exits (75)
CLOSESPIDER_TIMEOUT = 24 * 3600  # seconds: a run stops after a day (Scrapy; 0: no limit)
OUTPUT_DIR = "output"
OUTPUT_GZIP = False
OUTPUT_FSYNC = True
OUTPUT_ROTATE_ITEMS = 0
OUTPUT_ROTATE_BYTES = 0
STATE_PATH = None  # default: OUTPUT_DIR/state.sqlite3
CONDITIONAL_REQUESTS = True
NEAR_DUPLICATES = "mark"  # mark (duplicate_of), drop, or off
NEAR_DUPLICATE_THRESHOLD = (
    0.7  # estimated Jaccard similarity of word 5-shingles (benchmarks/near_duplicates.py)
)
VALIDATE_MIN_WORDS = 40
REDIS_URL = None  # redis://host:port/db: crawl with every worker sharing this Redis
REDIS_KEY = None  # key prefix of the shared crawl; default newscrawl:<spider>:<sites>
REDIS_STATE_KEY = "newscrawl:state"  # key prefix of the crawl state in Redis (shared by every crawl)
REDIS_IDLE_CLOSE = 5.0  # seconds the shared frontier must stay empty before a worker exits
REDIS_WORKER_TIMEOUT = 30.0  # seconds without a heartbeat after which a worker's requests are requeued
EXTRACT_WORKERS = None  # extraction processes; None: one per core; 0: in the crawl thread
EXTRACT_TIMEOUT = 60.0  # seconds one page may take in a worker process before it is dropped
EXTRACT_FUNCTION = "crawler.extract.extract_page"  # (html, url, fetched_at, listed_date, signals, discovered_via) -> PageExtraction
WARC_ENABLED = False  # also on when the spider runs with -a mode=archive
WARC_MAX_SIZE = 1024**3  # bytes; a WARC file rotates once it passes this size
ALLOW_PRIVATE_ADDRESSES = False  # True: requests may go to loopback, private and link-local addresses
ALLOWED_PRIVATE_HOSTS: list[str] = []  # host or host:port allowed to be private all the same
ALLOW_PRIVATE_START_URLS = (
    True  # the host:port of start URLs, sitemaps and feeds the operator names may be private
)
RETRY_AFTER_MAX = 300.0  # seconds: a longer Retry-After (429/503) pauses the domain only this long
BLOCKED_HTTP_CODES = [403]  # answers that mean "blocked", besides challenge pages
BLOCKED_BACKOFF_AFTER = 3  # blocked answers in a row from a domain before it is paused
BLOCKED_BACKOFF_DELAY = 5.0  # seconds of the first pause; each further blocked answer doubles it
BLOCKED_BACKOFF_MAX_DELAY = 300.0  # seconds: the longest pause
BLOCKED_STOP_AFTER = 10  # blocked answers in a row after which a domain is no longer requested
CRAWL_DELAY_MAX = 60.0  # seconds: the longest robots.txt Crawl-delay honoured
PROGRESS_INTERVAL = 60.0  # seconds between two progress lines in the log; 0: none
EXTRACT_MAX_HTML_CHARS = 2_000_000  # characters of a page kept for parsing and extraction; 0: no limit
