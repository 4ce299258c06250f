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
from pathlib import PurePosixPath
from typing import Any, Mapping
from urllib.parse import unquote

MAX_SLUG_CHARS = 80
_UNSAFE = re.compile(r"[^a-z0-9-]+")


def safe_slug(value: str) -> str:
    """`value` reduced to [a-z0-9-]; percent escapes are decoded first so `%2e%2e%2f` is `../`."""
    reduced = _UNSAFE.sub("-", unquote(value).lower()).strip("-")
    return reduced[:MAX_SLUG_CHARS].rstrip("-")


# A date the file name opens with (2024-09-28-..., 20240928_...): kept in front of a hashed slug.
_DATE_PREFIX = re.compile(r"^((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_SAFE_STEM = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# 10 hex digits (40 bits): ~0.5% odds of one clash among 100,000 articles, and a clash is
# still resolved (with a warning) by the index stage.
HASH_CHARS = 10


def default_slug(source: PurePosixPath | str) -> str:
    """The slug of an article that names none: from where its file lives, never from its content.

    `source` is the article's path as diagnostics show it (`content/2024/a.md`); its first
    part, the source folder's own name, is left out so that renaming or moving the whole
    folder moves nothing. A file name that is already a safe slug is used as it is
    (`guangdong-jobs.md` -> `guangdong-jobs`); any other name gets a short hash of its
    path relative to the source folder, after the date the name opens with, if any
    (`2024-09-28 就业.md` -> `20240928-3f2a…`). Editing the title, date or body of an
    article therefore never moves its page or changes its feed id.
    """
    parts = PurePosixPath(source).parts
    relative = "/".join(parts[1:]) if len(parts) > 1 else "/".join(parts)
    stem = PurePosixPath(parts[-1] if parts else "").stem.lower()  # URLs are case-folded anyway
    if _SAFE_STEM.match(stem) and len(stem) <= MAX_SLUG_CHARS:
        return stem
    digest = hashlib.sha1(relative.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    date = _DATE_PREFIX.match(stem)
    return f"{''.join(date.groups())}-{digest}" if date else digest


def article_slug(meta: Mapping[str, Any], source: PurePosixPath) -> tuple[str, str | None]:
    """The slug an article is published under, and a warning when the requested one was changed.

    Lower-casing alone is not worth a warning (URLs are case-folded anyway); any other
    change is, because the article's URL is not the one its author asked for.
    """
    value = meta.get("slug")
    if isinstance(value, (list, dict)):
        slug = default_slug(source)
        return slug, f"slug must be text, not a {'list' if isinstance(value, list) else 'mapping'}; the article is published as {slug!r}"
    text = "" if value is None else " ".join(str(value).split())
    if not text:  # none given (or only blanks): the default, and nothing to warn about
        return default_slug(source), None
    slug = safe_slug(text)
    if slug == text.lower():
        return slug, None
    slug = slug or default_slug(source)
    return slug, f"slug {text!r} is not a safe URL segment (a-z, 0-9 and '-'); the article is published as {slug!r}"


def requested_slug(meta: Mapping[str, Any]) -> str:
    """A front-matter slug reduced to safe ASCII ("" when none is given or nothing is left)."""
    value = meta.get("slug")
    return "" if value is None or isinstance(value, (list, dict)) else safe_slug(" ".join(str(value).split()))


# A segment of an old URL kept as an alias: letters (any script), digits and ._~- ; never . or ..
_ALIAS_SEGMENT = re.compile(r"^[\w.~-]+$")
_PAGE_SUFFIXES = (".html", ".htm")


def article_aliases(value: object) -> tuple[tuple[str, ...], list[str]]:
    """`aliases:` (one old path or a list, as in Hugo) as site-relative output paths, and a
    warning for each entry that cannot be a path inside the site.

    `/articles/old-name/`, `articles/old-name` and `https://example.org/articles/old-name/`
    all mean the folder `articles/old-name/`; `/2019/old.html` is that file. The site's
    base path is not part of an alias (it is added when the page is written).
    """
    if value is None or value == "":
        return (), []
    if isinstance(value, dict):
        return (), ["aliases must be a list of old paths such as /articles/old-name/, not a mapping; ignored"]
    items = value if isinstance(value, (list, tuple)) else [value]
    found: list[str] = []
    problems: list[str] = []
    for item in items:
        if isinstance(item, (list, dict)) or item is None:
            problems.append(f"alias {item!r} is not a path; ignored")
            continue
        alias = _alias_path(" ".join(str(item).split()))
        if alias is None:
            problems.append(f"alias {str(item)!r} is not a path inside the site "
                            f"(letters, digits and ._~- between slashes); ignored")
        elif alias not in found:
            found.append(alias)
    return tuple(found), problems


def _alias_path(text: str) -> str | None:
    from urllib.parse import urlsplit

    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        text = urlsplit(text).path
    text = unquote(text.split("#", 1)[0].split("?", 1)[0])
    folder = text.endswith("/") or not text.lower().endswith(_PAGE_SUFFIXES)
    segments = [part for part in text.split("/") if part]
    if not segments or any(part in (".", "..") or not _ALIAS_SEGMENT.match(part) for part in segments):
        return None
    path = "/".join(segments)
    return path + "/" if folder else path
