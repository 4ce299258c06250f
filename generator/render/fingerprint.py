"""Fingerprints: of an article view (what it shows, hashed without rendering it) and of the
template files in use.

Article views carry their own fingerprint (`_fp`, from the article's content digest, the
article cache key and its links): remembered fragments (generator.render.fragments), feeds
and sitemaps compare short strings instead of bodies.
"""
from __future__ import annotations

import hashlib
from pathlib import Path


def view_fingerprint(*parts: object) -> str:
    """A short hash of the parts' repr: what a view shows, as one comparable string."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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
