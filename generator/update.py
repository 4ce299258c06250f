"""Preview rebuilds in place: after a few saved articles, only the pages they can change.

`digest serve` keeps one Builder alive. After each build it holds a `BuildState`: every
file's processed result, the indexed site, the planned page and document paths and the
inputs key. When the watcher reports article files only, `Builder.update()` processes
just those files, indexes again (related lists only around the change), gathers and
fingerprints only the pages the changed articles can appear on (`affected`), and
rewrites in place those whose fingerprint moved. Whatever it cannot place (a folder, a
symbolic link, many files at once, no state yet) goes to a full build instead.
tests/test_incremental.py checks that any sequence of updates equals a clean build.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Iterable

from generator.config import SiteConfig
from generator.diagnostics import Diagnostic
from generator.discover import ARTICLE_SUFFIXES
from generator.manifest import InputsKey, Manifest
from generator.model import Article, Page, Site
from generator.parallel_render import render_pages
from generator.search import INDEX_FOLDER, KEY_FILE, index_key, pagefind_command, reusable_index
from generator.write import InPlaceWriter, OutputLock, WriteError, holds, replace_folder

if TYPE_CHECKING:
    from generator.build import Pipeline

# More changed files than this: a full build (it processes files over every core).
MAX_FILES = 32

Result = tuple[Article | None, list[Diagnostic]]


@dataclass(slots=True)
class BuildState:
    """What the last build of a long-lived Builder left, for the next update."""

    source: Path
    order: list[PurePosixPath]  # every discovered file's display path, in discovery order
    results: dict[PurePosixPath, Result]
    problems: list[Diagnostic]  # discovery's own diagnostics
    site: Site
    pages: set[str]  # templated pages planned
    documents: set[str]  # feeds, sitemap, chart, robots.txt
    inputs: InputsKey
    content_key: str
    pipeline: "Pipeline"


def classify(paths: Iterable[Path], source: Path, known: dict[PurePosixPath, Result]) -> dict[PurePosixPath, Path] | None:
    """The article files among `paths` that discovery would read (present now or gone),
    as {display path: path}; None when a path cannot be placed without discovering again
    (outside the source folder, a folder, a symbolic link, an undecodable name, too many)."""
    base = Path(os.path.abspath(source))
    found: dict[PurePosixPath, Path] = {}
    for raw in paths:
        try:
            rel = Path(os.path.abspath(raw)).relative_to(base)
        except ValueError:
            return None
        parts = rel.parts
        if not parts:
            return None
        if any(part.startswith((".", "_")) for part in parts):
            continue  # discovery never reads these
        try:
            "/".join(parts).encode("utf-8")
        except UnicodeEncodeError:
            return None
        path = source.joinpath(*parts)
        if any(os.path.islink(source.joinpath(*parts[:n])) for n in range(1, len(parts) + 1)):
            return None  # links are discovery's to judge (inside or outside the source folder)
        if os.path.isdir(path):
            return None
        display = PurePosixPath(source.name, *parts)
        if os.path.splitext(parts[-1])[1].lower() not in ARTICLE_SUFFIXES:
            if not os.path.lexists(path):
                return None  # a removed folder looks like this
            continue  # an image or note beside the articles
        if os.path.lexists(path) or display in known:
            found[display] = path
    return found if len(found) <= MAX_FILES else None


@dataclass(frozen=True, slots=True)
class Affected:
    """What an update must look at again."""

    pages: set[str]  # templated pages whose data can differ
    feeds: set[str]  # listing prefixes whose feeds can differ ("" is the site's own)
    sitemap: bool  # whether any sitemap entry can differ


def affected(old: Site, new: Site) -> Affected:
    """The pages, feeds and sitemap entries whose data can differ between two indexed sites.

    A superset is safe (a page whose fingerprint did not move is not rewritten); a page
    left out would be stale, so the reasoning follows what each page shows:
    - an article page: its article, its newer/older neighbours, its related articles
      (always within the related-candidate window of the article in a shared listing);
    - a listing page: the articles of its slice, its page count, its term's name and count;
    - the region, topic and archive indexes, search and 404: always gathered (five pages);
    - the sitemap: listing slices, and the URL and date of each article.
    """
    from generator.index import changed_ids, neighbourhood

    changed = changed_ids(old, new.by_id)
    pages = {"regions/index.html", "topics/index.html", "subjects/index.html", "archives/index.html",
             "search/index.html", "404.html"}
    prefixes = {""}
    ids = set(changed)
    for i in neighbourhood(old, changed) | neighbourhood(new, changed):
        before, after = old.related.get(i, ()), new.related.get(i, ())
        if before != after or changed.intersection(after):
            ids.add(i)
    for site in (old, new):
        order = site.articles
        for i, article in enumerate(order):
            if article.id in changed:
                ids.update(order[j].id for j in (i - 1, i + 1) if 0 <= j < len(order))
    pages.update(f"{new.by_id[i].url_path}index.html" for i in ids if i in new.by_id)
    for site in (old, new):  # a changed article's redirect pages (its aliases) show its URL
        pages.update(path for i in changed if i in site.by_id for path in site.by_id[i].alias_pages)
    sitemap = any(_sitemap_entry(old.by_id.get(i)) != _sitemap_entry(new.by_id.get(i)) for i in changed)
    listings = [("", old.index_pages, new.index_pages, None, None),
                ("other/", old.other_pages, new.other_pages, None, None)]
    old_terms = {(t.kind, t.slug): t for t in old.regions + old.topics + old.months + old.subjects}
    new_terms = {(t.kind, t.slug): t for t in new.regions + new.topics + new.months + new.subjects}
    for key in set(old_terms) | set(new_terms):
        before, after = old_terms.get(key), new_terms.get(key)
        if not any(changed.intersection(t.article_ids) for t in (before, after) if t is not None):
            continue
        term = after or before
        if term.kind != "month":
            prefixes.add(term.url_path)
        listings.append((term.url_path, before.pages if before else (), after.pages if after else (),
                         (before.name, len(before.article_ids)) if before else None,
                         (after.name, len(after.article_ids)) if after else None))
    for prefix, before_pages, after_pages, before_head, after_head in listings:
        found, moved = _listing_pages(prefix, before_pages, after_pages, changed, before_head, after_head)
        pages |= found
        sitemap = sitemap or moved
    return Affected(pages, prefixes, sitemap)


def _sitemap_entry(article: Article | None) -> tuple[str, object] | None:
    from generator.render.sitemap import lastmod

    return (article.url_path, lastmod(article)) if article is not None else None


def _listing_pages(prefix: str, old: tuple[Page, ...], new: tuple[Page, ...], changed: set[str],
                   old_head: object, new_head: object) -> tuple[set[str], bool]:
    """Pages of one listing that can show something new (all of them when the page count or
    the heading, term name and count, moved; else those whose slice moved or shows a
    change), and whether any slice moved (pages added, removed or holding other articles)."""
    whole = len(old) != len(new) or old_head != new_head
    paths = set()
    moved = len(old) != len(new)
    for n, page in enumerate(new):
        shifted = moved or page.article_ids != old[n].article_ids
        moved = moved or shifted
        if whole or shifted or changed.intersection(page.article_ids):
            paths.add(prefix + ("" if page.number == 1 else f"page/{page.number}/") + "index.html")
    return paths, moved


def diagnostics_of(state: BuildState, slug_notes: list[Diagnostic]) -> list[Diagnostic]:
    """The build's diagnostics in the order a full build gives them."""
    found = list(state.problems)
    for display in state.order:
        found += state.results[display][1]
    return found + slug_notes


