"""What both fetch and extract read of a page: meta tags, JSON-LD, page-type signals, word counts. Plain
functions, no Scrapy."""
