"""Article bodies kept on disk instead of in memory, for a one-shot build.

A whole build holds every article until its site is written, and an article's packed body
(body, text and removals, zlib-compressed: generator.model.pack_body) is a third of it:
~1.75 KB of 5.4 KB, 175 MB at 100,000 articles. Only the article's own page, the feeds
carrying it and a story's choice of lead read it, each once or a few times. And a forked
render worker that reads a body held in memory copies the page of memory it sits on (the
read writes the object's reference count), so the bodies of the articles it renders were
held twice.

`BodySpill.keep(article)` appends the packed body to a scratch file (generator.write.
ScratchFile: unlinked, read by position, so forked workers read it through the inherited
descriptor) and returns the article with a `SpilledBody` in its place: a position and a
size, ~100 bytes. The file lives as long as any article refers to it. A spilled body
pickles as its bytes (the article cache on disk, the fork pool), so what leaves the process
is what it was before.

Only a build that ends with the process (`digest build`) spills: the preview keeps its
articles across rebuilds, and its bodies stay in memory.
"""
from __future__ import annotations

import dataclasses

from generator.model import Article
from generator.write import ScratchFile

__all__ = ["BodySpill", "SpilledBody"]


class SpilledBody:
    """A packed body in a scratch file: `bytes(body)` reads it back. Compares and hashes as
    its bytes, so an article is equal to the same article with its body in memory."""

    __slots__ = ("_file", "_offset", "_size")

    def __init__(self, file: ScratchFile, offset: int, size: int) -> None:
        self._file, self._offset, self._size = file, offset, size

    def __bytes__(self) -> bytes:
        return self._file.read(self._offset, self._size)

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
    """Where a one-shot build's article bodies go: one scratch file in `folder` (None: the
    system's temporary folder)."""

    def __init__(self, folder: str | None = None) -> None:
        self._file = ScratchFile(folder)
        self.failed: OSError | None = None  # the first write that failed: later bodies stay in memory

    def keep(self, article: Article) -> Article:
        """`article` with its packed body in the file; the article itself when its body is
        already spilled or cannot be written (a full disk costs memory, never the build)."""
        packed = article.packed_body
        if type(packed) is not bytes or self.failed is not None:
            return article
        try:
            offset = self._file.append(packed)
        except OSError as exc:
            self.failed = exc
            return article
        return dataclasses.replace(article, packed_body=SpilledBody(self._file, offset, len(packed)))  # type: ignore[arg-type]
