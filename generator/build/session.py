"""One build session: load -> clean -> enrich -> index -> outputs, for `digest build` and for
every preview update. The `Builder` is the only owner of the build state and the manifest;
the helpers it calls take values and return values."""
from __future__ import annotations

import os
import time
from bisect import insort
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable

from generator.build.cache import ArticleCache
from generator.build.heap import collector_paused, heap_frozen
from generator.build.last_index import index_key, keep_index, last_index_path, load_index, previous_site
from generator.build.manifest import Manifest, forget_manifest, load_manifest, output_identity, save_manifest
from generator.build.outputs import PlanMemo, write_outputs
from generator.build.prefetch import prefetch_folders
from generator.build.process import (process_item, article_cache_key, cache_path, display_paths,
                                     make_pipeline, process_files)
from generator.build.spill import BodySpill
from generator.build.state import BuildState, diagnostics_of
from generator.config import SiteConfig
from generator.diagnostics import Diagnostic, error, warning
from generator.discover import discover
from generator.inputs import InputsKey, SiteInputs, changed_articles, settings_signature
from generator.model import Article
from generator.search import INDEX_FOLDER, SearchRefresher
from generator.write import InPlaceWriter, StagedWriter, spare_of

# The stages themselves (jinja2, lxml, nh3, the taxonomy automaton ...) are imported when a
# build has work to do: a no-change rebuild needs none of them.


@dataclass(frozen=True, slots=True)
class BuildResult:
    articles: int
    pages: int
    skipped: int
    seconds: float
    diagnostics: tuple[Diagnostic, ...]
    written: bool
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for benchmarks
    cached: int = 0  # articles taken from the cache
    unchanged: bool = False  # no input changed since the last build: nothing was written
    reused: int = 0  # pages whose published file was kept because nothing they show changed
    in_place: bool = False  # an update of the published site (Builder.update), not a whole new one


def build(config: SiteConfig, *, strict: bool = False,
          progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None,
          jobs: int | None = None, use_cache: bool = True) -> BuildResult:
    """Build the whole site into a staging folder and swap it in only when everything worked.

    Unchanged files come from the article cache (.cache/ beside site.toml); the rest are
    processed over `jobs` worker processes (default: one per core).
    """
    return Builder(config, jobs=jobs, use_cache=use_cache).build(strict=strict, progress=progress)


