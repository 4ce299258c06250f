"""Pull the article out of a saved HTML news page.

This module parses the page and runs the passes over it: `page_meta` reads the
metadata (title, time, outlet, URL, author, editor, breadcrumb) from meta tags first
and from the visible header around the headline second; `page_body` finds the article
with a paragraph-cluster score and prunes junk blocks inside it; when that finds no
body, `body_fallback` supplies the page's densest block of text.

The extractor is generic: no per-site rules beyond common class names.
It never raises; problems are reported in ``PageExtract.warnings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from generator.load.body_fallback import densest_block
from generator.load.page_body import (
    MIN_BODY_CHARS, NEGATIVE_TOKENS, find_content, measure, prune_content, serialize,
    visible_text_of_html,
)
from generator.load.page_dom import CONTROL_RE, class_tokens, drop
from generator.load.page_meta import (
    choose_author, choose_editor, choose_origin_url, choose_outlet, choose_published,
    choose_title, collect_json_ld, collect_meta, find_breadcrumb, read_context, title_tag_text,
)

__all__ = ["PageExtract", "extract_page"]


@dataclass(frozen=True, slots=True)
class PageExtract:
    """What the loader keeps from one saved page."""

    title: str | None
    published_raw: str | None
    outlet: str | None
    origin_url: str | None
    author: str | None
    breadcrumb: tuple[str, ...]
    body_html: str
    line_of_body: int | None
    warnings: tuple[str, ...]
    editor: str | None = None


# --------------------------------------------------------------------------- #
# Vocabulary
# --------------------------------------------------------------------------- #

# Elements that never hold article text; removed before anything else.
_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "frame", "frameset", "template", "object",
    "embed", "svg", "canvas", "input", "textarea", "select", "button", "link", "audio",
    "video", "source", "map", "dialog",
)
_STYLED_XPATH = etree.XPath("//body//*[@style or @hidden]")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def extract_page(html: str) -> PageExtract:
    """Extract headline, metadata and the article body from a saved HTML page.

    Never raises: on any failure an extract with an empty body and a warning
    is returned, so one broken file cannot stop a site build.
    """
    try:
        return _extract(html)
    except Exception as error:  # noqa: BLE001 - the contract is "never raise"
        return _empty_extract(f"extraction failed: {type(error).__name__}: {error}")


def _empty_extract(warning: str) -> PageExtract:
    return PageExtract(None, None, None, None, None, (), "", None, (warning,))


def _extract(html: str) -> PageExtract:
    root = _parse(html)
    if root is None:
        return _empty_extract("no HTML document could be parsed")
    warnings: list[str] = []
    meta = collect_meta(root)
    json_ld = collect_json_ld(root)
    title_tag = title_tag_text(root)
    origin_url = choose_origin_url(root, meta)

    _remove_non_content(root)
    body_root = root.find("body")
    if body_root is None:
        body_root = root

    stats = measure(body_root)
    title, headline_el = choose_title(stats, title_tag, meta, json_ld)
    if title is None:
        warnings.append("no title found")

    content = find_content(body_root, stats, headline_el)
    context = read_context(headline_el, content)
    breadcrumb = find_breadcrumb(body_root)
    body_html, line = "", None
    if content:
        content = prune_content(content, title)
    if content:
        body_html = serialize(content)
        line = content[0].sourceline
    if len(visible_text_of_html(body_html)) < MIN_BODY_CHARS and "<img" not in body_html:
        body_html, line = _fallback_body(html, title)
        if not body_html:
            warnings.append("no article body found")

    published = choose_published(meta, json_ld, context)
    if published is None:
        warnings.append("no publication time found")
    return PageExtract(
        title=title,
        published_raw=published,
        outlet=choose_outlet(meta, context),
        origin_url=origin_url,
        author=choose_author(meta, json_ld, context, title_tag),
        editor=choose_editor(context),
        breadcrumb=breadcrumb,
        body_html=body_html,
        line_of_body=line,
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- #
# Parsing and cleaning
# --------------------------------------------------------------------------- #


def _parse(html: str) -> etree._Element | None:
    """Parse with lxml's HTML parser from UTF-8 bytes.

    Bytes with an explicit encoding make lxml ignore stale ``<meta charset>``
    labels and XML declarations, and keep ``sourceline`` true to the input.
    """
    data = CONTROL_RE.sub("", html).encode("utf-8", errors="replace")  # lxml refuses them in text it is given
    if not data.strip():
        return None
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
        huge_tree=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root


def _remove_non_content(root: etree._Element) -> None:
    """Drop scripts, styles, embeds and hidden elements (keeping their tails)."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    hidden = [
        el for el in _STYLED_XPATH(root)
        if _HIDDEN_STYLE_RE.search(el.get("style") or "") or el.get("hidden") is not None
    ]
    for el in hidden:
        drop(el)


# --------------------------------------------------------------------------- #
# Fallback body
# --------------------------------------------------------------------------- #


def _fallback_body(html: str, title: str | None) -> tuple[str, int | None]:
    """The densest block of paragraph text (see body_fallback), when scoring found none:
    in a fresh parse, first among the visible elements, then with hidden ones too (an
    article a script reveals), and only then in a block whose class says chrome. Only page
    chrome is pruned from it: the cleaner's rules take credits and footers out of its
    paragraphs without losing the sentences."""
    for keep_hidden, allow_chrome in ((False, False), (True, False), (False, True)):
        root = _parse(html)
        if root is None:
            break
        if keep_hidden:
            etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
        else:
            _remove_non_content(root)
        body_root = root.find("body")
        body_root = root if body_root is None else body_root
        block = densest_block(body_root, measure(body_root), lambda el: bool(class_tokens(el) & NEGATIVE_TOKENS),
                              allow_chrome)
        content = prune_content([block], title, light=True) if block is not None else []
        body_html = serialize(content) if content else ""
        if len(visible_text_of_html(body_html)) >= MIN_BODY_CHARS:
            return body_html, content[0].sourceline
    return "", None
