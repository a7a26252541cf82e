"""newscrawl: Scrapy spiders discover news articles, our extraction reads them, pipelines write JSONL."""

__version__ = "0.1.0"
