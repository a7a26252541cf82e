"""Paywalls: whether the page says its article is free to read, and whether the body is only a teaser."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.extract.context import PageContext


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return None


def accessible_for_free(page: PageContext) -> bool | None:
    """JSON-LD ``isAccessibleForFree`` of the main article (or of the page), None when not stated."""
    flag = _flag(page.main.get("isAccessibleForFree"))
    if flag is not None:
        return flag
    return next(
        (f for f in (_flag(obj.get("isAccessibleForFree")) for obj in page.jsonld) if f is not None), None
    )
