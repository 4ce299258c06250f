"""`digest import`: a raw scrape, saved page or front-matter repost becomes a clean, editable article.

The file written is the article as a build sees it after the clean stage: the cleaned
(and sanitized) body as HTML, and in its front matter everything the loader and the
cleaner learned (title, date, outlet, original address, author, the lifted 责任编辑 and
原标题, the breadcrumb's region hints) plus an explicit `slug:`, then every other key of a
front-matter input (`categories`, `headimg`, `thumbnail` ...) in its order. Building the
imported file therefore publishes the same page, under the same URL, as building the
original from its source folder: the cleaner changes nothing in an already-clean body.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml

from generator.diagnostics import LoadError
from generator.write import create_new_file

if TYPE_CHECKING:
    from generator.clean.rules import RuleSet
    from generator.config import SiteConfig
    from generator.model import CleanDoc


def import_file(path: Path, target: Path, config: "SiteConfig", rules: "RuleSet | None" = None) -> tuple[str, bool]:
    """Write `target/<slug>.md`; never overwrite an existing file. Returns (message, ok).

    The message ends with one line (`path -> written file`, `path: skipped: ...`, or
    `path[:line]: error: reason` and nothing else), after one `path: warning: ...` line per
    repair the loader made (guessed encoding, unsafe slug ...).
    """
    from generator.clean import clean_doc
    from generator.enrich.slugs import article_slug
    from generator.load import load_bytes, load_path

    display = source_display(path, config.source_dir)
    try:
        raw = load_path(path, display, config.tz)
        clean = clean_doc(raw, rules)
        slug, slug_warning = article_slug(raw.meta, raw.source)
        meta = front_matter(clean, slug)
        text, body = render_article(meta, clean.body_html)
        out = target / f"{slug}.md"
        again = load_bytes(text.encode("utf-8"), PurePosixPath(target.name, out.name), config.tz)
    except LoadError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        return f"{where}: error: {exc.message}", False
    except RecursionError:
        return f"{path}: error: document is nested too deeply to read", False
    except Exception as exc:  # noqa: BLE001 - one bad file must not end the import of the rest
        reason = (str(exc).splitlines() or [""])[0]
        return f"{path}: error: internal error, please report it: {type(exc).__name__}: {reason}", False
    # What the build will read from the file written must be what was learned: a safety net
    # under YAML quoting and the HTML-body rule, never expected to fail.
    if (_reading(again.title, again.published, again.meta) != _reading(raw.title, raw.published, meta)
            or again.body_html.strip() != body):
        return f"{path}: error: internal error, please report it: the front matter does not read back the same", False
    notes = [f"{path}: warning: {w}" for w in raw.warnings + ((slug_warning,) if slug_warning else ())]
    if _under(path, config.source_dir) and _under(target, config.source_dir):
        notes.append(f"{path}: warning: the original stays in {config.source_dir} beside the imported file; "
                     f"remove it, or one of the two is published as '{slug}-2'")
    if out.exists():
        return "\n".join(notes + [f"{path}: skipped: {out} already exists"]), True
    try:
        create_new_file(out, text)
    except FileExistsError:
        return "\n".join(notes + [f"{path}: skipped: {out} already exists"]), True
    except OSError as exc:
        return f"{path}: error: cannot write {out}: {exc.strerror or exc}", False
    return "\n".join(notes + [f"{path} -> {out}"]), True


def source_display(path: Path, source: Path) -> PurePosixPath:
    """The path a build of `path`'s source folder names it by (`<folder name>/<relative path>`).

    That folder is the site's source folder when the file lives under it, else the file's
    own folder; its slug (`generator.enrich.slugs.default_slug`) depends on this path only.
    """
    resolved, root = path.resolve(), source.resolve()
    if resolved.is_relative_to(root) and resolved != root:
        return PurePosixPath(root.name, resolved.relative_to(root).as_posix())
    return PurePosixPath(resolved.parent.name, resolved.name)


def _under(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def front_matter(doc: "CleanDoc", slug: str) -> dict[str, Any]:
    """What was learned first, then the input's other keys in their order.

    Each learned value is read the way the enrich stage reads it (the same helpers), so
    the imported file gives the article the same outlet, editor ... as the original.
    """
    from generator.enrich import _first_text, _strings, _text

    raw, meta = doc.raw, doc.raw.meta
    learned: dict[str, Any] = {
        "title": raw.title,
        "date": raw.published.isoformat() if raw.published else None,
        "outlet": _first_text(meta, "outlet", "source", "origin") or doc.lifted.get("outlet"),
        "origin_url": _first_text(meta, "origin_url", "link", "url", "original_url"),
        "author": _text(meta.get("author")),
        "editor": doc.lifted.get("editor") or _text(meta.get("editor")),
        "original_title": doc.lifted.get("original_title") or _text(meta.get("original_title")),
        "breadcrumb": list(_strings(meta.get("breadcrumb"))),
        "slug": slug,
    }
    out = {key: value for key, value in learned.items() if value}
    out.update((key, value) for key, value in meta.items() if key not in out)
    return out


def render_article(meta: dict[str, Any], body_html: str) -> tuple[str, str]:
    """The file's text (the YAML block, then the body as HTML the loader keeps whole) and its body."""
    from generator.load.markdown import is_html_body

    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=2**31 - 1, default_flow_style=False)
    body = body_html.strip()
    if body and not is_html_body(body, ".md"):
        # Inline content first (text, <strong>, <a> ...) would be read as Markdown: a <div>
        # keeps it HTML, and the cleaner's allowlist takes the <div> out again.
        body = f"<div>{body}</div>"
    return f"---\n{front}---\n\n{body}\n", body


def _reading(title: str, published: datetime | None, meta: Any) -> tuple[object, ...]:
    """What a file is read as, comparably: the date with its offset, the front matter as
    canonical YAML (NaN equals NaN there, unlike in ==)."""
    offset = published.utcoffset() if published else None
    return title, published, offset, yaml.safe_dump(dict(meta), allow_unicode=True, sort_keys=True, width=2**31 - 1)
