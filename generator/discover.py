"""Finding the article files under the source folder (light: no loader is imported).

A no-change rebuild does little more than this and a stat of every input, so it walks
with os.scandir (one system call per folder, file types from the directory entries)
instead of pathlib's rglob.
"""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from generator.diagnostics import Diagnostic, error

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt"})


def discover(source: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Article files under `source`, sorted; hidden files and links leading outside are refused.

    Names starting with "." or "_" are skipped, folders included. Symbolic links are
    followed only when they stay inside `source` (a linked folder is never descended
    into); a link that leads outside, dangles or loops is one error naming it (as
    `<source name>/<relative path>`, the form every other diagnostic uses).
    """
    found: list[Path] = []
    problems: list[tuple[str, Diagnostic]] = []
    root = source.resolve()
    pending = [(source, ())]
    while pending:
        folder, rel_parts = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")):
                continue
            parts = rel_parts + (name,)
            path = Path(entry.path)
            suffix = os.path.splitext(name)[1].lower()
            is_article = suffix in ARTICLE_SUFFIXES
            rel = "/".join(parts)
            if is_article and _undecodable(rel):
                shown = os.fsencode(f"{source.name}/{rel}").decode("utf-8", "backslashreplace")
                problems.append((rel, error(shown, "file name is not valid UTF-8; rename the file")))
                continue
            if entry.is_symlink():
                problem = _link_problem(path, root)
                if problem and (is_article or _is_dir(entry)):
                    problems.append((rel, error(PurePosixPath(source.name, rel), problem)))
                    continue
                if is_article and entry.is_file():
                    found.append(path)
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((path, parts))
            elif is_article and entry.is_file(follow_symlinks=False):
                found.append(path)
    found.sort()
    problems.sort(key=lambda item: item[0])
    return found, [d for _, d in problems]


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _undecodable(name: str) -> bool:
    """A name whose bytes are not UTF-8 (Python keeps them as lone surrogates) cannot be a URL or message."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _link_problem(path: Path, root: Path) -> str | None:
    """Why a symbolic link cannot be read as part of the source folder, or None if it can."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "broken symbolic link (its target does not exist); skipped"
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on Python < 3.13
        return "symbolic link loops or cannot be followed; skipped"
    if not target.is_relative_to(root):
        return "symbolic link points outside the source folder; skipped"
    return None
