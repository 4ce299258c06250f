"""The in-place writer: the preview's update of a few files of the published site."""
from __future__ import annotations

import os
import secrets
from pathlib import Path, PurePosixPath

from generator.write.base import OutputLock, WriteError, _Writer, _checked


class InPlaceWriter(_Writer):
    """Updates the published site file by file: the preview server's rebuild after one edit.

    Rebuilding the staging folder costs time in proportion to the whole site (every
    folder and link made again); an edit changes a handful of files. Each new file is
    written to a temporary name beside its target (`reserve`), and `commit()` renames them
    all over the old files, then deletes what is no longer planned: a reader sees the old
    page or the new one, never half of one, and the switch takes milliseconds. A kill in
    between leaves a mix of old and new pages; the caller drops the saved manifest first,
    so the next build after an interrupted update rebuilds everything.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self._pending: dict[PurePosixPath, Path] = {}  # target -> temporary file
        self._removed: list[PurePosixPath] = []
        self._put: set[str] = set()
        if not self.output.is_dir():
            raise WriteError(f"cannot update {self.output}: it is not a folder")
        self._lock = OutputLock(self.output)

    def _reserve(self, rel: str) -> Path:
        """A temporary path for `rel`, renamed over the published file by `commit()`."""
        path = _checked(rel)
        if path in self._pending:
            raise WriteError(f"two outputs want the same path: {rel}")
        target = self.output.joinpath(*path.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(f"cannot write {rel}: {exc.strerror or exc}") from None
        temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.digest-tmp"
        self._pending[path] = temporary
        return temporary

    def claim(self, rel: str) -> None:
        """Check and claim `rel` now (before forking render workers, whose `put` then only writes)."""
        self._reserve(rel)

    def put(self, rel: str, data: bytes) -> None:
        """`data` as the new `rel`, in place at `commit()`."""
        temporary = self._pending.get(PurePosixPath(self._first_put(rel))) or self._reserve(rel)
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise WriteError(f"cannot write {rel}: {exc.strerror or exc}") from None

    def keep(self, rel: str) -> bool:
        """The published `rel` stays as it is; False when there is none to keep."""
        return (self.output / rel).is_file()

    def keep_folder(self, rel: str) -> None:
        """The published folder `rel` stays as it is."""

    def lend_folder(self, rel: str) -> tuple[Path, Path]:
        raise WriteError(f"cannot let a tool write {rel} into the published site in place")

    def remove(self, rel: str) -> None:
        """Delete a published file that is no longer planned (at `commit()`), and the folders it leaves empty."""
        self._removed.append(_checked(rel))

    def commit(self) -> None:
        for path, temporary in sorted(self._pending.items()):
            try:
                os.replace(temporary, self.output.joinpath(*path.parts))
            except OSError as exc:
                self.abort()
                raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
        self._pending.clear()
        for path in self._removed:
            target = self.output.joinpath(*path.parts)
            try:
                target.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise WriteError(f"cannot remove {path}: {exc.strerror or exc}") from None
            folder = target.parent
            while folder != self.output:
                try:
                    folder.rmdir()
                except OSError:
                    break
                folder = folder.parent
        self._removed.clear()
        self._lock.release()

    def abort(self) -> None:
        """Throw away what was written and not yet committed."""
        for temporary in self._pending.values():
            try:
                temporary.unlink()
            except OSError:
                pass
        self._pending.clear()
        self._lock.release()
