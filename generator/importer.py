"""`digest import`: a raw scrape or saved page becomes an editable front-matter article."""
from __future__ import annotations

from datetime import tzinfo
from pathlib import Path, PurePosixPath

import yaml

from generator.diagnostics import LoadError
from generator.enrich.slugs import default_slug
from generator.load import load_path


def import_file(path: Path, target: Path, tz: tzinfo) -> tuple[str, bool]:
    """Write `target/<slug>.md`; never overwrite an existing article. Returns (message, ok)."""
    try:
        raw = load_path(path, PurePosixPath(path.name), tz)
    except LoadError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        return f"{where}: error: {exc.message}", False
    meta: dict[str, object] = {"title": raw.title}
    if raw.published:
        meta["date"] = raw.published.isoformat()
    for key in ("outlet", "origin_url", "author"):
        if raw.meta.get(key):
            meta[key] = raw.meta[key]
    if raw.meta.get("breadcrumb"):
        meta["breadcrumb"] = list(raw.meta["breadcrumb"])
    meta["imported_from"] = path.name
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    out = target / f"{default_slug(raw.title, raw.published)}.md"
    if out.exists():
        return f"{path}: skipped: {out} already exists", True
    target.mkdir(parents=True, exist_ok=True)
    out.write_text(f"---\n{front}---\n\n{raw.body_html}\n", encoding="utf-8")
    return f"{path} -> {out}", True
