"""Raw text scrapes (.txt) of news pages: share chrome, breadcrumb, title, 来源 line, body."""
from __future__ import annotations

import html
import re
from datetime import tzinfo
from pathlib import PurePosixPath

from generator.dates import find_date
from generator.diagnostics import LoadError
from generator.model import RawDoc

_READING = re.compile(r"^\s*正在阅读\s*[:：]\s*(.+?)\s*$")
_SOURCE = re.compile(r"^\s*来源\s*[:：|]\s*(.+?)\s*$")
_BREADCRUMB = re.compile(r"^\s*(首页|当前位置|您的位置)?\s*\S*\s*[>＞»]")
_BYLINE = re.compile(r"[（(]\s*(?:文\s*/\s*)?记者\s*([^)）}]+?)\s*[)）}]\s*$")
_DATE_TAIL = re.compile(r"\s*\d{4}[-/年]\d{1,2}[-/月]\d{1,2}.*$")
_HEAD_LINES = 30


def load_text_scrape(text: str, source: PurePosixPath, tz: tzinfo, digest: str) -> RawDoc:
    """Find title, outlet, time and breadcrumb in the head of the scrape; the rest is body.

    Lines before the headline are page chrome (share buttons, breadcrumb) and are not
    part of the body; junk after the article (阅读剩余全文, 相关阅读 ...) is the cleaner's job.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = [(i, line.strip()) for i, line in enumerate(lines[:_HEAD_LINES]) if line.strip()]
    if not head:
        raise LoadError("file has no text")
    reading = next((m.group(1) for _, line in head if (m := _READING.match(line))), None)
    breadcrumb = next((line for _, line in head if _is_breadcrumb(line)), None)
    source_at = next((i for i, line in head if _SOURCE.match(line)), None)
    title, title_at = _choose_title(head, reading, source_at)
    if not title:
        raise LoadError("no headline found: expected a '正在阅读:' line or a headline before the '来源:' line", line=1)
    meta: dict[str, object] = {}
    published = None
    if source_at is not None:
        source_text = _SOURCE.match(lines[source_at].strip()).group(1)
        published = find_date(source_text, tz)
        outlet = _DATE_TAIL.sub("", source_text).strip(" -")
        if outlet:
            meta["outlet"] = outlet
    if breadcrumb:
        meta["breadcrumb"] = [part.strip() for part in re.split(r"[>＞»]", breadcrumb) if part.strip()]
    start = (source_at if source_at is not None else title_at) + 1
    body_lines = [line.strip() for line in lines[start:]]
    byline = next((m.group(1) for line in body_lines if (m := _BYLINE.search(line))), None)
    if byline:
        meta["author"] = byline
    body_html = "\n".join(f"<p>{html.escape(line, quote=False)}</p>" for line in body_lines if line)
    warnings = () if published else ("no publication time found in the '来源:' line; the article is listed last",)
    return RawDoc(
        source=source, kind="text", title=title, published=published, updated=None, meta=meta,
        body_html=body_html, body_line=start + 1, digest=digest, warnings=warnings,
    )


def _is_breadcrumb(line: str) -> bool:
    return bool(_BREADCRUMB.match(line)) and line.count(">") + line.count("＞") >= 2


def _choose_title(head: list[tuple[int, str]], reading: str | None, source_at: int | None) -> tuple[str, int]:
    """The headline line: the one before 来源, else the 正在阅读 value, else the first long line."""
    if source_at is not None:
        before = [(i, line) for i, line in head if i < source_at and not _is_breadcrumb(line) and not _READING.match(line)]
        if before:
            i, line = before[-1]
            if reading is None or _similar(line, reading):
                return line, i
    if reading:
        i = next(i for i, line in head if _READING.match(line))
        return reading, i
    for i, line in head:
        if 6 <= len(line) <= 80 and not _is_breadcrumb(line) and not line.endswith(("。", "！", "？")):
            return line, i
    return "", 0


def _similar(a: str, b: str) -> bool:
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return squash(a) == squash(b) or squash(b) in squash(a) or squash(a) in squash(b)
