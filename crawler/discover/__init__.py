"""Discovery: where a site lists its articles (robots.txt, sitemaps, feeds, links). Plain functions."""
