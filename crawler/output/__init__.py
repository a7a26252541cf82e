"""Output files: where they go (OUTPUT_DIR/<site>/<date>/<crawl id>…), JSONL records and WARC archives."""
