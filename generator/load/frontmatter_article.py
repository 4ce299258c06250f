"""Front-matter articles (.md/.markdown/.html with a YAML block), Hexo style."""
from __future__ import annotations

import re
from datetime import tzinfo
from pathlib import PurePosixPath
from typing import Any

import frontmatter
import yaml

from generator.dates import DateError, parse_date
from generator.diagnostics import LoadError
from generator.load.markdown import body_to_html
from generator.model import RawDoc

_OPENING = re.compile(r"\A\ufeff?(?:[ \t]*\r?\n)*---[ \t]*\r?\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


def starts_with_front_matter(text: str) -> bool:
    """True when the text opens (after blank lines, as in the Sina posts) with `---`."""
    return bool(_OPENING.match(text))


def load_frontmatter_article(text: str, source: PurePosixPath, tz: tzinfo, digest: str) -> RawDoc:
    """Split the YAML block from the body, normalize Hexo keys and render the body to HTML."""
    opening = _OPENING.match(text)
    if not opening:
        raise LoadError("no front matter: the file must start with a '---' line", line=1)
    first_yaml_line = text.count("\n", 0, opening.end()) + 1
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        raise LoadError("front matter is not closed by a '---' line", line=first_yaml_line - 1)
    yaml_text = text[opening.end():closing.start()]
    rest = text[closing.end():]
    body = rest.lstrip("\r\n")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    meta = _parse_yaml(yaml_text, first_yaml_line)
    title = _text_field(meta, "title")
    if isinstance(meta.get("title"), (list, dict)):
        kind = "a list" if isinstance(meta["title"], list) else "a mapping"
        raise LoadError(f"title must be text, not {kind}", line=first_yaml_line + _key_line(yaml_text, "title"))
    if not title:
        raise LoadError("missing title: add a 'title:' line to the front matter", line=first_yaml_line)
    published = _date_field(meta, "date", first_yaml_line, yaml_text, tz)
    updated = _date_field(meta, "updated", first_yaml_line, yaml_text, tz)
    warnings = () if published else (
        "'date:' is empty; the article is listed last" if "date" in meta
        else "no 'date:' in the front matter; the article is listed last",)
    return RawDoc(
        source=source, kind="frontmatter", title=title, published=published, updated=updated,
        meta=meta, body_html=body_to_html(body, source.suffix.lower()), body_line=body_line,
        digest=digest, warnings=warnings,
    )


class _RefuseDuplicateKeys:
    """Refuses duplicate keys instead of silently keeping the last one."""

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _StrictLoader(_RefuseDuplicateKeys, yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text (we parse them, with clear errors) and
    refuses duplicate keys."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


if getattr(yaml, "__with_libyaml__", False):
    class _FastStrictLoader(_RefuseDuplicateKeys, yaml.CSafeLoader):  # type: ignore[misc, name-defined]
        """The same rules on libyaml's parser: about five times faster on clean front matter."""

        yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
else:  # pragma: no cover - PyYAML built without libyaml
    _FastStrictLoader = _StrictLoader


class _Handler(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        """libyaml first; on any error the pure-Python parser reads it again, so messages and
        line numbers are the same whichever parser is installed."""
        try:
            return yaml.load(fm, Loader=_FastStrictLoader)  # noqa: S506 - a SafeLoader subclass
        except (yaml.YAMLError, RecursionError):
            return yaml.load(fm, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def _parse_yaml(yaml_text: str, first_line: int) -> dict[str, Any]:
    try:
        metadata = _Handler().load(yaml_text) if yaml_text.strip() else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        line = first_line + mark.line if mark else first_line
        reason = "; ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        raise LoadError(f"front matter is not valid YAML: {reason}", line=line) from None
    except RecursionError:
        raise LoadError("front matter is nested too deeply to read", line=first_line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses; str(exc) spans two lines
        line = first_line + yaml_text.count("\n", 0, exc.position)
        raise LoadError(f"front matter is not valid YAML: {exc.reason} (U+{exc.character:04X})"
                        if isinstance(exc.character, int) else f"front matter is not valid YAML: {exc.reason}",
                        line=line) from None
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc).strip() else "invalid YAML"
        raise LoadError(f"front matter is not valid YAML: {reason}", line=first_line) from None
    if not isinstance(metadata, dict):
        raise LoadError("front matter must be a mapping of 'key: value' lines", line=first_line)
    if _deeper_than(metadata, MAX_DEPTH):  # libyaml reads any depth; later stages recurse
        raise LoadError("front matter is nested too deeply to read", line=first_line)
    return {str(k): v for k, v in metadata.items()}


MAX_DEPTH = 50


def _deeper_than(value: Any, limit: int) -> bool:
    """Lists/mappings nested more than `limit` deep (walked without recursion, aliases once)."""
    stack, seen = [(value, 1)], set()
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, (list, dict)) or id(item) in seen:
            continue
        if depth > limit:
            return True
        seen.add(id(item))
        stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _text_field(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return ""
    return " ".join(str(value).split())


def _date_field(meta: dict[str, Any], key: str, first_line: int, yaml_text: str, tz: tzinfo):
    value = meta.get(key)
    if value is None or value == "":
        return None
    try:
        return parse_date(value, tz)
    except DateError as exc:
        raise LoadError(f"{key}: {exc}", line=first_line + _key_line(yaml_text, key)) from None


def _key_line(yaml_text: str, key: str) -> int:
    """0-based line of `key:` inside the YAML block, to point the diagnostic at it."""
    for number, line in enumerate(yaml_text.splitlines()):
        if line.startswith(f"{key}:"):
            return number
    return 0
