"""Article bodies kept in a temporary file instead of memory, for a one-shot build.

A whole build holds every article until its site is written, and an article's packed body
(body, text and removals, zlib-compressed: generator.model.pack_body) is a third of it:
~1.75 KB of 5.4 KB, 175 MB at 100,000 articles. Only the article's own page, the feeds
carrying it and a story's choice of lead read it, each once or a few times. And a forked
render worker that reads a body held in memory copies the page of memory it sits on (the
read writes the object's reference count), so the bodies of the articles it renders are
held twice.

`BodySpill.keep(article)` writes the packed body to an unlinked temporary file and returns
the article with a `SpilledBody` in its place: a file position and a size, read back with
`os.pread` (no shared file position, so forked workers read through the same descriptor,
and nothing lands in any process's heap for longer than the read). The file lives as long
as any article refers to it. A spilled body pickles as its bytes (the article cache on disk,
the fork pool), so what leaves the process is the same as before.

Only a build that ends with the process (`digest build`) spills: the preview keeps its
articles across rebuilds, and its bodies stay in memory.
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
from typing import IO

from generator.model import Article

__all__ = ["BodySpill", "SpilledBody"]


class SpilledBody:
    """A packed body in a `BodySpill` file: `bytes(body)` reads it back. Compares and hashes
    as its bytes, so an article is equal to the same article with its body in memory."""

    __slots__ = ("_spill", "_offset", "_size")

    def __init__(self, spill: "BodySpill", offset: int, size: int) -> None:
        self._spill, self._offset, self._size = spill, offset, size

    def __bytes__(self) -> bytes:
        return self._spill.read(self._offset, self._size)

    def __len__(self) -> int:
        return self._size

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpilledBody):
            return bytes(self) == bytes(other)
        if isinstance(other, (bytes, bytearray)):
            return bytes(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(bytes(self))

    def __reduce__(self) -> tuple:
        return bytes, (bytes(self),)

    def __repr__(self) -> str:
        return f"SpilledBody({self._size} bytes at {self._offset})"


class BodySpill:
    """An unlinked temporary file that packed bodies are appended to, unbuffered: a body is
    in the file (for any process to read) once `keep` has returned."""

    def __init__(self, folder: str | None = None) -> None:
        self._file: IO[bytes] | None = None
        self._folder = folder
        self._end = 0  # bytes written so far
        self.failed: OSError | None = None  # the first write that failed: later articles stay in memory

    def keep(self, article: Article) -> Article:
        """`article` with its packed body in the file; the article itself when its body is
        already spilled or cannot be written (a full disk costs memory, never the build)."""
        packed = article.packed_body
        if not isinstance(packed, bytes) or self.failed is not None:
            return article
        try:
            if self._file is None:
                if self._folder is not None:
                    os.makedirs(self._folder, exist_ok=True)
                self._file = tempfile.TemporaryFile(dir=self._folder, buffering=0)
            written = self._file.write(packed)
            if written != len(packed):  # a full disk writes short before it fails
                raise OSError(f"wrote {written} of {len(packed)} bytes")
        except OSError as exc:
            self.failed = exc
            return article
        offset, self._end = self._end, self._end + len(packed)
        return dataclasses.replace(article, packed_body=SpilledBody(self, offset, len(packed)))  # type: ignore[arg-type]

    def read(self, offset: int, size: int) -> bytes:
        assert self._file is not None
        data = os.pread(self._file.fileno(), size, offset)
        if len(data) != size:
            raise OSError(f"the body spill file lost {size - len(data)} bytes at {offset}")
        return data
