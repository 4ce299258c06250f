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
from typing import Any

from generator.render.links import Links
from generator.render.reader import SiteReader


def view_fingerprint(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def context_fingerprint(template_key: str, template: str, context: dict[str, Any]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{template_key}\0{template}\0".encode())
    _feed(digest, context)
    return digest.hexdigest()


def _feed(digest, value: Any) -> None:
    if isinstance(value, dict):
        fp = value.get("_fp")
        if fp is not None:
            digest.update(b"V" + fp.encode())
            return
        digest.update(b"{")
        for key in sorted(value):
            digest.update(str(key).encode() + b":")
            _feed(digest, value[key])
        digest.update(b"}")
    elif isinstance(value, (list, tuple)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif isinstance(value, SiteReader):
        digest.update(b"R")  # what a page reads through it is recorded as its dependencies
    elif isinstance(value, Links):
        digest.update(f"L{value.base}|{value.absolute_base}".encode())
    elif isinstance(value, (str, int, float, bool, type(None), datetime, date)):
        digest.update(repr(value).encode("utf-8", "surrogatepass"))
    elif hasattr(value, "__dataclass_fields__"):
        digest.update(repr(value).encode("utf-8", "surrogatepass"))
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
