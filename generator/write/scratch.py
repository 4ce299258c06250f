"""A scratch file: bytes a build appends and reads back by position, on disk instead of in
memory (generator.build.spill keeps article bodies in one)."""
from __future__ import annotations

import os
import tempfile
from typing import IO

__all__ = ["ScratchFile"]


class ScratchFile:
    """An unlinked temporary file, created on the first `append`: nothing is left behind
    however the process ends, and it is gone once no object refers to it.

    Writes are unbuffered, so what `append` wrote is in the file for any process, including
    a copy forked afterwards; `read` uses `os.pread` (no shared file position), so such copies
    read through the inherited descriptor at the same time."""

    def __init__(self, folder: str | None = None) -> None:
        self._folder = folder  # None: the system's temporary folder
        self._file: IO[bytes] | None = None
        self._end = 0

    def append(self, data: bytes) -> int:
        """Write `data` at the end; its position. An OSError when it is not all written (a
        full disk writes short before it fails); the file is then not to be appended to again."""
        if self._file is None:
            if self._folder is not None:
                os.makedirs(self._folder, exist_ok=True)
            self._file = tempfile.TemporaryFile(dir=self._folder, buffering=0)
        written = self._file.write(data)
        if written != len(data):
            raise OSError(f"wrote {written} of {len(data)} bytes")
        offset, self._end = self._end, self._end + len(data)
        return offset

    def read(self, offset: int, size: int) -> bytes:
        if self._file is None:
            raise OSError("nothing was written to this scratch file")
        data = os.pread(self._file.fileno(), size, offset)
        if len(data) != size:
            raise OSError(f"the scratch file lost {size - len(data)} bytes at {offset}")
        return data
