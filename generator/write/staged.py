"""The staged writer: a whole new site beside `output/`, swapped in at once."""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from generator.write.base import (OutputLock, WriteError, _Writer, _checked, _checked_name, _exchange, _lexists, _once,
                                  _remove, _umask, scan_tree)
from generator.write.files import remove_folder


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

    With `spare=True` (`digest build`, the preview's full builds) the site a commit retires
    is not deleted but kept beside the output as `.output.spare`, and the next writer stages
    in it instead of a new folder. Most of its files are hard links to the published ones
    (a page kept by a build is one inode in both sites), so staging the next site costs the
    files that differ, not a folder and a link for every page, and no retired site is
    deleted file by file: at 10,000 articles those two were ~5 s of a build that adds 100
    articles. Nothing in the spare is trusted but an inode shared with the published file:
    a file there is carried over only when it is the very file `output/` holds, every
    other is replaced or deleted, so a spare left half-updated by a killed build is simply
    brought in line by the next one. `output/` itself is never touched before the swap.
    """

    def __init__(self, output: Path, *, background_cleanup: bool = False, spare: bool = False) -> None:
        self.output = output.resolve()
        self.background_cleanup = background_cleanup
        self.keeps_spare = spare
        self._moved: list[str] = []
        # Paths relative to the site, as checked strings (see _checked_name), and targets as strings.
        self._written: set[str] = set()
        self._claimed: dict[str, str] = {}  # claimed, not yet written: where `put` writes
        self._put: set[str] = set()
        self._lent: list[str] = []
        self._reuse: _SpareListing | None = None  # what the spare held when this writer took it
        self._lock: OutputLock | None = None
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self._lock = OutputLock(self.output)
            self._recover_interrupted_commit()
            self._sweep_stale()
            if spare and self.output.is_dir() and self._spare.is_dir() and not self._spare.is_symlink():
                self.staging = self._spare
                self._reuse = _SpareListing.of(self.staging)
                return
            _remove(self._spare)  # not reused (spare=False, or no site to stage against): it is stale
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
            # mkdtemp makes the folder 0700; swapped in as output/ it must be as readable as any
            # folder the user makes (a web server running as another user serves it).
            os.chmod(self.staging, 0o777 & ~_umask())
        except OSError as exc:
            if self._lock is not None:
                self._lock.release()
            raise WriteError(f"cannot create a staging folder beside {self.output}: {exc.strerror or exc}") from None

    @property
    def _spare(self) -> Path:
        return spare_of(self.output)

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
        for stale in self._stale() + [self._spare]:
            for entry in sorted(stale.iterdir()) if stale.is_dir() else ():
                if entry.name.startswith(".") and not _lexists(self.output / entry.name):
                    os.rename(entry, self.output / entry.name)

    def _sweep_stale(self) -> None:
        stale = self._stale() + sorted(self.output.parent.glob(f".{self.output.name}.old-*"))  # recovery has run
        if self.background_cleanup and stale:  # the preview server: the next page is not kept waiting
            threading.Thread(target=_remove_all, args=(stale,), daemon=True).start()
            return
        _remove_all(stale)

    def _register(self, rel: str, checked: str | None = None) -> str:
        return _once(rel, self._written, checked)

    def _target(self, rel: str) -> str:
        path = self._register(rel)
        target = f"{self.staging}/{path}"
        try:
            if self._reuse is not None:
                self._reuse.clear_for(path, target)  # never write through a link into the published file
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
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
            with open(target, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise WriteError(f"cannot write {rel}: {exc.strerror or exc}") from None

    def keep(self, rel: str) -> bool:
        """Carry the published `rel` over unchanged (a hard link: same inode and mtime, no bytes
        copied); False when it cannot be (then `rel` stays claimed for `put`)."""
        path = _checked_name(rel)
        if self._reuse is not None and path not in self._claimed and self._reuse.holds_published(path, self.output):
            self._register(rel, path)  # the spare's file is the published one: nothing to do
            return True
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
        path = self._register(rel)
        folder = self.staging / path
        if self._reuse is not None:
            _remove(folder)  # the tool writes it afresh; the spare's copy is of an older site
            self._reuse.forget(path)
            self._lent.append(path)
        return self.staging, folder

    @property
    def written(self) -> frozenset[str]:
        return frozenset(self._written)

    def commit(self, *, background_cleanup: bool = False) -> None:
        """Swap the staged site in atomically; the previous site is kept as the spare (`spare=True`)
        or removed afterwards.

        With `background_cleanup` (the preview server) the removal runs in a daemon thread:
        the new site is live at once, and whatever a stopped process leaves behind is a
        stale staging folder that the next writer sweeps.
        """
        if _lexists(self.output) and not self.output.is_dir():
            raise WriteError(f"cannot replace {self.output}: it exists and is not a folder")
        try:
            if self._reuse is not None:
                self._reuse.drop_unwritten(self.staging, self._written, self._lent)
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
        if retired is not None and self.keeps_spare:
            try:
                if retired != self._spare:
                    os.rename(retired, self._spare)  # the next writer stages in it
                retired = None
            except OSError:
                pass  # not kept: removed below like any retired site
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
        if self._reuse is not None:  # the spare's hidden entries are copies of older ones
            for entry in sorted(self.staging.iterdir()):
                if entry.name.startswith(".") and entry.name not in self._written:
                    _remove(entry)
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
            if self._reuse is None:  # a spare stays: the next writer brings it in line
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()


def spare_of(output: Path) -> Path:
    """The folder a writer with `spare=True` keeps the retired site in, beside `output`."""
    return output.parent / f".{output.name}.spare"  # .{output}.*: ignored by serve's watcher


class _SpareListing:
    """The files (path -> inode) and folders of a spare site when a writer took it, top-level
    hidden entries left out (they are carried over from `output/` afresh at every commit)."""

    def __init__(self, device: int, files: dict[str, int], folders: set[str]) -> None:
        self.device, self.files, self.folders = device, files, folders

    @classmethod
    def of(cls, root: Path) -> "_SpareListing":
        files: dict[str, int] = {}
        folders: set[str] = set()
        for rel, entry, is_folder in scan_tree(str(root), skip_hidden_top=True):
            if is_folder:
                folders.add(rel)
            else:
                files[rel] = entry.inode()
        return cls(os.stat(root).st_dev, files, folders)

    def holds_published(self, rel: str, output: Path) -> bool:
        """Whether the spare's `rel` is the very file `output/` publishes (one inode)."""
        inode = self.files.get(rel)
        if inode is None:
            return False
        try:  # a checked relative path joined as a string: the same file, without a Path per page
            published = os.stat(f"{output}/{rel}")
        except OSError:
            return False
        return published.st_ino == inode and published.st_dev == self.device

    def clear_for(self, rel: str, target: str) -> None:
        """Make room at `target` (the staging folder's `rel`) for a new file: the spare's file there
        is unlinked (it may be a link to a published file), a folder there removed, a file where
        a folder is due too."""
        if rel in self.files:
            try:
                os.unlink(target)
            except FileNotFoundError:
                pass
            del self.files[rel]
        elif rel in self.folders:
            shutil.rmtree(target, ignore_errors=True)
            self.forget(rel)
        above = _folders_above(rel)
        if not above or above[-1] in self.folders:
            return
        root = target[:len(target) - len(rel)]  # the staging folder, with its trailing slash
        for folder in above:
            if folder in self.files:  # a file where a folder is due
                os.unlink(root + folder)
                del self.files[folder]
        os.makedirs(os.path.dirname(target), exist_ok=True)
        self.folders.update(above)

    def forget(self, rel: str) -> None:
        """`rel` and everything under it are gone from the spare (removed by the writer)."""
        self.folders = {f for f in self.folders if f != rel and not f.startswith(rel + "/")}
        self.files = {f: i for f, i in self.files.items() if f != rel and not f.startswith(rel + "/")}

    def drop_unwritten(self, root: Path, written: set[str], lent: list[str]) -> None:
        """Delete what the new site does not have: files nobody wrote or kept, then the folders
        left without any (deepest first)."""
        lent_prefixes = tuple(f"{p}/" for p in lent)
        for rel in self.files:
            if rel not in written and not rel.startswith(lent_prefixes):
                try:
                    os.unlink(root / rel)
                except FileNotFoundError:
                    pass
        needed = set(lent)
        for rel in written:
            needed.update(_folders_above(rel))
        for rel in sorted(self.folders - needed, key=lambda f: -f.count("/")):
            if not rel.startswith(lent_prefixes):
                try:
                    os.rmdir(root / rel)
                except OSError:
                    pass  # not empty: what is left in it is a written path's


def _folders_above(rel: str) -> list[str]:
    """The folders a site path is in, outermost first ("a/b/c.html" -> ["a", "a/b"]): strings,
    as the writer keeps paths (16,000 PurePosixPath parents took 0.3 s of a commit)."""
    return [rel[:n] for n, char in enumerate(rel) if char == "/"]


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


def _remove_all(folders: list[Path]) -> None:
    for folder in folders:
        remove_folder(folder)
