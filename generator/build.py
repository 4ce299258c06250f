"""The pipeline: load -> clean -> enrich -> index -> plan/render -> write (one writer)."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from generator.clean import clean_doc
from generator.clean.rules import RuleSet, load_rules
from generator.config import SiteConfig
from generator.diagnostics import Diagnostic, LoadError, error, warning
from generator.enrich import enrich
from generator.enrich.taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from generator.index import build_site
from generator.load import discover, load_path
from generator.model import Article
from generator.render import documents, make_environment, plan, render, static_files
from generator.search import INDEX_FOLDER, KEY_FILE, SearchError, index_key, index_site, reusable_index
from generator.write import StagedWriter, WriteError


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The site-wide inputs every article is processed with."""

    config: SiteConfig
    rules: RuleSet
    taxonomy: Taxonomy


@dataclass(frozen=True, slots=True)
class BuildResult:
    articles: int
    pages: int
    skipped: int
    seconds: float
    diagnostics: tuple[Diagnostic, ...]
    written: bool


def make_pipeline(config: SiteConfig) -> Pipeline:
    """Read the site's rules and taxonomy files (raising RuleError/TaxonomyError with every problem)."""
    root = Path(config.root)
    rules = load_rules(root / config.rules if config.rules else None)
    taxonomy = load_taxonomy(root / config.taxonomy) if config.taxonomy else default_taxonomy()
    return Pipeline(config, rules, taxonomy)


def process_file(path: Path, display: PurePosixPath, pipeline: Pipeline) -> tuple[Article | None, list[Diagnostic]]:
    """One file through load, clean and enrich; bad input becomes one diagnostic, never a traceback."""
    try:
        raw = load_path(path, display, pipeline.config.tz)
        article = enrich(clean_doc(raw, pipeline.rules), pipeline.taxonomy,
                         summary_length=pipeline.config.summary_length)
    except LoadError as exc:
        return None, [error(display, exc.message, exc.line)]
    except RecursionError:
        return None, [error(display, "document is nested too deeply to read")]
    except Exception as exc:  # noqa: BLE001 - a bug must cost one file, not the whole build
        reason = (str(exc).splitlines() or [""])[0]
        return None, [error(display, f"internal error, please report it: {type(exc).__name__}: {reason}")]
    notes = [warning(display, w) for w in article.warnings]
    return article, notes


def build(config: SiteConfig, *, strict: bool = False,
          progress: Callable[[Iterable[Path], int], Iterable[Path]] | None = None) -> BuildResult:
    """Build the whole site into a staging folder and swap it in only when everything worked."""
    started = time.perf_counter()
    pipeline = make_pipeline(config)
    source = config.source_dir
    diagnostics: list[Diagnostic] = []
    if not source.is_dir():
        diagnostics.append(error(source, "source folder does not exist"))
        return BuildResult(0, 0, 0, time.perf_counter() - started, tuple(diagnostics), False)
    files, problems = discover(source)
    diagnostics += problems
    articles: list[Article] = []
    skipped = len(problems)
    iterator = progress(files, len(files)) if progress else files
    for path in iterator:
        display = PurePosixPath(source.name, path.relative_to(source).as_posix())
        article, notes = process_file(path, display, pipeline)
        diagnostics += notes
        if article is None:
            skipped += 1
        else:
            articles.append(article)
    site, slug_notes = build_site(articles, config.page_size, non_policy=config.non_policy, tz=config.tz)
    diagnostics += slug_notes
    if strict and any(d.level == "error" for d in diagnostics):
        return BuildResult(len(articles), 0, skipped, time.perf_counter() - started, tuple(diagnostics), False)
    pages = write_site(site, config)
    return BuildResult(len(articles), pages, skipped, time.perf_counter() - started, tuple(diagnostics), True)


def write_site(site, config: SiteConfig) -> int:
    """Render every planned page, feeds and static files through one staged writer.

    The search index is built inside the staging folder, so the site and its index
    are swapped in together or not at all.
    """
    env = make_environment(config)
    writer = StagedWriter(config.output_dir)
    try:
        count = 0
        pages_digest = hashlib.sha256()
        for rel, text in render(plan(site, config), env):
            writer.write_text(rel, text)
            pages_digest.update(f"{rel}\0{text}\0".encode("utf-8", "surrogatepass"))
            count += 1
        for document in documents(site, config):
            writer.write_bytes(document.path, document.data)
            count += 1
        for rel, path in static_files(config):
            writer.copy_file(f"static/{rel}", path)
        if config.search:
            write_search_index(writer, config, pages_digest.hexdigest())
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return count


def write_search_index(writer: StagedWriter, config: SiteConfig, pages_digest: str) -> None:
    """Run Pagefind over the staged pages, or carry the published index over when they are unchanged."""
    key = index_key(pages_digest, config.language)
    previous = reusable_index(config.output_dir, key)
    if previous is not None:
        for path in sorted(previous.rglob("*")):
            if path.is_file():
                writer.copy_file(f"{INDEX_FOLDER}/{path.relative_to(previous).as_posix()}", path)
        return
    index_site(writer.staging, config.language)
    writer.write_text(f"{INDEX_FOLDER}/{KEY_FILE}", key)


__all__ = ["BuildResult", "Pipeline", "SearchError", "WriteError", "build", "make_pipeline", "process_file"]
