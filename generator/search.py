"""Static full-text search: Pagefind's command line indexes the staged site.

The extended Pagefind binary (the `pagefind[extended]` package) segments Chinese text;
the plain binary indexes whole runs of Han characters as single words, so 务工 would
find nothing. The per-file Python API is far slower than one CLI run over the folder.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Iterable


class SearchError(Exception):
    """The search index could not be built; the message says why and what to do."""


def pagefind_command(folder: Path, language: str, bundle: Path | None = None) -> list[str]:
    """Pagefind over the pages in `folder`, writing `folder/pagefind/` (or `bundle`)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent",
               "--force-language", language.split("-")[0].lower()]
    return command + ["--output-path", str(bundle)] if bundle is not None else command


def index_site(folder: Path, language: str = "zh-CN", bundle: Path | None = None) -> str:
    """Write `pagefind/` into `folder` (or the index into `bundle`); returns Pagefind's summary."""
    command = pagefind_command(folder, language, bundle)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"cannot run Pagefind: {exc}") from None
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0 or "No module named pagefind" in output:
        hint = " (install it with: pip install 'pagefind[extended]', or build with --no-search)"
        raise SearchError(f"Pagefind failed: {output.splitlines()[-1] if output else done.returncode}{hint}")
    if not ((bundle or folder / "pagefind") / "pagefind-ui.js").is_file():
        raise SearchError("Pagefind wrote no index (no page has data-pagefind-body?)")
    return output


INDEX_FOLDER = "pagefind"
KEY_FILE = ".digest-index-key"


def index_key(pages: Iterable[tuple[str, str]], language: str) -> str:
    """What the index depends on: the indexed pages ((path, sha256 of its bytes), in plan
    order), the language and Pagefind's version.

    Pagefind's filter files are not byte-stable between runs (its hash maps are ordered
    at random), so a rebuild with the same key reuses the published index instead of
    running Pagefind again: rebuilds stay byte-identical, and faster.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        pagefind_version = version("pagefind")
    except PackageNotFoundError:
        pagefind_version = "missing"
    pages_digest = hashlib.sha256("\n".join(f"{path} {digest}" for path, digest in pages).encode()).hexdigest()
    return f"{pages_digest} {language} pagefind-{pagefind_version}"


def reusable_index(output: Path, key: str) -> Path | None:
    """The published index folder when it was built from exactly these pages, else None."""
    folder = output / INDEX_FOLDER
    try:
        return folder if (folder / KEY_FILE).read_text(encoding="utf-8") == key else None
    except OSError:
        return None
