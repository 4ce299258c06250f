"""Images hosted elsewhere: shown inline, or as links so a page requests no other host.

Readers in China often cannot reach foreign hosts, and a page that loads another host's
images tells that host who reads what. With `remote_images = "link"` (the default) an
image becomes a link to it, captioned by its alt text; `"embed"` shows it inline
(with no Referer sent, which Sina's image host requires).
"""
from __future__ import annotations

import re
from html import unescape

from markupsafe import escape

_IMG = re.compile(r"<img\b([^>]*)>")
_ATTR = re.compile(r'\b(src|alt)="([^"]*)"')


def link_remote_images(html: str) -> str:
    """Every <img> of sanitized HTML (attributes double-quoted by the sanitizer) becomes a link."""
    if "<img" not in html:
        return html
    return _IMG.sub(_as_link, html)


def _as_link(match: re.Match[str]) -> str:
    attrs = {k: unescape(v) for k, v in _ATTR.findall(match.group(1))}
    src = attrs.get("src", "")
    if not src:
        return ""
    label = attrs.get("alt", "").strip()
    text = f"图片：{label}" if label else "查看图片"
    return (f'<a class="remote-image" href="{escape(src)}" rel="noopener nofollow" '
            f'referrerpolicy="no-referrer">［{escape(text)}］</a>')
