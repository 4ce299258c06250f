"""Files outside the output folder: the caches, imported articles, a new site's files, and the
search index folder put in place whole."""
from __future__ import annotations

import os
import pickle
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

from generator.write.base import WriteError, _exchange, _remove


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
