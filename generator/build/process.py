"""Files through the article stages: load -> clean -> enrich, from the cache when unchanged.

Pure per file (one file's bad input is one diagnostic, never a traceback); spread over the
cores by the one fork pool (generator.build.workers).
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable, Iterable

from generator.build.cache import ArticleCache, pipeline_key
from generator.build.workers import fork_map, worker_count
from generator.config import SiteConfig
from generator.diagnostics import Diagnostic, LoadError, error, warning
from generator.model import Article

if TYPE_CHECKING:
    from generator.clean.rules import RuleSet
    from generator.enrich.taxonomy import Taxonomy

STAGES = ("load", "clean", "enrich")
PARALLEL_MIN_FILES = 64  # files per worker below which forking costs more than it saves
CHUNK = 32

Result = tuple[Article | None, list[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The site-wide inputs every article is processed with."""

    config: SiteConfig
    rules: "RuleSet"
    taxonomy: "Taxonomy"


def make_pipeline(config: SiteConfig) -> Pipeline:
    """Read the site's rules and taxonomy files (raising RuleError/TaxonomyError with every problem)."""
    from generator.clean.rules import load_rules
    from generator.enrich.subjects import default_subjects
    from generator.enrich.taxonomy import default_taxonomy, load_taxonomy

    default_subjects()  # made here, once, before the workers fork: not once in every worker (0.14 s each)
    root = Path(config.root)
    rules = load_rules(root / config.rules if config.rules else None)
    taxonomy = load_taxonomy(root / config.taxonomy) if config.taxonomy else default_taxonomy()
    return Pipeline(config, rules, taxonomy)


def process_file(path: Path, display: PurePosixPath, pipeline: Pipeline,
                 times: dict[str, float] | None = None) -> Result:
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


def process_files(files: list[Path], displays: list[PurePosixPath], pipeline: Pipeline, cache: ArticleCache, *,
                  jobs: int | None = None, progress: Callable[[Iterable, int], Iterable] | None = None,
                  keep: Callable[[Article], Article] | None = None) -> tuple[list[Result], dict[str, float]]:
    """Every file's (article, diagnostics) in file order (`displays`: how each is named): from
    the cache, or processed over the cores; the cache learns the new results. `keep(article)`
    replaces every article, cached or new, as it arrives (a one-shot build's BodySpill.keep)."""
    results: list[Result | None] = [None] * len(files)
    todo: list[int] = []
    for i, path in enumerate(files):
        entry = cache.lookup(str(displays[i]), path)
        if entry is None:
            todo.append(i)
        else:
            if keep is not None and entry.article is not None:
                entry.article = keep(entry.article)
            results[i] = (entry.article, list(entry.diagnostics))

    def arrived(result: tuple) -> tuple:
        article, notes, spent = result
        return (keep(article) if article is not None else None), notes, spent

    items = [(str(files[i]), str(displays[i])) for i in todo]
    processed = fork_map(process_item, items, pipeline, workers=worker_count(len(todo), PARALLEL_MIN_FILES, jobs),
                         chunk=CHUNK, progress=progress, receive=arrived if keep is not None else None)
    times = {stage: 0.0 for stage in STAGES}
    for i, (article, notes, spent) in zip(todo, processed):
        results[i] = (article, notes)
        for stage in STAGES:
            times[stage] += spent.get(stage, 0.0)
        cache.store(str(displays[i]), files[i], article.digest if article else None, article, tuple(notes))
    cache.keep_only({str(d) for d in displays})
    return [r for r in results if r is not None], times


def process_item(item: tuple[str, str], pipeline: Pipeline):
    """One file for the build: its article with dates already in the site's time zone (so the
    cached article is the one the index uses, and unchanged articles stay the same objects)."""
    from generator.index import in_zone

    times = {stage: 0.0 for stage in STAGES}
    article, notes = process_file(Path(item[0]), PurePosixPath(item[1]), pipeline, times)
    if article is not None:
        article = in_zone(article, pipeline.config.tz)
    return article, notes, times


def display_paths(files: list[Path], source: Path) -> list[PurePosixPath]:
    """The path every diagnostic and cache entry names a file by: `<source name>/<relative path>`."""
    return [PurePosixPath(source.name, path.relative_to(source).as_posix()) for path in files]


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
