"""The only module that touches the output folder: a staged, all-or-nothing writer."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class WriteError(Exception):
    """The site could not be written; the previous output is left as it was."""


class StagedWriter:
    """Collects files in a staging folder beside `output`; `commit()` swaps it in.

    A failed or killed build leaves only a stale staging folder behind (removed by
    the next build); `output/` keeps the last good site until the swap, which is two
    renames on the same file system.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self._sweep_stale()
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
        self._written: set[PurePosixPath] = set()

    def _sweep_stale(self) -> None:
        for stale in self.output.parent.glob(f".{self.output.name}.staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        for stale in self.output.parent.glob(f".{self.output.name}.old-*"):
            shutil.rmtree(stale, ignore_errors=True)

    def _target(self, rel: str) -> Path:
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts or not path.parts or "\x00" in rel:
            raise WriteError(f"refusing to write outside the output folder: {rel!r}")
        if path in self._written:
            raise WriteError(f"two outputs want the same path: {rel}")
        self._written.add(path)
        target = self.staging.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        try:
            self._target(rel).write_bytes(data)
        except OSError as exc:
            raise WriteError(f"cannot write {rel}: {exc.strerror or exc}") from None

    def copy_file(self, rel: str, source: Path) -> None:
        try:
            shutil.copyfile(source, self._target(rel))
        except OSError as exc:
            raise WriteError(f"cannot copy {source} to {rel}: {exc.strerror or exc}") from None

    @property
    def written(self) -> frozenset[PurePosixPath]:
        return frozenset(self._written)

    def commit(self) -> None:
        """Swap the staged site in: the old output is moved aside, then removed."""
        old = None
        try:
            self._carry_over_hidden_entries()
            if self.output.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.old-", dir=self.output.parent))
                os.rmdir(old)
                os.rename(self.output, old)
            os.rename(self.staging, self.output)
        except OSError as exc:
            if old is not None and old.exists() and not self.output.exists():
                os.rename(old, self.output)
            raise WriteError(f"cannot replace {self.output}: {exc.strerror or exc}") from None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _carry_over_hidden_entries(self) -> None:
        """Top-level hidden entries of the old output (.git for deployment, .gitkeep) survive builds."""
        if not self.output.is_dir():
            return
        for entry in self.output.iterdir():
            if entry.name.startswith(".") and not (self.staging / entry.name).exists():
                os.rename(entry, self.staging / entry.name)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
