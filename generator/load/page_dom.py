"""DOM and text helpers shared by the saved-page extractor's modules.

`html_page` parses and orchestrates, `page_meta` reads the metadata and `page_body`
finds the article; all three normalise text, read class/id words and remove elements
the same way, so those few helpers live here, below all of them.
"""

from __future__ import annotations

import re

from lxml import etree

__all__ = ["CONTROL_RE", "SENTENCE_END_RE", "class_tokens", "drop", "norm", "text_of"]

SENTENCE_END_RE = re.compile(r"[，。！？；]")
_SPACE_RE = re.compile(r"\s+")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TOKEN_SPLIT_RE = re.compile(r"[\s_\-]+")


def drop(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def norm(text: str | None) -> str:
    """Collapse whitespace (including full-width and nbsp) to single spaces."""
    if not text:
        return ""
    return _SPACE_RE.sub(" ", text.replace("\u3000", " ")).strip()


def text_of(el: etree._Element) -> str:
    """All text under ``el``, whitespace-normalised."""
    return norm("".join(el.itertext()))


def class_tokens(el: etree._Element) -> set[str]:
    """Lower-cased class and id words, split on space, dash and underscore."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if not raw.strip():
        return set()
    tokens = set(_TOKEN_SPLIT_RE.split(raw))
    tokens.update(raw.split())
    tokens.discard("")
    return tokens
