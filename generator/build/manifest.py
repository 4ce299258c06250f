"""What the last successful build of a site was made from, and what each page was.

With it a build can (1) do nothing at all when no input changed (a no-change rebuild
stats the inputs and stops), and (2) reuse a published page whose fingerprint is
unchanged instead of rendering it. It is trusted only while `output/` is the very
folder that build swapped in (same inode): a site replaced or restored by other means
is rebuilt in full.
"""
from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.config import SiteConfig
from generator.diagnostics import Diagnostic
from generator.write import remove_file, save_atomically

MANIFEST_FORMAT = 2  # 2: pages record what they read (generator.build.outputs.Record)


@dataclass(slots=True)
class Manifest:
    inputs: str
    output_id: tuple[int, int]
    pages: dict[str, Any] = field(default_factory=dict)  # path -> generator.build.outputs.Record
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
    save_atomically(manifest_path(config), pickle.dumps({"format": MANIFEST_FORMAT, "manifest": manifest},
                                                        protocol=pickle.HIGHEST_PROTOCOL))


def forget_manifest(config: SiteConfig) -> None:
    remove_file(manifest_path(config))


def output_identity(output: Path) -> tuple[int, int]:
    try:
        st = output.stat()
    except OSError:
        return (0, 0)
    return (st.st_dev, st.st_ino)
