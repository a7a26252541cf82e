"""NewscrawlAddon: newscrawl as one Scrapy add-on, the same under ``scrapy crawl``, a script and scrapyd.

Listed in the project's ``ADDONS`` (``crawler/settings.py``); a script enables it with
``CrawlerProcess(settings={"ADDONS": {"crawler.run.addon.NewscrawlAddon": 0}})``. When Scrapy builds a
crawler, the add-on:

1. checks the settings given (``crawler.config``): a bad value raises ``ConfigError`` before anything
   runs, and ``OUTPUT_DIR`` must be a folder this user can write (a spider with a run, such as ``news``,
   has checked them already: Scrapy builds the spider first);
2. gives every newscrawl default of ``crawler/settings.py`` (politeness, limits, output…) at the
   ``addon`` priority, so the project's, the spider's and the command line's values still win;
3. wires the project's components (middlewares, pipelines, extensions) unless the settings name them
   already, so a component a user set to ``None`` stays off; sets newscrawl's log formatter, and the
   fields feed exports write: the record's, in its order (``FEED_EXPORT_FIELDS``);
4. chooses the scheduler (``crawler.run.scheduler.SchedulerAddon``): Scrapy's, kept in memory whatever
   ``JOBDIR`` says (the crawl state resumes a crawl), or the shared Redis one when ``REDIS_URL`` is set;
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler import settings as defaults
from crawler.config import check_settings
from crawler.items import FIELD_NAMES
from crawler.run.scheduler import SchedulerAddon

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

# What loads a project, not what a crawl does: never applied by the add-on.
PROJECT_ONLY = frozenset({"BOT_NAME", "SPIDER_MODULES", "NEWSPIDER_MODULE", "COMMANDS_MODULE", "ADDONS"})

COMPONENTS: dict[str, dict[str, int | None]] = {
    "DOWNLOADER_MIDDLEWARES": {
        # After OffsiteMiddleware (50), before robots.txt (100): no robots.txt request to a refused host.
        "crawler.fetch.addresses.PrivateAddressMiddleware": 60,
        # After robots.txt (100): a page counts against the budget when it is sent, not when it is refused.
        "crawler.fetch.site_limit.SiteLimitMiddleware": 110,
        "crawler.fetch.politeness.PolitenessMiddleware": 560,  # before RetryMiddleware (550) sees the response
        "crawler.fetch.conditional.ConditionalRequestMiddleware": 580,
        # After decompression (590): a page response read as HTML in its real charset, or refused.
        "crawler.fetch.decode.HtmlDecodingMiddleware": 585,
        # Scrapy's own, with their drops named and counted (crawler/fetch/).
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
        "crawler.fetch.compression.CompressionLimitMiddleware": 590,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
        "crawler.fetch.redirects.RedirectLimitMiddleware": 600,
        # Next to the download handler: records responses as received (see crawler/fetch/archive.py).
        "crawler.fetch.archive.WarcRecorderMiddleware": 950,
    },
    "SPIDER_MIDDLEWARES": {
        "crawler.run.distributed.LeaseMiddleware": 10,  # distributed crawls only (REDIS_URL)
        "crawler.fetch.normalise.UrlNormalisationMiddleware": 550,
    },
    "ITEM_PIPELINES": {
        "pipelines.extract.ExtractPipeline": 100,
        "pipelines.validate.ValidatePipeline": 200,
        "pipelines.language.LanguagePipeline": 300,
        "pipelines.dedup.DedupPipeline": 400,
        "pipelines.jsonl_writer.JsonlWriterPipeline": 900,
    },
    "EXTENSIONS": {
        "crawler.run.summary.CrawlSummary": 500,
        "crawler.run.manifest.RunRecorder": 510,
        "crawler.run.distributed.FrontierWatch": 520,  # distributed crawls only (REDIS_URL)
        "crawler.run.progress.ProgressLog": 530,
    },
}


def project_defaults() -> dict[str, Any]:
    """newscrawl's defaults: the settings of ``crawler/settings.py`` that shape a crawl."""
    return {
        name: getattr(defaults, name) for name in dir(defaults) if name.isupper() and name not in PROJECT_ONLY
    }


class NewscrawlAddon:
    """Defaults, components and checks of a newscrawl crawl (see the module's documentation)."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Check the settings given, then apply the defaults and wire the components; ``ConfigError`` when bad."""
        check_settings(settings)
        for name, value in project_defaults().items():
            settings.set(name, value, "addon")
        for name, components in COMPONENTS.items():
            wired = settings.getdict(name)
            for component, order in components.items():
                wired.setdefault(component, order)  # a user's entry, None included, wins
            settings.set(name, wired, settings.getpriority(name) or 0)
        settings.set("LOG_FORMATTER", "crawler.logformat.ItemLogFormatter", "addon")
        # Feed exports (-o, -O, FEEDS) write the record's fields, in its order, as the JSONL files do.
        settings.set("FEED_EXPORT_FIELDS", list(FIELD_NAMES), "addon")
        SchedulerAddon().update_settings(settings)
