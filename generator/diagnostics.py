"""Diagnostics: one message per problem, naming the file (and line) and the reason."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from generator.pickled import quick_pickle


@quick_pickle
@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int | None
    level: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"


class SettingsFileError(Exception):
    """A site's rules or taxonomy file cannot be used (generator.clean.rules.RuleError,
    generator.enrich.taxonomy.TaxonomyError); `problems` lists every reason. Defined here, a
    module with no stage behind it, so `digest build` can catch it without importing the stages
    a no-change build never needs."""

    problems: list[str]


class LoadError(Exception):
    """A file that cannot become an article; carries the line where it is known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def error(path: PurePath | str, message: str, line: int | None = None) -> Diagnostic:
    return Diagnostic(str(path), line, "error", message)


def warning(path: PurePath | str, message: str, line: int | None = None) -> Diagnostic:
    return Diagnostic(str(path), line, "warning", message)
