"""What a site reads, defined once: discovery, the inputs key, the template key, the static
files and the preview's watcher all take their folders and files from `SiteInputs`.

Light on purpose: the no-change check imports it before any stage or renderer.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Container, Iterable

from generator.config import SiteConfig
from generator.discover import ARTICLE_SUFFIXES

_HERE = Path(__file__).resolve().parent

# More changed files than this: a full build (it processes files over every core).
MAX_FILES = 32


def bundled_themes_dir() -> Path:
    """The folder holding the themes shipped with digest (default/, ...).

    They are edited in the checkout's top-level themes/ folder, which is where a checkout or an
    editable install reads them; a wheel carries that folder as the package data of
    `generator._themes` (pyproject.toml maps it), i.e. site-packages/generator/_themes/."""
    packaged = _HERE / "_themes"
    return packaged if packaged.is_dir() else _HERE.parent / "themes"


@dataclass(frozen=True, slots=True)
class SiteInputs:
    """Every folder and file a build of one site reads besides the code."""

    root: Path
    source: Path  # the articles
    theme: Path  # the theme in use: the site's themes/<name>, else the bundled one
    theme_places: tuple[Path, ...]  # where themes are looked for (a theme made there changes `theme`)
    templates: tuple[Path, ...]  # in lookup order: the site's own templates/, then the theme's
    static: tuple[Path, ...]  # in override order: the theme's static/, then the site's own
    settings: tuple[Path, ...]  # site.toml, the cleaning rules and the taxonomy files

    @classmethod
    def of(cls, config: SiteConfig) -> "SiteInputs":
        root, places = Path(config.root), theme_places(config)
        theme = next((place / config.theme for place in places if (place / config.theme / "templates").is_dir()), None)
        if theme is None:
            raise FileNotFoundError(f"theme {config.theme!r} not found (looked in {places[0]} and {places[1]})")
        return cls(root, config.source_dir, theme, places, (root / "templates", theme / "templates"),
                   (theme / "static", root / "static"), settings_files(config))

    def static_files(self) -> list[tuple[str, Path]]:
        """Theme static files, overridden file by file by the site's own static/ folder."""
        return sorted(files_in_effect(self.static).items())

    def keyed_files(self, articles: list[Path]) -> list[Path]:
        """What the inputs key hashes: the articles, the rules and taxonomy files, and every file
        of the theme and of the site's templates/ and static/ (site.toml is in the config)."""
        folders = (self.theme, self.root / "templates", self.root / "static")
        return articles + list(self.settings[1:]) + [p for folder in folders if folder.is_dir()
                                                     for p in sorted(folder.rglob("*"))]


def files_in_effect(folders: Iterable[Path]) -> dict[str, Path]:
    """{relative path: file} over `folders` in override order (a later folder's file replaces
    an earlier one's of the same relative path); hidden files and missing folders left out."""
    chosen: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    chosen[path.relative_to(folder).as_posix()] = path
    return chosen


def theme_places(config: SiteConfig) -> tuple[Path, Path]:
    """Where a theme is looked for, in order: the site's themes/, then the bundled themes."""
    return Path(config.root) / "themes", bundled_themes_dir()


def settings_files(config: SiteConfig) -> tuple[Path, ...]:
    """site.toml, and the cleaning rules and taxonomy files the site names."""
    root = Path(config.root)
    return (root / "site.toml", *(root / rel for rel in (config.rules, config.taxonomy) if rel))


def changed_articles(paths: Iterable[Path], source: Path, known: Container[PurePosixPath]) -> dict[PurePosixPath, Path] | None:
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


@lru_cache(maxsize=1)
def settings_signature(config: SiteConfig) -> str:
    """Every setting that shapes the site: the configuration and SOURCE_DATE_EPOCH."""
    return f"{config!r}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}"


def code_version() -> str:
    """A hash of the package's own source and data files: new code means a fresh cache."""
    package = _HERE
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".toml", ".csv", ".txt", ".tsv"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_MODULUS = 1 << 160


@dataclass(slots=True)
class InputsKey:
    """Every input of a build, by stat signature: sources, theme, site templates and static
    files, rules and taxonomy files, the settings, the code, SOURCE_DATE_EPOCH.

    The key is a sum of one hash per file, so the preview server can move it along with
    the files it was told changed instead of stat'ing every input again.
    """

    header: int
    files: dict[str, int]

    @classmethod
    def of(cls, config: SiteConfig, files: list[Path], inputs: SiteInputs) -> "InputsKey":
        header = _number(f"{code_version()}\0{settings_signature(config)}\0")
        return cls(header, {str(path): _file_term(path) for path in inputs.keyed_files(files)})

    def changed(self, path: Path) -> None:
        """`path` was created or modified (or deleted: it then no longer counts)."""
        if os.path.lexists(path):
            self.files[str(path)] = _file_term(path)
        else:
            self.files.pop(str(path), None)

    @property
    def key(self) -> str:
        return f"{(self.header + sum(self.files.values())) % _MODULUS:040x}"


def _file_term(path: Path) -> int:
    try:
        st = path.stat()
    except OSError:
        return _number(f"{path}\0missing\0")
    return _number(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0")


def _number(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest(), "big")
