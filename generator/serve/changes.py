"""What changed: file-system paths sorted into content / template / static / config.

`WatchPlan` is derived from a SiteConfig: which folders to watch, which paths to ignore
(the output folder, the writer's staging folders, caches, editor temp files) and what
kind of change a path is. `ChangeSet` is what a rebuild is told.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from generator.config import SiteConfig
from generator.inputs import settings_files, theme_places

KINDS = ("content", "template", "static", "config")

# Folder and file names that never matter to a build.
_IGNORED_NAMES = frozenset({".cache", ".git", ".hg", ".svn", "__pycache__", ".DS_Store", ".idea", ".vscode",
                            "node_modules", "4913"})
# Editor temp / backup / lock files: vim (.swp .swo .swx, 4913, foo~), emacs (.#foo, #foo#),
# JetBrains safe-write, gedit, LibreOffice.
_IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".swpx", "~", ".tmp", ".part", "___jb_tmp___", "___jb_old___")
_IGNORED_PREFIXES = (".#", ".goutputstream-", ".~lock.")


def is_editor_temp(name: str) -> bool:
    return (name in _IGNORED_NAMES or name.endswith(_IGNORED_SUFFIXES) or name.startswith(_IGNORED_PREFIXES)
            or (name.startswith("#") and name.endswith("#")))


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Paths that changed since the last rebuild, by kind. `full` asks for a rebuild of everything."""

    content: frozenset[Path] = frozenset()
    templates: frozenset[Path] = frozenset()
    static: frozenset[Path] = frozenset()
    config: frozenset[Path] = frozenset()
    full: bool = False

    @classmethod
    def of(cls, kind: str, *paths: Path) -> ChangeSet:
        key = {"content": "content", "template": "templates", "static": "static", "config": "config"}[kind]
        return cls(**{key: frozenset(paths)})

    @classmethod
    def everything(cls) -> ChangeSet:
        return cls(full=True)

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(self.content | other.content, self.templates | other.templates, self.static | other.static,
                         self.config | other.config, self.full or other.full)

    def __bool__(self) -> bool:
        return self.full or bool(self.content or self.templates or self.static or self.config)

    def __len__(self) -> int:
        return len(self.content) + len(self.templates) + len(self.static) + len(self.config)

    @property
    def kinds(self) -> frozenset[str]:
        present = {"content": self.content, "template": self.templates, "static": self.static, "config": self.config}
        return frozenset(kind for kind, paths in present.items() if paths)

    def describe(self, root: Path | None = None) -> str:
        """'content: a.md, b.md; template: base.html' (at most three names per kind)."""
        if self.full and not len(self):
            return "full build"
        parts = []
        for kind, paths in (("content", self.content), ("template", self.templates), ("static", self.static),
                            ("config", self.config)):
            if not paths:
                continue
            names = sorted(_display(p, root) for p in paths)
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            parts.append(f"{kind}: {shown}")
        return "; ".join(parts)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


@dataclass(frozen=True)
class WatchPlan:
    """The folders and files a site's build reads, and how a changed path is classified."""

    root: Path
    output: Path
    content: Path
    templates: tuple[Path, ...]
    static: tuple[Path, ...]
    themes: tuple[Path, ...]
    config_files: frozenset[Path]

    @classmethod
    def for_config(cls, config: SiteConfig, config_path: Path | None = None) -> WatchPlan:
        root = _real(Path(config.root))
        files = {_real(path) for path in settings_files(config)}  # what the build reads (generator.inputs)
        if config_path is not None:
            files.add(_real(config_path))
        themes: list[Path] = []
        for place in map(_real, theme_places(config)):  # a theme made in the site's themes/ replaces the bundled one
            if place not in themes:
                themes.append(place)
        return cls(root=root, output=_real(config.output_dir), content=_real(config.source_dir),
                   templates=(root / "templates",), static=(root / "static",), themes=tuple(themes),
                   config_files=frozenset(files))

    def watch_dirs(self) -> dict[Path, bool]:
        """Folders to watch -> recursive? Missing folders are watched through their parent."""
        wanted: dict[Path, bool] = {}
        for folder in (self.content, *self.templates, *self.static, *self.themes):
            if folder.is_dir():
                wanted[folder] = True
            elif folder.parent.is_dir():
                wanted.setdefault(folder.parent, False)
        for path in self.config_files:
            if path.parent.is_dir():
                wanted.setdefault(path.parent, False)
        # A folder inside a recursively watched one needs no watch of its own.
        recursive = [d for d, r in wanted.items() if r]
        return {d: r for d, r in wanted.items()
                if not any(d != other and d.is_relative_to(other) for other in recursive)}

    def is_ignored(self, path: Path) -> bool:
        if path == self.output or path.is_relative_to(self.output):
            return True
        out = self.output.name
        for part in self._inner_parts(path):
            if part.startswith(f".{out}.") or is_editor_temp(part):  # the writer's staging / previous folders
                return True
        return False

    def _inner_parts(self, path: Path) -> tuple[str, ...]:
        """The parts of `path` below the outermost watched folder holding it (the site root usually),
        so a site that itself lives under e.g. ~/.cache/ is not ignored whole."""
        bases = [b for b in (self.root, self.content, *self.templates, *self.static, *self.themes)
                 if path.is_relative_to(b)]
        if not bases:
            return path.parts
        return path.relative_to(min(bases, key=lambda b: len(b.parts))).parts

    def classify(self, path: Path) -> str | None:
        """'content', 'template', 'static', 'config' or None (not read by the build, or ignored).

        The innermost watched folder decides, so templates/ is 'template' even when the
        articles folder is the site folder itself."""
        if self.is_ignored(path):
            return None
        if path in self.config_files:
            return "config"
        best: tuple[int, str] | None = None
        folders = [(self.content, "content"), *((f, "template") for f in self.templates),
                   *((f, "static") for f in self.static), *((f, "theme") for f in self.themes)]
        for folder, kind in folders:
            if (path == folder or path.is_relative_to(folder)) and (best is None or len(folder.parts) > best[0]):
                if kind == "theme":
                    kind = "static" if "static" in path.relative_to(folder).parts else "template"
                best = (len(folder.parts), kind)
        return best[1] if best else None

    def changes(self, paths: Iterable[Path]) -> ChangeSet:
        result = ChangeSet()
        for path in paths:
            kind = self.classify(path)
            if kind is not None:
                result = result | ChangeSet.of(kind, path)
        return result
