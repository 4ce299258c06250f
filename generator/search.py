"""Static full-text search: Pagefind's command line indexes the staged site.

The extended Pagefind binary (the `pagefind[extended]` package) segments Chinese text;
the plain binary indexes whole runs of Han characters as single words, so 务工 would
find nothing. The per-file Python API is far slower than one CLI run over the folder.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple

from generator.write import OutputLock, WriteError, install_folder, remove_folder

if TYPE_CHECKING:
    from generator.config import SiteConfig


class SearchError(Exception):
    """The search index could not be built; the message says why and what to do."""


# Pagefind's own default: every page.
ALL_PAGES = "**/*.{html}"
# Article pages only (articles/<slug>/index.html, and the redirect pages of old slugs there).
ARTICLE_PAGES = "articles/**/*.{html}"
SEARCHABLE_MARK = "data-pagefind-body"


def searchable_pages(template_folders: Iterable[Path]) -> str:
    """The glob of pages Pagefind must read: article pages only when article.html is the one
    template marking a searchable body, else every page.

    Pagefind indexes only the pages carrying `data-pagefind-body` once any page does, but it
    still parses every page to find out: at 20,000 articles (35,000 pages) that is a quarter
    of its 65 s and a fifth of its 5 GB. A theme may mark other kinds of pages (or none: then
    Pagefind indexes every page whole), so the templates in effect are read (`template_folders`
    in lookup order: a site's own template stands for the theme's of the same name); any
    doubt keeps every page."""
    from generator.inputs import files_in_effect

    marked = set()
    for name, path in files_in_effect(reversed(list(template_folders))).items():
        try:
            if SEARCHABLE_MARK in path.read_text(encoding="utf-8", errors="replace"):
                marked.add(name)
        except OSError:
            return ALL_PAGES
    return ARTICLE_PAGES if marked == {"article.html"} else ALL_PAGES


@lru_cache(maxsize=4)
def search_pages(config: "SiteConfig", template_key: str) -> str:
    """searchable_pages for the templates a build of this site uses. `template_key`
    (generator.render.template_key) names their content, so a preview update reads the
    templates again only after one of them changed."""
    from generator.inputs import SiteInputs

    return searchable_pages(SiteInputs.of(config).templates)


class SearchDue(NamedTuple):
    """The index the pages need when the published one is not it: its key, and the glob of
    pages Pagefind reads for it (what the preview's background run indexes)."""

    key: str
    pages: str


def is_searchable(path: str, pages: str) -> bool:
    """Whether Pagefind, given `pages` (one of the two globs searchable_pages gives), reads
    the output file `path`: what the index key must cover."""
    if pages == ARTICLE_PAGES:
        return path.startswith("articles/") and path.endswith(".html")
    return True


def pagefind_command(folder: Path, language: str, bundle: Path | None = None, pages: str = ALL_PAGES) -> list[str]:
    """Pagefind over the `pages` (a glob) in `folder`, writing `folder/pagefind/` (or `bundle`)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent",
               "--force-language", language.split("-")[0].lower(), "--glob", pages]
    return command + ["--output-path", str(bundle)] if bundle is not None else command


def index_site(folder: Path, language: str = "zh-CN", bundle: Path | None = None, pages: str = ALL_PAGES) -> str:
    """Write `pagefind/` into `folder` (or the index into `bundle`); returns Pagefind's summary."""
    command = pagefind_command(folder, language, bundle, pages)
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


def index_key(pages: Iterable[tuple[str, str]], language: str, glob: str = ALL_PAGES) -> str:
    """What the index depends on: the pages Pagefind reads ((path, sha256 of its bytes), in
    plan order, those `glob` covers), the language and Pagefind's version.

    Pagefind's filter files are not byte-stable between runs (its hash maps are ordered
    at random), so a rebuild with the same key reuses the published index instead of
    running Pagefind again: rebuilds stay byte-identical, and faster.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        pagefind_version = version("pagefind")
    except PackageNotFoundError:
        pagefind_version = "missing"
    pages_digest = hashlib.sha256("\n".join(f"{path} {digest}" for path, digest in pages
                                            if is_searchable(path, glob)).encode()).hexdigest()
    return f"{pages_digest} {glob} {language} pagefind-{pagefind_version}"


def reusable_index(output: Path, key: str) -> Path | None:
    """The published index folder when it was built from exactly these pages, else None."""
    folder = output / INDEX_FOLDER
    try:
        return folder if (folder / KEY_FILE).read_text(encoding="utf-8") == key else None
    except OSError:
        return None


def _bundle_path(output: Path) -> Path:
    return output.parent / f".{output.name}.old-search-{os.getpid()}-{secrets.token_hex(3)}"  # .old-*: swept if left


@dataclass(slots=True)
class _SearchRun:
    process: subprocess.Popen
    key: str  # the index key of the pages being indexed
    bundle: Path  # where Pagefind writes
    output: Path
    thread: threading.Thread | None = None  # waits for the process, then swaps the index in


class SearchRefresher:
    """Indexes the published site again in the background after preview updates.

    Pagefind takes about 20 s over a 10,000-article site, while an update has its pages on
    disk in about 60 ms: the preview reloads at once and search catches up. Pagefind writes
    into a folder beside the output, which is swapped in whole (under the output lock) only
    if no update came since; an update cancels the run in progress and starts another.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._run: _SearchRun | None = None
        self.failure: str | None = None  # why the last run gave no index, until the next run

    @property
    def pending(self) -> bool:
        with self._guard:
            return self._run is not None

    def start(self, config: "SiteConfig", due: SearchDue) -> None:
        self.cancel()
        output = config.output_dir.resolve()
        bundle = _bundle_path(output)
        try:
            process = subprocess.Popen(pagefind_command(output, config.language, bundle, due.pages),
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as exc:
            self.failure = f"cannot run Pagefind: {exc}"
            return
        run = _SearchRun(process, due.key, bundle, output)
        run.thread = threading.Thread(target=self._finish, args=(run,), daemon=True)
        with self._guard:
            self._run, self.failure = run, None
        run.thread.start()

    def _current(self, run: _SearchRun) -> bool:
        with self._guard:
            return self._run is run

    def _finish(self, run: _SearchRun) -> None:
        text = run.process.communicate()[0].decode("utf-8", "replace").strip()
        try:
            if not self._current(run):
                return
            if run.process.returncode != 0 or not (run.bundle / "pagefind-ui.js").is_file():
                self.failure = f"Pagefind failed: {text.splitlines()[-1] if text else run.process.returncode}"
                return
            lock = OutputLock(run.output)
            try:
                if self._current(run):  # no update began while this waited for the lock
                    install_folder(run.bundle, run.output, INDEX_FOLDER, {KEY_FILE: run.key})
            finally:
                lock.release()
        except (OSError, WriteError) as exc:
            self.failure = f"cannot replace the search index: {exc}"
        finally:
            remove_folder(run.bundle)
            with self._guard:
                if self._run is run:
                    self._run = None

    def cancel(self) -> None:
        """Stop the run in progress; its index is thrown away."""
        with self._guard:
            run, self._run = self._run, None
        if run is not None:
            run.process.kill()

    def wait(self, timeout: float | None = None) -> None:
        """Until the run in progress (if any) has finished (for tests and benchmarks)."""
        with self._guard:
            run = self._run
        if run is not None and run.thread is not None:
            run.thread.join(timeout)
