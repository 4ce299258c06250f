"""Load stage: files under the source folder -> RawDoc, or a diagnostic per bad file."""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

from generator.diagnostics import LoadError
from generator.load.encoding import decode_bytes
from generator.load.frontmatter_article import load_frontmatter_article, starts_with_front_matter
from generator.load.saved_page import load_saved_page
from generator.load.text_scrape import load_text_scrape
from generator.model import RawDoc

MAX_BYTES = 20 * 1024 * 1024

# C0 controls other than tab/newline/return, DEL, C1 controls, lone surrogates and the two
# noncharacters XML forbids: YAML refuses them, XML pages cannot carry them, and UTF-8 cannot
# even encode a lone surrogate (a YAML "\ud800" escape would crash the writer).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def load_path(path: Path, display: PurePosixPath, tz: tzinfo) -> RawDoc:
    """Read one file and hand it to the loader for its kind; raises LoadError for bad input."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refused before reading: a huge file never reaches memory
            raise LoadError(_too_big(size))
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    return load_bytes(data, display, tz)


def _looks_like_utf16(head: bytes) -> bool:
    """BOM-less UTF-16: the bytes decode as UTF-16 into text without control characters.

    Binary formats (images, archives) almost always decode to control characters too.
    """
    head = head[:len(head) // 2 * 2]
    if head.count(0) < 8:  # text with any ASCII in it (front matter, markup) has many
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _FORBIDDEN.search(text):
            return True
    return False


def _too_big(size: int) -> str:
    return f"file is {size // (1024 * 1024)} MB, above the {MAX_BYTES // (1024 * 1024)} MB limit"


def load_bytes(data: bytes, display: PurePosixPath, tz: tzinfo) -> RawDoc:
    """Dispatch on suffix (and, for .html, on whether a front-matter block opens the file)."""
    if not data.strip():
        raise LoadError("file is empty")
    if len(data) > MAX_BYTES:
        raise LoadError(_too_big(len(data)))
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _looks_like_utf16(data[:8192]):
            raise LoadError("UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)")
        raise LoadError("binary file (NUL bytes), not an article")
    digest = hashlib.sha256(data).hexdigest()
    decoded = decode_bytes(data)
    warnings = (decoded.warning,) if decoded.warning else ()
    text, removed = _scrub_text(decoded.text)
    suffix = display.suffix.lower()
    if suffix in {".md", ".markdown"} or starts_with_front_matter(text):
        doc = load_frontmatter_article(text, display, tz, digest)
    elif suffix == ".txt":
        doc = load_text_scrape(text, display, tz, digest)
    else:
        doc = load_saved_page(text, display, tz, digest)
    doc, removed_later = _scrub_doc(doc)
    removed += removed_later
    if removed:
        warnings += (_removed_warning(removed),)
    return doc if not warnings else replace(doc, warnings=warnings + doc.warnings)


def _scrub_text(text: str) -> tuple[str, list[str]]:
    """Text without forbidden characters, and the characters taken out."""
    removed = _FORBIDDEN.findall(text)
    return (_FORBIDDEN.sub("", text), removed) if removed else (text, [])


def _scrub_doc(doc: RawDoc) -> tuple[RawDoc, list[str]]:
    """Forbidden characters that a loader produced itself (YAML "\\x07" / "\\ud800" escapes)."""
    removed: list[str] = []

    def clean(value: Any, seen: dict[int, Any]) -> Any:
        if isinstance(value, str):
            text, gone = _scrub_text(value)
            removed.extend(gone)
            return text
        if isinstance(value, (list, dict)):
            if id(value) in seen:  # YAML aliases share objects: walk each one once
                return seen[id(value)]
            if isinstance(value, list):
                seen[id(value)] = out = []
                out.extend(clean(v, seen) for v in value)
            else:
                seen[id(value)] = out = {}
                out.update((clean(k, seen), clean(v, seen)) for k, v in value.items())
            return out
        return value

    memo: dict[int, Any] = {}
    title, meta, body = clean(doc.title, memo), clean(dict(doc.meta), memo), clean(doc.body_html, memo)
    if not removed:
        return doc, []
    title = " ".join(title.split())
    if not title:
        raise LoadError("missing title: the title has nothing but control characters")
    return replace(doc, title=title, meta=meta, body_html=body), removed


def _removed_warning(removed: list[str]) -> str:
    """One warning per file, naming the distinct code points (the title and its meta copy count once)."""
    codes = sorted({f"U+{ord(c):04X}" for c in removed})
    shown = ", ".join(codes[:5]) + (", ..." if len(codes) > 5 else "")
    return f"removed control characters or lone surrogates: {shown}"
