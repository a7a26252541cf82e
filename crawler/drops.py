"""Why an article was dropped: one ``DropItem`` subclass per reason, so Scrapy's stats count each by name."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class UnreadablePage(DropItem):
    """The HTML could not be parsed at all."""


class NotAnArticle(DropItem):
    """The page is a section, tag, author, search or about page, or has no article signal and little text."""

    def __init__(self, message: str) -> None:
        super().__init__(message, log_level="DEBUG")


class NoBody(DropItem):
    """Extraction found no article text."""


class TooShort(DropItem):
    """The article text is shorter than ``VALIDATE_MIN_WORDS``."""


class DuplicateUrl(DropItem):
    """An article with the same canonical URL was already written in this crawl."""

    def __init__(self, message: str) -> None:
        super().__init__(message, log_level="DEBUG")


class UnchangedArticle(DropItem):
    """An earlier run sharing the crawl state already wrote this article with the same text."""

    def __init__(self, message: str) -> None:
        super().__init__(message, log_level="DEBUG")


class NearDuplicate(DropItem):
    """The text nearly equals an earlier article's (``NEAR_DUPLICATES = "drop"``)."""


class TooOld(DropItem):
    """The article's publication date is before the run's ``since`` cutoff."""

    def __init__(self, message: str) -> None:
        super().__init__(message, log_level="DEBUG")


class DuplicateContent(DropItem):
    """An article with the same normalised body was already written in this crawl."""


class ExtractionFailed(DropItem):
    """Extraction raised, crashed its worker process or ran past ``EXTRACT_TIMEOUT``."""


class OutputFailed(DropItem):
    """The output file could not be written (disk full, folder gone): the crawl stops, the page stays pending."""


class JavaScriptOnly(DropItem):
    """The page is an app shell: scripts render its text in the browser, so the crawler gets none."""


class MarkupTooDeep(DropItem):
    """The markup nests past the HTML parser's depth limit, and what was read before it is not an article."""
