"""Load stage: files under the source folder -> RawDoc, or a diagnostic per bad file."""
from __future__ import annotations

import hashlib
from datetime import tzinfo
from pathlib import Path, PurePosixPath

from generator.diagnostics import Diagnostic, LoadError, error
from generator.load.encoding import decode_bytes
from generator.load.frontmatter_article import load_frontmatter_article, starts_with_front_matter
from generator.load.saved_page import load_saved_page
from generator.load.text_scrape import load_text_scrape
from generator.model import RawDoc

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt"})
MAX_BYTES = 20 * 1024 * 1024


def discover(source: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Article files under `source`, sorted; hidden files and links leading outside are refused."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    root = source.resolve()
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part.startswith((".", "_")) for part in rel.parts) or path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            problems.append(error(path, "symbolic link points outside the source folder; skipped"))
            continue
        if path.is_file():
            found.append(path)
    return found, problems


def load_path(path: Path, display: PurePosixPath, tz: tzinfo) -> RawDoc:
    """Read one file and hand it to the loader for its kind; raises LoadError for bad input."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    return load_bytes(data, display, tz)


def load_bytes(data: bytes, display: PurePosixPath, tz: tzinfo) -> RawDoc:
    """Dispatch on suffix (and, for .html, on whether a front-matter block opens the file)."""
    if not data.strip():
        raise LoadError("file is empty")
    if len(data) > MAX_BYTES:
        raise LoadError(f"file is {len(data) // (1024 * 1024)} MB, above the {MAX_BYTES // (1024 * 1024)} MB limit")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("binary file (NUL bytes), not an article")
    digest = hashlib.sha256(data).hexdigest()
    decoded = decode_bytes(data)
    warnings = (decoded.warning,) if decoded.warning else ()
    text = decoded.text
    suffix = display.suffix.lower()
    if suffix in {".md", ".markdown"} or starts_with_front_matter(text):
        doc = load_frontmatter_article(text, display, tz, digest)
    elif suffix == ".txt":
        doc = load_text_scrape(text, display, tz, digest)
    else:
        doc = load_saved_page(text, display, tz, digest)
    return doc if not warnings else _with_warnings(doc, warnings)


def _with_warnings(doc: RawDoc, warnings: tuple[str, ...]) -> RawDoc:
    from dataclasses import replace

    return replace(doc, warnings=warnings + doc.warnings)
