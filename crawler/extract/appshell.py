"""Is a page a JavaScript app shell, whose text scripts render in the browser and a crawler never sees?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from lxml.html import HtmlElement

SHELL_MAX_WORDS = 20  # a page with at least this many words of article text is read, whatever its scripts
SCRIPTS_XPATH = etree.XPath("//script[@src or normalize-space()][not(contains(@type, 'json'))]")
# The empty elements React, Next.js, Nuxt, Gatsby, Vue and Angular apps render into.
MOUNT_POINTS_XPATH = etree.XPath(
    "//body//*[@id='root' or @id='app' or @id='__next' or @id='__nuxt' or @id='___gatsby'"
    " or @data-reactroot or local-name()='app-root']"
)
NOSCRIPT_JS_XPATH = etree.XPath("//noscript[contains(translate(., 'JAVSCRIPT', 'javscript'), 'javascript')]")
VISIBLE_TEXT_XPATH = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)


def is_javascript_only(tree: HtmlElement, body_words: int) -> bool:
    """Whether a page with ``body_words`` words of article text is an app shell.

    It is when it runs scripts, has under ``SHELL_MAX_WORDS`` words of article text, and has an empty
    mount point (``<div id="root">``), a ``<noscript>`` asking for JavaScript, or no visible text at all.
    """
    if body_words >= SHELL_MAX_WORDS or not SCRIPTS_XPATH(tree):
        return False
    empty_mount = any(not element.text_content().strip() for element in MOUNT_POINTS_XPATH(tree))
    visible = "".join(VISIBLE_TEXT_XPATH(tree)).strip()
    return empty_mount or bool(NOSCRIPT_JS_XPATH(tree)) or not visible
