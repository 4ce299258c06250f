"""The seam between watching and building: `Rebuilder.rebuild(changes) -> BuildResult`.

`PreviewRebuilder` keeps one Builder alive: saved article files are applied in place
(`Builder.update`), anything else is a build of the whole site (re-reading site.toml
when a config file changed).
"""
from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Callable, Protocol

from generator.build import Builder, BuildResult
from generator.config import SiteConfig
from generator.diagnostics import Diagnostic, error
from generator.serve.changes import ChangeSet


class Rebuilder(Protocol):
    """Builds the site after `changes`; raises when nothing could be written (the old site stays)."""

    @property
    def config(self) -> SiteConfig:
        """The configuration the last rebuild used (the watcher follows its folders)."""
        ...

    def rebuild(self, changes: ChangeSet) -> BuildResult:
        ...

    def close(self) -> None:
        """The preview stops: persist whatever the rebuilder keeps in memory."""
        ...


class PreviewRebuilder:
    """Rebuilds through one long-lived `generator.build.Builder`, which keeps its article cache
    and the last build's state in memory: a change to article files only is applied in
    place to the pages it can affect, and the search index follows in the background; a
    template, static or config change (or a change the builder cannot place) is a build of
    the whole site, skipped when no input changed.

    `load` re-reads the configuration (site.toml plus command-line overrides); it is called
    when a config file changed, and again on every rebuild after a reload failed, so a
    broken site.toml is never silently replaced by the old one.
    """

    def __init__(self, load: Callable[[], SiteConfig], config: SiteConfig | None = None) -> None:
        self._load = load
        self._config = config
        self._stale = config is None
        self._builder: Builder | None = None

    @property
    def config(self) -> SiteConfig:
        if self._config is None:
            self._config = self._load()
            self._stale = False
        return self._config

    def rebuild(self, changes: ChangeSet) -> BuildResult:
        if self._stale or changes.config:
            self._stale = True
            self._config = self._load()
            self._stale = False
        if self._builder is None or self._builder.config != self.config:
            self.close()
            self._builder = Builder(self.config, persist_cache=False, incremental=True, keep_last_good=True)
        if changes.content and not (changes.full or changes.templates or changes.static or changes.config):
            return self._builder.update(changes.content)
        return self._builder.build()

    def close(self) -> None:
        """Write the article cache and the manifest (kept in memory while serving) to disk."""
        if self._builder is not None:
            builder, self._builder = self._builder, None
            builder.close()


_LOCATED = re.compile(r"^(?P<path>[^\n]+?\.(?:toml|md|markdown|html?|txt|xml|css|js|json)):(?:(?P<line>\d+):)? ?(?P<message>.*)$",
                      re.S)
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def failure_diagnostics(exc: BaseException, root: Path) -> list[Diagnostic]:
    """A rebuild that raised, as `path:line: reason` entries for the overlay."""
    root = root.resolve()

    def rel(path: str) -> str:
        try:
            return Path(path).resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            return path

    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return [error(rel(exc.filename or exc.name or "template"), exc.message or str(exc), exc.lineno)]
    problems = getattr(exc, "problems", None)
    if isinstance(problems, list) and problems:
        found = []
        for problem in problems:
            match = _LOCATED.match(str(problem))
            if match is None:
                found.append(error("site", str(problem)))
                continue
            message = match["message"]
            line = int(match["line"]) if match["line"] else None
            toml_line = _TOML_LINE.search(message)
            if line is None and toml_line:
                line = int(toml_line.group(1))
            found.append(error(rel(match["path"]), message, line))
        return found
    where = _template_frame(exc)
    if where is not None:
        return [error(rel(where[0]), f"{type(exc).__name__}: {exc}", where[1])]
    text = str(exc) or type(exc).__name__
    match = _LOCATED.match(text)
    if match is not None:
        return [error(rel(match["path"]), match["message"], int(match["line"]) if match["line"] else None)]
    return [error("build", f"{type(exc).__name__}: {text}")]


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """Jinja2 rewrites tracebacks so that template lines appear as frames: the innermost one."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".htm", ".xml", ".j2", ".jinja", ".txt")) and frame.lineno:
            return frame.filename, frame.lineno
    return None


def result_errors(result: BuildResult) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.level == "error"]
