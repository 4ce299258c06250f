"""The pipeline: load -> clean -> enrich -> index -> plan/render -> write (one writer)."""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import time
from bisect import insort
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable

from typing import TYPE_CHECKING

from generator.cache import ArticleCache, pipeline_key
from generator.config import SiteConfig
from generator.diagnostics import Diagnostic, LoadError, error, warning
from generator.discover import discover
from generator.manifest import InputsKey, Manifest, forget_manifest, load_manifest, output_identity, save_manifest
from generator.model import Article
from generator.search import INDEX_FOLDER, KEY_FILE, SearchError, index_key, index_site, reusable_index
from generator.themes import theme_dirs
from generator.parallel_render import render_pages
from generator.update import BuildState, SearchRefresher, classify, diagnostics_of, write_update
from generator.write import StagedWriter, WriteError, holds

if TYPE_CHECKING:
    from generator.clean.rules import RuleSet
    from generator.enrich.taxonomy import Taxonomy

# The stages themselves (jinja2, lxml, nh3, the taxonomy automaton ...) are imported when a
# build has work to do: a no-change rebuild needs none of them.


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The site-wide inputs every article is processed with."""

    config: SiteConfig
    rules: "RuleSet"
    taxonomy: "Taxonomy"


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


def make_pipeline(config: SiteConfig) -> Pipeline:
    """Read the site's rules and taxonomy files (raising RuleError/TaxonomyError with every problem)."""
    from generator.clean.rules import load_rules
    from generator.enrich.taxonomy import default_taxonomy, load_taxonomy

    root = Path(config.root)
    rules = load_rules(root / config.rules if config.rules else None)
    taxonomy = load_taxonomy(root / config.taxonomy) if config.taxonomy else default_taxonomy()
    return Pipeline(config, rules, taxonomy)


STAGES = ("load", "clean", "enrich")


