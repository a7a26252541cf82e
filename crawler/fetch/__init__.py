"""Fetching: downloader and spider middlewares that guard, pace, limit, revalidate and decode requests."""
