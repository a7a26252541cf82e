"""The bundled demo: a static news site (``site/``) served on loopback, and the sites file that names it."""

from __future__ import annotations

from pathlib import Path

DEMO_SITES_FILE = Path(__file__).parent / "sites.toml"