def process_file(path: Path, display: PurePosixPath, pipeline: Pipeline,
                 times: dict[str, float] | None = None) -> tuple[Article | None, list[Diagnostic]]:
    """One file through load, clean and enrich; bad input becomes one diagnostic, never a traceback.

    `times` (when given) accumulates the seconds spent in each stage, for the benchmark.
    """
    from generator.clean import clean_doc
    from generator.enrich import enrich
    from generator.load import load_path

    clock = time.perf_counter
    try:
        t0 = clock()
        raw = load_path(path, display, pipeline.config.tz)
        t1 = clock()
        clean = clean_doc(raw, pipeline.rules)
        t2 = clock()
        article = enrich(clean, pipeline.taxonomy, summary_length=pipeline.config.summary_length)
        t3 = clock()
    except LoadError as exc:
        return None, [error(display, exc.message, exc.line)]
    except RecursionError:
        return None, [error(display, "document is nested too deeply to read")]
    except Exception as exc:  # noqa: BLE001 - a bug must cost one file, not the whole build
        reason = (str(exc).splitlines() or [""])[0]
        return None, [error(display, f"internal error, please report it: {type(exc).__name__}: {reason}")]
    if times is not None:
        times["load"] += t1 - t0
        times["clean"] += t2 - t1
        times["enrich"] += t3 - t2
    notes = [warning(display, w) for w in article.warnings]
    return article, notes


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
    save). With `incremental=True` it also keeps what `update()` needs (see generator.update);
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
        self._views: dict = {}  # article views of the last build, reused while the article and its links are the same
        self._state: BuildState | None = None
        self._render: tuple[str, Any] | None = None  # (template key, Jinja environment) of the last full build
        self.search = SearchRefresher() if incremental else None

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
        diagnostics: list[Diagnostic] = []
        if not source.is_dir():
            diagnostics.append(error(source, "source folder does not exist"))
            return BuildResult(0, 0, 0, time.perf_counter() - started, tuple(diagnostics), False)
        files, problems = discover(source)
        diagnostics += problems
        inputs_now = InputsKey.of(config, files, theme_dirs(config)[0])
        inputs = inputs_now.key
        previous = self._previous_manifest()
        if previous is not None and previous.inputs == inputs:
            if self.incremental and self._state is None:
                self._state = self._state_of_published_site(files, problems, inputs_now)
                if self._manifest is None:
                    self._manifest, self._manifest_on_disk = previous, True
            return _unchanged(previous, strict, time.perf_counter() - started)
        from generator.index import build_site

        self._state = None
        if self.search is not None:
            self.search.cancel()  # this build indexes its own pages
        pipeline = make_pipeline(config)
        content_key = article_cache_key(config)
        cache = self._article_cache(content_key)
        mark = time.perf_counter()
        displays = _displays(files, source)
        results, stage_times = process_files(files, displays, pipeline, cache, jobs=self.jobs, progress=progress)
        if self.keep_last_good:
            results = [self._last_good_of(display, result) for display, result in zip(displays, results)]
        timings["process"] = time.perf_counter() - mark
        timings.update(stage_times)
        articles: list[Article] = []
        skipped = len(problems)
        for article, notes in results:
            diagnostics += notes
            if article is None:
                skipped += 1
            else:
                articles.append(article)
        mark = time.perf_counter()
        site, slug_notes = build_site(articles, config.page_size, non_policy=config.non_policy, tz=config.tz)
        timings["index"] = time.perf_counter() - mark
        diagnostics += slug_notes
        if strict and any(d.level == "error" for d in diagnostics):
            return BuildResult(len(articles), 0, skipped, time.perf_counter() - started, tuple(diagnostics), False,
                               timings, cache.hits)
        forget_manifest(config)  # until the new site is in place, the old manifest describes nothing
        self._manifest = None
        self._render = _renderer(config)
        written = write_site(site, config, self._render, timings, jobs=self.jobs, previous=previous,
                             content_key=content_key, view_cache=self._views,
                             background_cleanup=not self.persist_cache)
        if self.persist_cache and self.use_cache:
            cache.save()
        result = BuildResult(len(articles), written.count, skipped, time.perf_counter() - started, tuple(diagnostics),
                             True, timings, cache.hits, reused=written.reused)
        self._manifest = Manifest(inputs, output_identity(config.output_dir), written.records,
                                  {"articles": result.articles, "pages": written.count, "skipped": skipped},
                                  result.diagnostics)
        self._manifest_on_disk = False
        if self.use_cache:
            save_manifest(config, self._manifest)
            self._manifest_on_disk = True
        if self.incremental:
            self._warm_up()
            self._state = BuildState(source, displays, dict(zip(displays, results)), problems, site, written.pages,
                                     written.documents, inputs_now, content_key, pipeline)
        return result

    def _state_of_published_site(self, files: list[Path], problems: list[Diagnostic],
                                 inputs: InputsKey) -> BuildState | None:
        """The state `update()` needs, for a site that is already published and current (the
        preview server's first build): articles from the cache, indexed again; nothing written."""
        from generator.index import build_site
        from generator.render import document_paths, page_plans

        config = self.config
        try:
            pipeline = make_pipeline(config)
        except Exception:  # noqa: BLE001 - rules or taxonomy unreadable: the next build says so
            return None
        content_key = article_cache_key(config)
        displays = _displays(files, config.source_dir)
        results, _ = process_files(files, displays, pipeline, self._article_cache(content_key), jobs=self.jobs)
        articles = [article for article, _ in results if article is not None]
        site, _ = build_site(articles, config.page_size, non_policy=config.non_policy, tz=config.tz)
        pages = {page.path for page in page_plans(site, config, content_key, self._views)}
        self._render = _renderer(config)
        self._warm_up()
        return BuildState(config.source_dir, displays, dict(zip(displays, results)), problems, site, pages,
                          set(document_paths(site)), inputs, content_key, pipeline)

    def update(self, paths: Iterable[Path]) -> BuildResult:
        """Apply saved, added or deleted article files to the published site in place (the
        preview server's rebuild); a full build when they cannot be applied that way."""
        state, manifest = self._state, self._manifest
        if state is None or manifest is None or not manifest.describes(self.config.output_dir):
            return self.build()
        files = classify(paths, state.source, state.results)
        if files is None:
            return self.build()
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of short-lived objects over a large live heap: collections cost more than the update
        try:
            result = self._update(state, manifest, files)
        except BaseException:
            self._state = self._manifest = None  # the output may be half updated: the next build is a full one
            raise
        finally:
            if collecting:
                gc.enable()
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
                    article, notes, _ = _process_one((str(path), str(display)), state.pipeline)
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
        written = write_update(state, site, manifest, config, self._render, self._views, timings, jobs=self.jobs)
        if written is None:
            self._state = self._manifest = None
            return None
        count, reused, search_key = written
        notes: list[Diagnostic] = []
        if self.search is not None and self.search.failure:
            notes.append(warning(PurePosixPath(config.output, INDEX_FOLDER), f"search index not updated: {self.search.failure}"))
        if search_key is not None and self.search is not None:
            self.search.start(config, search_key)
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


