"""What the last successful build of a site was made from, and what each page was.

With it a build can (1) do nothing at all when no input changed (a no-change rebuild
stats the inputs and stops), and (2) reuse a published page when nothing it read
changed, instead of rendering it. It is trusted only while `output/` is the very
folder that build swapped in (same inode): a site replaced or restored by other means
is rebuilt in full.
"""
from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

from generator.config import SiteConfig
from generator.diagnostics import Diagnostic
from generator.write import remove_file, save_pickles

MANIFEST_FORMAT = 4  # 3: the page records follow the header as a second pickle, read when needed; 4: frame


class Manifest:
    """The inputs key and output folder of the last build, its summary and diagnostics, and
    `pages`: each output's record (generator.build.outputs.Record).

    The page records (what every page read of the site) are most of the file; a no-change
    rebuild needs only the header, so the records are unpickled on first use."""

    __slots__ = ("inputs", "output_id", "summary", "diagnostics", "frame", "_pages", "_packed")

    def __init__(self, inputs: str, output_id: tuple[int, int], pages: dict[str, Any] | None = None,
                 summary: dict[str, Any] | None = None, diagnostics: tuple[Diagnostic, ...] = (), *,
                 packed: bytes | None = None, frame: str = "") -> None:
        self.inputs, self.output_id = inputs, output_id
        self.frame = frame  # what every page is made with besides the site: templates, render code, settings
        self.summary = summary if summary is not None else {}
        self.diagnostics = diagnostics
        self._pages, self._packed = pages, packed

    @property
    def pages(self) -> dict[str, Any]:
        if self._pages is None:
            packed, self._packed = self._packed, None
            self._pages = pickle.loads(packed) if packed else {}
        return self._pages

    @pages.setter
    def pages(self, records: dict[str, Any]) -> None:
        self._pages, self._packed = records, None

    def describes(self, output: Path) -> bool:
        return output_identity(output) == self.output_id


def manifest_path(config: SiteConfig) -> Path:
    name = hashlib.sha1(str(config.output_dir.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return Path(config.root) / ".cache" / "digest" / f"manifest-{name}.pickle"


def load_manifest(config: SiteConfig) -> Manifest | None:
    try:
        data = manifest_path(config).read_bytes()
        handle = io.BytesIO(data)
        header = pickle.load(handle)
        if header.get("format") == MANIFEST_FORMAT:
            return Manifest(header["inputs"], header["output_id"], None, header["summary"], header["diagnostics"],
                            packed=data[handle.tell():], frame=header["frame"])
    except Exception:  # noqa: BLE001 - no usable manifest means a full build, never an error
        pass
    return None


def save_manifest(config: SiteConfig, manifest: Manifest) -> None:
    header = {"format": MANIFEST_FORMAT, "inputs": manifest.inputs, "output_id": manifest.output_id,
              "summary": manifest.summary, "diagnostics": manifest.diagnostics, "frame": manifest.frame}
    if manifest._pages is None and manifest._packed is not None:  # records never unpacked: saved as read
        save_pickles(manifest_path(config), [header], tail=manifest._packed)
    else:
        save_pickles(manifest_path(config), [header, manifest.pages])


def forget_manifest(config: SiteConfig) -> None:
    remove_file(manifest_path(config))


def output_identity(output: Path) -> tuple[int, int]:
    try:
        st = output.stat()
    except OSError:
        return (0, 0)
    return (st.st_dev, st.st_ino)
