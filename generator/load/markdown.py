"""Article bodies to HTML: Markdown via markdown-it-py, HTML bodies kept whole."""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

_LEADING_BLOCK_TAG = re.compile(r"\A\s*<(div|p|section|article|table|figure|h[1-6]|ul|ol|blockquote|span|img|!--)\b", re.I)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table")


def is_html_body(body: str, suffix: str) -> bool:
    """An HTML body (a Sina repost, or any .html file) is HTML through and through.

    CommonMark ends a raw HTML block at the first blank line, which turns the rest of a
    Sina body (its indented QR `<style>` block) into a code block; Hugo and Hexo fall
    into that. A body that opens with a block-level tag is therefore taken as HTML whole.
    """
    return suffix in {".html", ".htm"} or bool(_LEADING_BLOCK_TAG.match(body))


def body_to_html(body: str, suffix: str) -> str:
    if is_html_body(body, suffix):
        return body
    return _markdown().render(body)
