"""The run: its options, sites, ledger of the crawl state and frontier; the add-on, extensions and workers of
a crawl."""
