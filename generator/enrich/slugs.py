"""Article slugs: the one URL segment each article gets under /articles/.

A slug becomes a folder name in output/, so it must be a single safe path segment:
ASCII lowercase letters, digits and '-', at most 80 characters. A front-matter slug
that is not (traversal like `../../etc/passwd`, `/abs`, `..\\`, percent-encoded
`%2e%2e%2f`, NUL, Chinese, dots) is reduced to one with a warning naming what was
published; when nothing usable is left the article gets its default slug.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any, Mapping
from urllib.parse import unquote

MAX_SLUG_CHARS = 80
_UNSAFE = re.compile(r"[^a-z0-9-]+")


def safe_slug(value: str) -> str:
    """`value` reduced to [a-z0-9-]; percent escapes are decoded first so `%2e%2e%2f` is `../`."""
    reduced = _UNSAFE.sub("-", unquote(value).lower()).strip("-")
    return reduced[:MAX_SLUG_CHARS].rstrip("-")


def default_slug(title: str, published: datetime | None) -> str:
    """A short stable id from date and title: the same article always gets the same URL."""
    day = published.strftime("%Y%m%d") if published else "undated"
    return f"{day}-{hashlib.sha1(title.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def article_slug(meta: Mapping[str, Any], title: str, published: datetime | None) -> tuple[str, str | None]:
    """The slug an article is published under, and a warning when the requested one was changed.

    Lower-casing alone is not worth a warning (URLs are case-folded anyway); any other
    change is, because the article's URL is not the one its author asked for.
    """
    value = meta.get("slug")
    if isinstance(value, (list, dict)):
        slug = default_slug(title, published)
        return slug, f"slug must be text, not a {'list' if isinstance(value, list) else 'mapping'}; the article is published as {slug!r}"
    text = "" if value is None else " ".join(str(value).split())
    if not text:  # none given (or only blanks): the default, and nothing to warn about
        return default_slug(title, published), None
    slug = safe_slug(text)
    if slug == text.lower():
        return slug, None
    slug = slug or default_slug(title, published)
    return slug, f"slug {text!r} is not a safe URL segment (a-z, 0-9 and '-'); the article is published as {slug!r}"


def requested_slug(meta: Mapping[str, Any]) -> str:
    """A front-matter slug reduced to safe ASCII ("" when none is given or nothing is left)."""
    value = meta.get("slug")
    return "" if value is None or isinstance(value, (list, dict)) else safe_slug(" ".join(str(value).split()))
