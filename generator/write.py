"""The only module that touches the output folder: a staged, all-or-nothing writer."""
from __future__ import annotations

import ctypes
import errno
import os
import pickle
import secrets
import shutil
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Sequence

try:
    import fcntl
except ImportError:  # not on Windows: builds there are not serialized
    fcntl = None  # type: ignore[assignment]


class WriteError(Exception):
    """The site could not be written; the previous output is left as it was."""


class OutputLock:
    """One writer per output folder at a time, across processes (`digest build` while
    `digest serve` runs would otherwise sweep away each other's staging folder).

    An exclusive `flock` on the folder that holds the output (no lock file is left behind),
    held from a writer's start to its commit or abort; the kernel drops it when a process
    dies, so a killed build never blocks the next. Where the folder cannot be locked, the
    writer goes on without it.
    """

    def __init__(self, output: Path) -> None:
        self._fd: int | None = None
        if fcntl is None:
            return
        try:
            fd = os.open(output.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the other writer
        except OSError:
            os.close(fd)
            return
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the only descriptor drops the lock


class _Writer:
    """What both writers share: `put` writes a path once, `put_text`, and `put_unless_same`,
    which leaves a published file alone when it already holds the bytes (`keep`)."""

    output: Path
    _put: set[PurePosixPath]

    def _first_put(self, rel: str) -> PurePosixPath:
        path = _checked(rel)
        if path in self._put:
            raise WriteError(f"two outputs want the same path: {rel}")
        self._put.add(path)
        return path

    def put(self, rel: str, data: bytes) -> None:
        raise NotImplementedError

    def keep(self, rel: str) -> bool:
        raise NotImplementedError

    def put_text(self, rel: str, text: str) -> None:
        self.put(rel, text.encode("utf-8"))

    def put_unless_same(self, rel: str, data: bytes) -> bool:
        """`put`, unless the published file holds exactly `data` and is kept (deploy tools that
        sync by mtime then skip it); whether anything was written."""
        if holds(self.output / rel, data) and self.keep(rel):
            return False
        self.put(rel, data)
        return True


class StagedWriter(_Writer):
    """Collects files in a staging folder beside `output`; `commit()` swaps it in.

    `output/` holds the last good site at every instant, even under `kill -9`:

    - pages are written into `.output.staging-*` beside it, never into it;
    - top-level hidden entries of the old output (`.git` for deployment, `.gitkeep`)
      are hard-linked into the staging folder, so the old output is not touched;
    - the swap is one atomic `renameat2(RENAME_EXCHANGE)` on Linux. Where that is not
      available it is two renames through `.output.old-previous`; a build killed between
      them leaves no `output/`, and the next writer renames `.output.old-previous` back;
    - where hard links are not possible the hidden entries are moved instead, and moved
      back if the swap fails (or, after a kill, by the next writer).

    Every failure to write is a WriteError with a one-line reason; the staging folder
    is removed and `output/` is exactly what it was.
    """

    def __init__(self, output: Path, *, background_cleanup: bool = False) -> None:
        self.output = output.resolve()
        self.background_cleanup = background_cleanup
        self._moved: list[str] = []
        self._written: set[PurePosixPath] = set()
        self._claimed: dict[PurePosixPath, Path] = {}  # claimed, not yet written: where `put` writes
        self._put: set[PurePosixPath] = set()
        self._lock: OutputLock | None = None
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self._lock = OutputLock(self.output)
            self._recover_interrupted_commit()
            self._sweep_stale()
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
            # mkdtemp makes the folder 0700; swapped in as output/ it must be as readable as any
            # folder the user makes (a web server running as another user serves it).
            os.chmod(self.staging, 0o777 & ~_umask())
        except OSError as exc:
            if self._lock is not None:
                self._lock.release()
            raise WriteError(f"cannot create a staging folder beside {self.output}: {exc.strerror or exc}") from None

    @property
    def _previous(self) -> Path:
        return self.output.parent / f".{self.output.name}.old-previous"  # .old-*: swept, and ignored by serve

    def _stale(self) -> list[Path]:
        return sorted(self.output.parent.glob(f".{self.output.name}.staging-*"))

    def _recover_interrupted_commit(self) -> None:
        """Undo what a build killed inside `commit()` left half done (see the class docstring)."""
        if not self.output.exists() and self._previous.is_dir():
            os.rename(self._previous, self.output)
        if not self.output.is_dir():
            return
        for stale in self._stale():
            for entry in sorted(stale.iterdir()) if stale.is_dir() else ():
                if entry.name.startswith(".") and not _lexists(self.output / entry.name):
                    os.rename(entry, self.output / entry.name)

    def _sweep_stale(self) -> None:
        stale = self._stale() + sorted(self.output.parent.glob(f".{self.output.name}.old-*"))  # recovery has run
        if self.background_cleanup and stale:  # the preview server: the next page is not kept waiting
            threading.Thread(target=_remove_all, args=(stale,), daemon=True).start()
            return
        _remove_all(stale)

    def _target(self, rel: str) -> Path:
        path = _checked(rel)
        if path in self._written:
            raise WriteError(f"two outputs want the same path: {rel}")
        self._written.add(path)
        target = self.staging.joinpath(*path.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(f"cannot write {rel}: {exc.strerror or exc}") from None
        self._claimed[path] = target
        return target

    def claim(self, rel: str) -> None:
        """Check and claim `rel` now (before forking render workers, whose `put` then only writes)."""
        self._target(rel)

    def put(self, rel: str, data: bytes) -> None:
        """`data` as the new site's file `rel` (claimed now unless it was claimed before)."""
        path = self._first_put(rel)
        target = self._claimed.get(path) or self._target(rel)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise WriteError(f"cannot write {rel}: {exc.strerror or exc}") from None

    def keep(self, rel: str) -> bool:
        """Carry the published `rel` over unchanged (a hard link: same inode and mtime, no bytes
        copied); False when it cannot be (then `rel` stays claimed for `put`)."""
        path = PurePosixPath(rel)
        target = self._claimed.get(path) or self._target(rel)
        try:
            os.link(self.output / rel, target)
        except OSError:
            return False
        del self._claimed[path]  # a later put must never write through the link into the published file
        return True

    def remove(self, rel: str) -> None:
        """`rel` is no longer part of the site: a new site simply does not carry it over."""
        _checked(rel)

    def copy_file(self, rel: str, source: Path) -> None:
        try:
            shutil.copyfile(source, self._target(rel))
        except OSError as exc:
            raise WriteError(f"cannot copy {source} to {rel}: {exc.strerror or exc}") from None

    def keep_folder(self, rel: str) -> None:
        """Carry the published folder `rel` over, file by file (the search index of the same pages)."""
        folder = self.output / rel
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                self.copy_file(f"{rel}/{path.relative_to(folder).as_posix()}", path)

    def lend_folder(self, rel: str) -> tuple[Path, Path]:
        """(the staged site, the folder `rel` in it) for a tool that writes that folder itself
        (Pagefind): the writer owns it from then on, and swaps it in with the rest."""
        path = _checked(rel)
        if path in self._written:
            raise WriteError(f"two outputs want the same path: {rel}")
        self._written.add(path)
        return self.staging, self.staging.joinpath(*path.parts)

    @property
    def written(self) -> frozenset[PurePosixPath]:
        return frozenset(self._written)

    def commit(self, *, background_cleanup: bool = False) -> None:
        """Swap the staged site in atomically; the previous site is removed afterwards.

        With `background_cleanup` (the preview server) the removal runs in a daemon thread:
        the new site is live at once, and whatever a stopped process leaves behind is a
        stale staging folder that the next writer sweeps.
        """
        if _lexists(self.output) and not self.output.is_dir():
            raise WriteError(f"cannot replace {self.output}: it exists and is not a folder")
        try:
            if self.output.exists():
                self._carry_over_hidden_entries()
                retired = _swap(self.staging, self.output, self._previous)
            else:
                os.rename(self.staging, self.output)
                retired = None
        except OSError as exc:
            kept = self._move_back()
            raise WriteError(f"cannot replace {self.output}: {exc.strerror or exc}{kept}") from None
        self._moved = []
        self._release()
        if retired is not None:
            if background_cleanup or self.background_cleanup:
                threading.Thread(target=shutil.rmtree, args=(retired, True), daemon=True).start()
            else:
                shutil.rmtree(retired, ignore_errors=True)

    def _carry_over_hidden_entries(self) -> None:
        """Top-level hidden entries of the old output (.git for deployment, .gitkeep) survive builds.

        They are hard-linked (the old output stays whole until the atomic swap); an entry
        that cannot be linked is moved, and remembered so that a failed swap moves it back.
        """
        for entry in sorted(self.output.iterdir()):
            target = self.staging / entry.name
            if not entry.name.startswith(".") or _lexists(target):
                continue
            try:
                _link_copy(entry, target)
            except OSError:
                _remove(target)
                os.rename(entry, target)
                self._moved.append(entry.name)

    def _move_back(self) -> str:
        """Return moved hidden entries to the old output; '' or a note saying where they still are."""
        left = []
        for name in self._moved:
            try:
                if not _lexists(self.output / name):
                    os.rename(self.staging / name, self.output / name)
            except OSError:
                left.append(name)
        self._moved = left
        return f"; {', '.join(left)} could not be moved back and are kept in {self.staging}" if left else ""

    def abort(self) -> None:
        """Throw the staging folder away (after returning anything moved out of the old output)."""
        try:
            if self._move_back():
                return  # never delete the user's .git; the next writer moves it back
            shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()


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
        self._put: set[PurePosixPath] = set()
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
        path = self._first_put(rel)
        temporary = self._pending.get(path) or self._reserve(rel)
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


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` has exactly these bytes (size first: most changes change it)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def replace_folder(new: Path, old: Path) -> None:
    """Put the folder `new` at `old` in one atomic step (the search index of an updated site);
    the folder it replaces is removed afterwards."""
    try:
        if old.is_dir() and _exchange(new, old):
            shutil.rmtree(new, ignore_errors=True)
            return
        _remove(old)
        os.rename(new, old)
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        raise WriteError(f"cannot replace {old}: {exc.strerror or exc}") from None


def _checked(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\x00" in rel:
        raise WriteError(f"refusing to write outside the output folder: {rel!r}")
    return path


def _lexists(path: Path) -> bool:
    return os.path.lexists(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif _lexists(path):
        path.unlink()


def _link_copy(source: Path, target: Path) -> None:
    """`source` recreated at `target` with hard links: no data is copied and `source` is untouched."""
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=os.link)
    else:
        os.link(source, target)


def _swap(staging: Path, output: Path, previous: Path) -> Path:
    """Put `staging` at `output`; returns where the previous site now is (to be removed)."""
    if _exchange(staging, output):
        return staging
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(output, previous)
    try:
        os.rename(staging, output)
    except OSError:
        os.rename(previous, output)
        raise
    return previous


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@lru_cache(maxsize=1)
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths; False when the kernel or file system cannot."""
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove_all(folders: list[Path]) -> None:
    for folder in folders:
        remove_folder(folder)


# ---------------------------------------------------------------------------
# Files outside the output folder: the caches, imported articles, a new site's files
# ---------------------------------------------------------------------------


def save_pickles(path: Path, values: Sequence[object], tail: bytes = b"") -> bool:
    """Replace `path` in one rename (a reader sees the old file or the new one) with `values`
    pickled one after the other, then `tail` (bytes pickled before); False, leaving nothing
    behind, when it cannot be written (a cache is only a shortcut).

    The pickles are streamed into the file: a 10,000-article cache made whole first with
    `pickle.dumps` raised the peak memory of a build by about 90 MB."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            for value in values:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.write(tail)
        os.replace(temporary, path)
        return True
    except OSError:
        if temporary is not None:
            remove_file(Path(temporary))
        return False


def create_new_file(path: Path, text: str) -> None:
    """Create `path` whole or not at all (a running `digest serve` never reads half a file),
    and never replace a file: FileExistsError when one is there, even one made meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".new-{os.getpid()}-{secrets.token_hex(4)}.tmp"  # hidden: no build reads it
    try:
        with open(temporary, "x", encoding="utf-8", newline="\n") as handle:  # "x" (not mkstemp): the umask's mode
            handle.write(text)
        try:
            os.link(temporary, path)  # atomic, and refuses an existing name
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create instead
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    finally:
        remove_file(temporary)


def write_file(path: Path, text: str) -> None:
    """A small file the user asked for (a new site's site.toml, a timings report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def remove_file(path: Path) -> None:
    """Delete `path` if it is there."""
    try:
        path.unlink()
    except OSError:
        pass


def remove_folder(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def install_folder(bundle: Path, output: Path, rel: str, extra: dict[str, str]) -> None:
    """Put the folder `bundle` (made by a tool beside the output: a background Pagefind run) at
    `output/rel` in one atomic step, with the small `extra` files written into it first."""
    for name, text in extra.items():
        (bundle / name).write_text(text, encoding="utf-8")
    replace_folder(bundle, output / rel)
