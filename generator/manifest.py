"""What the last successful build of a site was made from, and what each page was.

With it a build can (1) do nothing at all when no input changed (a no-change rebuild
stats the inputs and stops), and (2) reuse a published page whose fingerprint is
unchanged instead of rendering it. It is trusted only while `output/` is the very
folder that build swapped in (same inode): a site replaced or restored by other means
is rebuilt in full.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.cache import code_version
from generator.config import SiteConfig
from generator.diagnostics import Diagnostic

MANIFEST_FORMAT = 1


@dataclass(slots=True)
class Manifest:
    inputs: str
    output_id: tuple[int, int]
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (fingerprint, sha256 of bytes)
    summary: dict[str, Any] = field(default_factory=dict)  # articles, pages, skipped
    diagnostics: tuple[Diagnostic, ...] = ()

    def describes(self, output: Path) -> bool:
        return output_identity(output) == self.output_id


def manifest_path(config: SiteConfig) -> Path:
    name = hashlib.sha1(str(config.output_dir.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return Path(config.root) / ".cache" / "digest" / f"manifest-{name}.pickle"


def load_manifest(config: SiteConfig) -> Manifest | None:
    try:
        with manifest_path(config).open("rb") as handle:
            stored = pickle.load(handle)
        if stored.get("format") == MANIFEST_FORMAT and isinstance(stored.get("manifest"), Manifest):
            return stored["manifest"]
    except Exception:  # noqa: BLE001 - no usable manifest means a full build, never an error
        pass
    return None


def save_manifest(config: SiteConfig, manifest: Manifest) -> None:
    path = manifest_path(config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump({"format": MANIFEST_FORMAT, "manifest": manifest}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def forget_manifest(config: SiteConfig) -> None:
    try:
        manifest_path(config).unlink()
    except OSError:
        pass


def output_identity(output: Path) -> tuple[int, int]:
    try:
        st = output.stat()
    except OSError:
        return (0, 0)
    return (st.st_dev, st.st_ino)


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
    def of(cls, config: SiteConfig, files: list[Path], theme_folder: Path) -> "InputsKey":
        header = _number(f"{code_version()}\0{config!r}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}\0")
        root = Path(config.root)
        watched = [theme_folder, root / "templates", root / "static"]
        extra = [root / rel for rel in (config.rules, config.taxonomy) if rel]
        paths = files + extra + [p for folder in watched if folder.is_dir() for p in sorted(folder.rglob("*"))]
        return cls(header, {str(path): _file_term(path) for path in paths})

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