def _displays(files: list[Path], source: Path) -> list[PurePosixPath]:
    """The path every diagnostic and cache entry names a file by: `<source name>/<relative path>`."""
    return [PurePosixPath(source.name, path.relative_to(source).as_posix()) for path in files]


def _unchanged(previous: Manifest, strict: bool, seconds: float) -> BuildResult:
    """The result of a build whose inputs are all as the last build left them: the same site."""
    summary, diagnostics = previous.summary, previous.diagnostics
    written = not (strict and any(d.level == "error" for d in diagnostics))
    return BuildResult(summary.get("articles", 0), 0, summary.get("skipped", 0), seconds, diagnostics, written,
                       {"total": seconds}, summary.get("articles", 0), unchanged=True)


def cache_path(config: SiteConfig) -> Path:
    return Path(config.root) / ".cache" / "digest" / f"articles-{_safe_name(config.source)}.pickle"


def _safe_name(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def article_cache_key(config: SiteConfig) -> str:
    """Everything besides the file itself that decides what an article becomes."""
    root = Path(config.root)

    def content(rel: str) -> str:
        if not rel:
            return ""
        try:
            return hashlib.sha256((root / rel).read_bytes()).hexdigest()
        except OSError:
            return "unreadable"
    return pipeline_key(content(config.rules), content(config.taxonomy), config.timezone, config.summary_length)


# The pipeline of the current build, inherited by forked workers (never pickled per item).
_WORKER_PIPELINE: Pipeline | None = None
PARALLEL_MIN_FILES = 64
CHUNK = 32


def process_files(files: list[Path], displays: list[PurePosixPath], pipeline: Pipeline, cache: ArticleCache, *,
                  jobs: int | None = None, progress=None) -> tuple[list[tuple[Article | None, list[Diagnostic]]], dict[str, float]]:
    """Every file's (article, diagnostics) in file order (`displays`: how each is named): from
    the cache, or processed in parallel."""
    global _WORKER_PIPELINE
    results: list[tuple[Article | None, list[Diagnostic]] | None] = [None] * len(files)
    todo: list[int] = []
    for i, path in enumerate(files):
        entry = cache.lookup(str(displays[i]), path)
        if entry is None:
            todo.append(i)
        else:
            results[i] = (entry.article, list(entry.diagnostics))
    times = {stage: 0.0 for stage in STAGES}
    workers = min(jobs or os.cpu_count() or 1, max(1, len(todo) // PARALLEL_MIN_FILES))
    items = [(str(files[i]), str(displays[i])) for i in todo]
    if workers > 1:
        _WORKER_PIPELINE = pipeline
        try:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                chunks = [items[n:n + CHUNK] for n in range(0, len(items), CHUNK)]
                done = pool.imap(_process_chunk, chunks)
                processed = [r for chunk in _progress(done, len(chunks), progress) for r in chunk]
        finally:
            _WORKER_PIPELINE = None
    else:
        processed = [_process_one(item, pipeline) for item in _progress(items, len(items), progress)]
    for i, (article, notes, spent) in zip(todo, processed):
        results[i] = (article, notes)
        for stage in STAGES:
            times[stage] += spent.get(stage, 0.0)
        cache.store(str(displays[i]), files[i], article.digest if article else None, article, tuple(notes))
    cache.keep_only({str(d) for d in displays})
    return [r for r in results if r is not None], times


def _progress(iterable, total: int, progress):
    return progress(iterable, total) if progress else iterable


def _process_one(item: tuple[str, str], pipeline: Pipeline):
    """One file for the build: its article with dates already in the site's time zone (so the
    cached article is the one the index uses, and unchanged articles stay the same objects)."""
    from generator.index import in_zone

    times = {stage: 0.0 for stage in STAGES}
    article, notes = process_file(Path(item[0]), PurePosixPath(item[1]), pipeline, times)
    if article is not None:
        article = in_zone(article, pipeline.config.tz)
    return article, notes, times


def _process_chunk(items: list[tuple[str, str]]):
    assert _WORKER_PIPELINE is not None
    return [_process_one(item, _WORKER_PIPELINE) for item in items]


@dataclass(frozen=True, slots=True)
class Written:
    """What `write_site` put in place."""

    count: int  # files written (not reused)
    reused: int  # pages kept because nothing they show changed
    records: dict[str, tuple[str, str]]  # page or feed path -> (fingerprint, sha256 of the bytes or "")
    pages: set[str]  # templated pages
    documents: set[str]  # feeds, sitemap, chart, robots.txt


def write_site(site, config: SiteConfig, renderer: tuple[str, Any], timings: dict[str, float] | None = None, *,
               jobs: int | None = None,
               previous: Manifest | None = None, content_key: str = "", view_cache: dict | None = None,
               background_cleanup: bool = False) -> Written:
    """Render every planned page, feeds and static files through one staged writer.

    A page whose fingerprint matches the previous build's is not rendered: its published
    file is hard-linked into the staging folder (its bytes are not rewritten). The rest
    are rendered by forked workers that share the planned site (nothing is pickled per
    page). The search index is built inside the staging folder too, so the site and its
    index are swapped in together or not at all.

    """
    from generator.render import LazyDocument, context_fingerprint, documents, plan, static_files

    timings = timings if timings is not None else {}
    clock = time.perf_counter
    key, env = renderer
    writer = StagedWriter(config.output_dir, background_cleanup=background_cleanup)
    if previous is not None and not previous.describes(config.output_dir):
        previous = None  # another build replaced the site while this one waited for the lock
    try:
        mark = clock()
        specs = plan(site, config, content_key, view_cache)
        targets = [writer.reserve(spec.path) for spec in specs]  # refuses unsafe and duplicate paths
        timings["plan"] = clock() - mark
        mark = clock()
        fingerprints = [context_fingerprint(key, spec.template, spec.context) for spec in specs]
        digests: list[str | None] = [None] * len(specs)
        todo = []
        for i, spec in enumerate(specs):
            old = previous.pages.get(spec.path) if previous else None
            if old and old[0] == fingerprints[i] and _reuse(config.output_dir / spec.path, targets[i]):
                digests[i] = old[1]
            else:
                todo.append(i)
        timings["fingerprint"] = clock() - mark
        mark = clock()
        for i, digest in zip(todo, render_pages(specs, targets, env, todo, jobs)):
            digests[i] = digest
        timings["render"] = clock() - mark
        mark = clock()
        count = len(todo)
        documents_kept: dict[str, tuple[str, str]] = {}
        document_paths: set[str] = set()
        for document in documents(site, config, content_key):
            document_paths.add(document.path)
            published, target = config.output_dir / document.path, writer.reserve(document.path)
            if isinstance(document, LazyDocument):
                documents_kept[document.path] = (document.fingerprint, "")
                old = previous.pages.get(document.path) if previous else None
                if old and old[0] == document.fingerprint and _reuse(published, target):
                    continue
                data = document.produce()
            else:
                data = document.data
            _keep_or_write(published, target, data, document.path)
            count += 1
        for rel, path in static_files(config):
            _keep_or_write(config.output_dir / "static" / rel, writer.reserve(f"static/{rel}"),
                           _read(path), f"static/{rel}")
        timings["feeds"] = clock() - mark
        if config.search:
            mark = clock()
            write_search_index(writer, config, index_key(((s.path, d or "") for s, d in zip(specs, digests)),
                                                         config.language))
            timings["search"] = clock() - mark
        mark = clock()
        writer.commit(background_cleanup=background_cleanup)
        timings["commit"] = clock() - mark
    except BaseException:
        writer.abort()
        raise
    records = {**documents_kept, **{spec.path: (fingerprints[i], digests[i] or "") for i, spec in enumerate(specs)}}
    return Written(count, len(specs) - len(todo), records, {spec.path for spec in specs}, document_paths)


def _reuse(published: Path, target: Path) -> bool:
    """Hard-link an unchanged published page into the staging folder (False: render it instead)."""
    try:
        os.link(published, target)
        return True
    except OSError:
        return False


def _keep_or_write(published: Path, target: Path, data: bytes, rel: str) -> None:
    """Keep the published file (same inode, same mtime: deploy tools that sync by mtime skip it)
    when its bytes are exactly `data`; otherwise write `data` to the reserved target."""
    if holds(published, data) and _reuse(published, target):
        return
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise WriteError(f"cannot write {rel}: {exc.strerror or exc}") from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WriteError(f"cannot read {path}: {exc.strerror or exc}") from None


def write_search_index(writer: StagedWriter, config: SiteConfig, key: str) -> None:
    """Run Pagefind over the staged pages, or carry the published index over when it was made
    from the same pages (`key`)."""
    previous = reusable_index(config.output_dir, key)
    if previous is not None:
        for path in sorted(previous.rglob("*")):
            if path.is_file():
                writer.copy_file(f"{INDEX_FOLDER}/{path.relative_to(previous).as_posix()}", path)
        return
    index_site(writer.staging, config.language)
    writer.write_text(f"{INDEX_FOLDER}/{KEY_FILE}", key)


__all__ = ["BuildResult", "Pipeline", "SearchError", "WriteError", "build", "make_pipeline", "process_file"]