class Builder:
    """Builds one site again and again, keeping the article cache and the manifest in memory.

    `digest build` uses it once; `digest serve` keeps one alive, so a rebuild after one
    saved file does not reload the cache from disk. With `persist_cache=False` the cache
    and the manifest are written only by `close()` (writing them costs time after every
    save). With `incremental=True` it also keeps what `update()` needs (generator.build.state);
    an update's search index then follows in the background (`SearchRefresher`) instead of
    keeping the preview waiting for Pagefind.
    """

    def __init__(self, config: SiteConfig, *, jobs: int | None = None, use_cache: bool = True,
                 persist_cache: bool = True, incremental: bool = False, keep_last_good: bool = False) -> None:
        self.config = config
        self.keep_last_good = keep_last_good
        self._last_good: dict[PurePosixPath, Article] = {}  # with keep_last_good: each file's last valid article
        self.jobs = jobs
        self.use_cache = use_cache
        self.persist_cache = persist_cache
        self.incremental = incremental
        self._cache: ArticleCache | None = None
        self._manifest: Manifest | None = None
        self._manifest_on_disk = False  # whether the saved manifest is the one in memory
        self._views: dict = {}  # the preview's article views, reused while the article and its links are the same
        self._plans = PlanMemo()  # page plans of the last write, reused by an update of the same layout
        self._state: BuildState | None = None
        self._render: tuple[str, Any] | None = None  # (template key, Jinja environment) of the last full build
        self.search = SearchRefresher() if incremental else None
        # Bodies on disk while a one-shot build holds its articles (generator.build.spill): beside
        # the article cache (the user's disk; the system's temporary folder may be memory), or
        # in the temporary folder when there is no cache. The preview keeps its bodies in memory.
        self._spill = None if incremental else BodySpill(str(cache_path(config).parent) if use_cache else None)

    def close(self) -> None:
        if self._cache is not None and self.use_cache:
            self._cache.save()
        if self.search is not None and self.search.pending:
            self.search.cancel()  # the published index is behind its pages: the next build must not be "no change"
            forget_manifest(self.config)
            self._manifest_on_disk = False
            return
        if self._manifest is not None and self.use_cache and not self._manifest_on_disk:
            save_manifest(self.config, self._manifest)
            self._manifest_on_disk = True

    def build(self, *, strict: bool = False,
              progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None) -> BuildResult:
        config, started = self.config, time.perf_counter()
        timings: dict[str, float] = {}
        source = config.source_dir
        if not source.is_dir():
            return BuildResult(0, 0, 0, time.perf_counter() - started, (error(source, "source folder does not exist"),),
                               False)
        site_inputs = SiteInputs.of(config)  # what the site reads, defined once
        files, problems = discover(site_inputs.source)
        inputs_now = InputsKey.of(config, files, site_inputs)
        inputs = inputs_now.key
        previous = self._previous_manifest()
        timings["inputs"] = time.perf_counter() - started  # discovery, the inputs key, the last manifest
        if previous is not None and previous.inputs == inputs:
            if self.incremental and self._state is None:
                self._state = self._state_of_published_site(files, problems, inputs_now)
                if self._manifest is None:
                    self._manifest, self._manifest_on_disk = previous, True
                if self._state is not None:
                    self._state.dependents.sync(self._manifest.pages)  # now, not on the first save
            return _unchanged(previous, strict, time.perf_counter() - started)
        self._state = None
        if self.search is not None:
            self.search.cancel()  # this build indexes its own pages
        # `digest build` stages in the spare and keeps published pages: both read while the
        # articles are loaded and indexed (generator.build.prefetch). The preview stages afresh.
        stop_prefetch = (prefetch_folders((spare_of(config.output_dir), config.output_dir)) if self.persist_cache
                         else (lambda: None))
        try:
            return self._build_all(files, problems, inputs_now, previous, strict, progress, timings, started)
        finally:
            stop_prefetch()

    def _build_all(self, files: list[Path], problems: list[Diagnostic], inputs_now: InputsKey,
                   previous: Manifest | None, strict: bool, progress, timings: dict[str, float],
                   started: float) -> BuildResult:
        """A build with work to do: every article processed (or taken from the cache), indexed,
        and the site written whole."""
        from generator.index import build_site, changed_ids
        from generator.render.reader import changed_keys

        config, source, inputs = self.config, self.config.source_dir, inputs_now.key
        diagnostics: list[Diagnostic] = list(problems)
        pipeline = make_pipeline(config)
        content_key = article_cache_key(config)
        mark = time.perf_counter()
        cache = self._article_cache(content_key)
        timings["cache"] = time.perf_counter() - mark
        mark = time.perf_counter()
        displays = display_paths(files, source)
        # The cache's entries as the last build left them: after processing, an unchanged file's
        # entry holds this build's article (process_files replaces it in place), a changed one's
        # the article the last build indexed (a new entry replaced it in the cache). Only the
        # entries are held: holding their articles would keep every replaced body in memory.
        entries = list(cache.entries.values()) if self._patches_last_index(previous) else None
        results, stage_times = process_files(files, displays, pipeline, cache, jobs=self.jobs, progress=progress,
                                             keep=self._spill.keep if self._spill is not None else None)
        if self.keep_last_good:
            results = [self._last_good_of(display, result) for display, result in zip(displays, results)]
        timings["process"] = time.perf_counter() - mark
        timings.update(stage_times)
        # From here on the articles (and the cache holding them) live until the build ends: the
        # collector need not walk them again at each full collection (0.5-0.7 s of a build).
        with heap_frozen():
            # The cache is complete: written by a forked copy while this process indexes and plans.
            cache_saved = cache.save_in_background() if self.persist_cache and self.use_cache else (lambda: None)
            articles: list[Article] = []
            skipped = len(problems)
            for article, notes in results:
                diagnostics += notes
                if article is None:
                    skipped += 1
                else:
                    articles.append(article)
            mark = time.perf_counter()
            last = self._last_index(previous, content_key, articles, entries) if entries is not None else None
            entries = None
            site, slug_notes = build_site(articles, config.page_size, non_policy=config.non_policy, tz=config.tz,
                                          previous=last)
            # What the published pages read that this site changed: known from the patch, as in an update.
            moved = changed_keys(last, site, changed_ids(last, site.by_id)) if last is not None else None
            last = None
            timings["index"] = time.perf_counter() - mark
            diagnostics += slug_notes
            if strict and any(d.level == "error" for d in diagnostics):
                cache_saved()
                return BuildResult(len(articles), 0, skipped, time.perf_counter() - started, tuple(diagnostics), False,
                                   timings, cache.hits)
            forget_manifest(config)  # until the new site is in place, the old manifest describes nothing
            self._manifest = None
            self._render = _renderer(config)
            frame = _frame(config, self._render[0])
            written = self._write_new_site(site, previous, content_key, frame, timings, moved)
            cache_saved()
            result = BuildResult(len(articles), written.count, skipped, time.perf_counter() - started, tuple(diagnostics),
                                 True, timings, cache.hits, reused=written.reused)
            self._manifest = Manifest(inputs, output_identity(config.output_dir), written.records,
                                      {"articles": result.articles, "pages": written.count, "skipped": skipped},
                                      result.diagnostics, frame=frame)
            self._manifest_on_disk = False
            if self.use_cache:
                save_manifest(config, self._manifest)
                self._manifest_on_disk = True
                if self.persist_cache:
                    keep_index(last_index_path(config), index_key(inputs, content_key, config), site)
            if self.incremental:
                self._warm_up()
                self._state = BuildState(source, displays, dict(zip(displays, results)), problems, site, inputs_now,
                                         content_key, pipeline)
                self._state.dependents.sync(self._manifest.pages)  # now, not on the first save
            return result

    def _patches_last_index(self, previous: Manifest | None) -> bool:
        """Whether this build may patch the last one's kept index (generator.build.last_index):
        `digest build` over a site it built itself. The preview holds its index in memory."""
        return previous is not None and self.persist_cache and self.use_cache

    def _last_index(self, previous: Manifest, content_key: str, articles: list[Article], entries: list[Any]):
        """The Site the last build indexed, for index.build_site to patch; None: index it all."""
        kept = load_index(last_index_path(self.config), index_key(previous.inputs, content_key, self.config))
        return previous_site(kept, articles, [entry.article for entry in entries]) if kept is not None else None

    def _state_of_published_site(self, files: list[Path], problems: list[Diagnostic],
                                 inputs: InputsKey) -> BuildState | None:
        """The state `update()` needs, for a site that is already published and current (the
        preview server's first build): articles from the cache, indexed again; nothing written."""
        from generator.index import build_site

        config = self.config
        try:
            pipeline = make_pipeline(config)
        except Exception:  # noqa: BLE001 - rules or taxonomy unreadable: the next build says so
            return None
        content_key = article_cache_key(config)
        displays = display_paths(files, config.source_dir)
        results, _ = process_files(files, displays, pipeline, self._article_cache(content_key), jobs=self.jobs)
        articles = [article for article, _ in results if article is not None]
        site, _ = build_site(articles, config.page_size, non_policy=config.non_policy, tz=config.tz)
        self._render = _renderer(config)
        self._warm_up()
        return BuildState(config.source_dir, displays, dict(zip(displays, results)), problems, site, inputs,
                          content_key, pipeline)

    def update(self, paths: Iterable[Path]) -> BuildResult:
        """Apply saved, added or deleted article files to the published site in place (the
        preview server's rebuild); a full build when they cannot be applied that way."""
        state, manifest = self._state, self._manifest
        if state is None or manifest is None or not manifest.describes(self.config.output_dir):
            return self.build()
        files = changed_articles(paths, state.source, state.results)
        if files is None:
            return self.build()
        try:  # tens of thousands of short-lived objects over a large live heap: collections cost more than the update
            with collector_paused():
                result = self._update(state, manifest, files)
        except BaseException:
            self._state = self._manifest = None  # the output may be half updated: the next build is a full one
            raise
        return result if result is not None else self.build()

    def _update(self, state: BuildState, manifest: Manifest, files: dict[PurePosixPath, Path]) -> BuildResult | None:
        """The update itself; None when another build replaced the site meanwhile (then the
        state describes nothing and a full build is due)."""
        from generator.index import build_site

        config, started, clock = self.config, time.perf_counter(), time.perf_counter
        cache = self._article_cache(state.content_key)
        if self.search is not None:
            self.search.cancel()  # its index would be of the pages this update replaces
        moved = False
        for display, path in sorted(files.items()):
            state.inputs.changed(path)
            old = state.results.get(display)
            if os.path.isfile(path):
                entry = cache.lookup(str(display), path)
                if entry is not None:
                    result = (entry.article, list(entry.diagnostics))
                else:
                    article, notes, _ = process_item((str(path), str(display)), state.pipeline)
                    cache.store(str(display), path, article.digest if article else None, article, tuple(notes))
                    result = (article, notes)
                if self.keep_last_good:
                    result = self._last_good_of(display, result)
                if old is None:
                    insort(state.order, display)
                elif old[0] is result[0] and old[1] == result[1]:
                    continue
                state.results[display] = result
            elif old is not None:
                state.order.remove(display)
                del state.results[display]
                self._last_good.pop(display, None)
                cache.forget(str(display))
            else:
                continue
            moved = True
        timings = {"process": clock() - started}
        manifest.inputs = state.inputs.key
        if not moved:  # touched, or saved unchanged: only the inputs key moved
            self._manifest_on_disk = False
            if self.persist_cache and self.use_cache:
                save_manifest(config, manifest)
                self._manifest_on_disk = True
            return replace(_unchanged(manifest, False, clock() - started), in_place=True)
        mark = clock()
        articles = [result[0] for result in map(state.results.__getitem__, state.order) if result[0] is not None]
        site, slug_notes = build_site(articles, config.page_size, non_policy=config.non_policy, tz=config.tz,
                                      previous=state.site)
        timings["index"] = clock() - mark
        if self._manifest_on_disk or self.persist_cache:
            forget_manifest(config)  # until the update is complete, the saved manifest describes nothing
            self._manifest_on_disk = False
        written = self._write_in_place(state, site, manifest, timings)
        if written is None:
            self._state = self._manifest = None
            return None
        count, reused, search_due = written.count, written.reused, written.search_due
        manifest.pages = written.records
        state.dependents.sync(manifest.pages, written.remade)
        notes: list[Diagnostic] = []
        if self.search is not None and self.search.failure:
            notes.append(warning(PurePosixPath(config.output, INDEX_FOLDER), f"search index not updated: {self.search.failure}"))
        if search_due is not None and self.search is not None:
            self.search.start(config, search_due)
        state.site = site
        diagnostics = tuple(diagnostics_of(state, slug_notes) + notes)
        skipped = len(state.problems) + sum(1 for result in state.results.values() if result[0] is None)
        manifest.summary = {"articles": len(articles), "pages": count, "skipped": skipped}
        manifest.diagnostics = diagnostics
        if self.persist_cache and self.use_cache:
            cache.save()
            save_manifest(config, manifest)
            self._manifest_on_disk = True
        return BuildResult(len(articles), count, skipped, clock() - started, diagnostics, True, timings,
                           cache.hits, reused=reused, in_place=True)

    def _write_new_site(self, site, previous: Manifest | None, content_key: str, frame: str,
                        timings: dict[str, float], moved: set | None = None):
        """The whole site into a staging folder, swapped in at once: published pages that read
        nothing that moved are carried over (hard links), the rest rendered. `moved`:
        the keys that changed since the site `previous` describes (see write_outputs)."""
        config = self.config
        background = not self.persist_cache  # the preview server: old folders are removed in the background
        # `digest build` keeps the retired site to stage the next one in (StagedWriter's spare);
        # the preview's folder is scratch, rebuilt whole only on template or settings changes.
        mark = time.perf_counter()
        writer = StagedWriter(config.output_dir, background_cleanup=background, spare=not background)
        timings["stage"] = time.perf_counter() - mark
        if previous is not None and not previous.describes(config.output_dir):
            previous = None  # another build replaced the site while this one waited for the lock
        try:
            trusted = previous is not None and previous.frame == frame
            written = write_outputs(site, config, self._render, writer, previous.pages if previous else None,
                                    content_key=content_key, views=self._views if self.incremental else None,
                                    timings=timings, jobs=self.jobs,
                                    trust_deps=trusted, moved=moved,
                                    memo=self._plans if self.incremental else None)
            mark = time.perf_counter()
            writer.commit(background_cleanup=background)
            timings["commit"] = time.perf_counter() - mark
        except BaseException:
            writer.abort()
            raise
        return written

    def _write_in_place(self, state: BuildState, site, manifest: Manifest, timings: dict[str, float]):
        """The pages an edit can change, rewritten in the published site; None, writing nothing,
        when the published site is no longer the one `manifest` describes (another build
        swapped it in while this one waited for the lock)."""
        config = self.config
        from generator.index import changed_ids
        from generator.render.reader import changed_keys

        mark = time.perf_counter()
        changed = changed_keys(state.site, site, changed_ids(state.site, site.by_id))
        affected = state.dependents.readers(changed)
        timings["affected"] = time.perf_counter() - mark
        writer = InPlaceWriter(config.output_dir)
        if not manifest.describes(config.output_dir):
            writer.abort()
            return None
        try:
            written = write_outputs(site, config, self._render, writer, manifest.pages, content_key=state.content_key,
                                    views=self._views, affected=affected, memo=self._plans,
                                    index_now=False, timings=timings, jobs=self.jobs)
            writer.commit()
        except BaseException:
            writer.abort()
            raise
        return written

    def _last_good_of(self, display: PurePosixPath, result: tuple[Article | None, list[Diagnostic]]
                      ) -> tuple[Article | None, list[Diagnostic]]:
        """The preview's rule for a file that turned invalid: its last valid version stays
        published, with the new error reported (`digest build` skips such a file instead)."""
        article, notes = result
        if article is not None:
            self._last_good[display] = article
            return result
        last = self._last_good.get(display)
        return (last, notes) if last is not None else result

    def _warm_up(self) -> None:
        """Import the stages an update runs in this process (a full build ran them in forked
        workers) and compile the templates, so the first save is as quick as the next ones."""
        import generator.clean  # noqa: F401
        import generator.enrich  # noqa: F401
        import generator.load  # noqa: F401

        _, env = self._render
        for name in ("index.html", "article.html"):
            env.get_template(name)

    def _previous_manifest(self) -> Manifest | None:
        if not self.use_cache:
            return None
        manifest = self._manifest or load_manifest(self.config)
        return manifest if manifest is not None and manifest.describes(self.config.output_dir) else None

    def _article_cache(self, key: str) -> ArticleCache:
        if self._cache is not None and self._cache.key == key:
            self._cache.hits = self._cache.misses = 0
            return self._cache
        self._cache = ArticleCache.open(cache_path(self.config) if self.use_cache else None, key)
        return self._cache


def _renderer(config: SiteConfig) -> tuple[str, Any]:
    """The template key and the Jinja environment: made once per full build and kept for the
    updates after it (a template change is a full build again)."""
    from generator.render import make_environment, template_key

    return template_key(config), make_environment(config)


def _frame(config: SiteConfig, template_key: str) -> str:
    """What every page is made with besides what it reads of the site (generator.build.
    manifest.Manifest.frame): the templates and the render code, the settings."""
    return f"{template_key}\0{settings_signature(config)}"


def _unchanged(previous: Manifest, strict: bool, seconds: float) -> BuildResult:
    """The result of a build whose inputs are all as the last build left them: the same site."""
    summary, diagnostics = previous.summary, previous.diagnostics
    written = not (strict and any(d.level == "error" for d in diagnostics))
    return BuildResult(summary.get("articles", 0), 0, summary.get("skipped", 0), seconds, diagnostics, written,
                       {"total": seconds}, summary.get("articles", 0), unchanged=True)


__all__ = ["BuildResult", "Builder", "build"]
