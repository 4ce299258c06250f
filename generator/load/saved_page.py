"""Saved HTML pages of news sites (no front matter): headline, time, outlet and body."""
from __future__ import annotations

from datetime import tzinfo
from pathlib import PurePosixPath

from generator.dates import DateError, find_date, parse_date
from generator.diagnostics import LoadError
from generator.load.html_page import extract_page
from generator.model import RawDoc


def load_saved_page(text: str, source: PurePosixPath, tz: tzinfo, digest: str) -> RawDoc:
    page = extract_page(text)
    if not page.title:
        raise LoadError("no headline found in the saved page (no <h1>, og:title or <title>)")
    if not page.body_html.strip():
        raise LoadError("no article body found in the saved page")
    published = _published(page.published_raw, tz)
    meta: dict[str, object] = {}
    for key in ("outlet", "origin_url", "author", "editor"):
        value = getattr(page, key)
        if value:
            meta[key] = value
    if page.breadcrumb:
        meta["breadcrumb"] = list(page.breadcrumb)
    warnings = tuple(page.warnings)
    if published is None:
        warnings += ("no publication time found on the page; the article is listed last",)
    return RawDoc(
        source=source, kind="page", title=page.title, published=published, updated=None, meta=meta,
        body_html=page.body_html, body_line=page.line_of_body or 1, digest=digest, warnings=warnings,
    )


def _published(raw: str | None, tz: tzinfo):
    if not raw:
        return None
    try:
        return parse_date(raw, tz)
    except DateError:
        return find_date(raw, tz)