def write_update(state: BuildState, site: Site, manifest: Manifest, config: SiteConfig, renderer: tuple[str, Any],
                 views: dict, timings: dict[str, float], *, jobs: int | None = None) -> tuple[int, int, str | None] | None:
    """Rewrite in place the pages and documents that differ from the published ones:
    (files written, pages kept, the search index key the pages now need, or None when the
    published index fits them); None, writing nothing, when the published site is no longer
    the one `manifest` describes (another build swapped it in while this one waited)."""
    from generator.render import LazyDocument, context_fingerprint, document_paths, documents, page_plans

    clock = time.perf_counter
    mark = clock()
    key, env = renderer
    change = affected(state.site, site)
    plans = page_plans(site, config, state.content_key, views)
    output = config.output_dir
    timings["plan"] = clock() - mark
    mark = clock()
    writer = InPlaceWriter(output)
    if not manifest.describes(output):
        writer.abort()
        return None
    try:
        specs, fingerprints, reused, pages = [], [], 0, set()
        for plan in plans:
            pages.add(plan.path)
            if plan.path not in change.pages and plan.path in manifest.pages:
                continue
            spec = plan.spec()
            fingerprint = context_fingerprint(key, spec.template, spec.context)
            old = manifest.pages.get(spec.path)
            if old and old[0] == fingerprint and (output / spec.path).is_file():
                reused += 1
                continue
            specs.append(spec)
            fingerprints.append(fingerprint)
        targets = [writer.reserve(spec.path) for spec in specs]
        for spec, fingerprint, digest in zip(specs, fingerprints,
                                             render_pages(specs, targets, env, list(range(len(specs))), jobs)):
            manifest.pages[spec.path] = (fingerprint, digest)
        count = len(specs)
        for path in sorted(state.pages - pages):
            writer.remove(path)
            manifest.pages.pop(path, None)
        timings["render"] = clock() - mark
        mark = clock()
        for document in documents(site, config, state.content_key, feeds=change.feeds, sitemap=change.sitemap):
            if isinstance(document, LazyDocument):
                old = manifest.pages.get(document.path)
                if old and old[0] == document.fingerprint and (output / document.path).is_file():
                    continue
                data = document.produce()
                manifest.pages[document.path] = (document.fingerprint, "")
            else:
                data = document.data
                if holds(output / document.path, data):
                    continue
            writer.write_bytes(document.path, data)
            count += 1
        docs = set(document_paths(site))
        for path in sorted(state.documents - docs):
            writer.remove(path)
            manifest.pages.pop(path, None)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    timings["feeds"] = clock() - mark
    removed = (state.pages - pages) or (state.documents - docs)
    state.pages, state.documents = pages, docs
    search_key = None
    if config.search and (count or removed):
        search_key = index_key(((plan.path, manifest.pages[plan.path][1]) for plan in plans), config.language)
        if reusable_index(output, search_key) is not None:
            search_key = None
    return count, reused, search_key


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

    def start(self, config: SiteConfig, key: str) -> None:
        self.cancel()
        output = config.output_dir.resolve()
        bundle = _bundle_path(output)
        try:
            process = subprocess.Popen(pagefind_command(output, config.language, bundle),
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as exc:
            self.failure = f"cannot run Pagefind: {exc}"
            return
        run = _SearchRun(process, key, bundle, output)
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
                    (run.bundle / KEY_FILE).write_text(run.key, encoding="utf-8")
                    replace_folder(run.bundle, run.output / INDEX_FOLDER)
            finally:
                lock.release()
        except (OSError, WriteError) as exc:
            self.failure = f"cannot replace the search index: {exc}"
        finally:
            shutil.rmtree(run.bundle, ignore_errors=True)
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
