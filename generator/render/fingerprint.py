"""Fingerprints of planned pages: what a page shows, hashed without rendering it.

A page whose fingerprint equals the one recorded by the last build has the same bytes,
so the writer reuses the published file instead of rendering it again. Article views
carry their own fingerprint (`_fp`, from the article's content digest, the article
cache key and its links), so a listing of twenty articles hashes twenty short strings,
not twenty bodies.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from generator.render.links import Links
from generator.render.reader import SiteReader


def view_fingerprint(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def context_fingerprint(template_key: str, template: str, context: dict[str, Any]) -> str:
    """The hash of one byte stream describing the context (see `_feed`). The pieces are
    gathered in a list and hashed once: one `update` per piece was half of the cost."""
    chunks = [f"{template_key}\0{template}\0".encode()]
    _feed(chunks.append, context)
    return hashlib.blake2b(b"".join(chunks), digest_size=16).hexdigest()


# Values written as their repr. Checked by exact type first (most of a context's leaves
# are these), then, for subclasses, in the order below.
_SCALARS = (str, int, float, bool, type(None), datetime, date)
_SCALAR_TYPES = frozenset(_SCALARS)


def _feed(put: Callable[[bytes], None], value: Any) -> None:
    kind = type(value)
    if kind in _SCALAR_TYPES:
        put(repr(value).encode("utf-8", "surrogatepass"))
    elif isinstance(value, dict):
        fp = value.get("_fp")
        if fp is not None:
            put(b"V" + fp.encode())
            return
        put(b"{")
        for key in sorted(value):
            put(str(key).encode() + b":")
            _feed(put, value[key])
        put(b"}")
    elif isinstance(value, (list, tuple)):
        put(b"[")
        for item in value:
            _feed(put, item)
        put(b"]")
    elif isinstance(value, SiteReader):
        put(b"R")  # what a page reads through it is recorded as its dependencies
    elif isinstance(value, Links):
        put(f"L{value.base}|{value.absolute_base}".encode())
    elif isinstance(value, _SCALARS) or hasattr(value, "__dataclass_fields__"):
        put(repr(value).encode("utf-8", "surrogatepass"))
    else:
        raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page context")


def files_key(folders: list[Path]) -> str:
    """A hash of every file (name and bytes) under the given folders: the templates in use."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
