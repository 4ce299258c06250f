"""Declarative cleaning rules: a TOML file of named rules, validated into frozen data."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from generator.diagnostics import SettingsFileError

ACTIONS = ("drop", "unwrap", "drop_text", "cut_from", "lift", "trim_end")
WHEN_KEYS = ("author", "outlet", "categories", "host", "signature")
LIFT_FIELDS = ("editor", "original_title", "outlet")
POSITIONS = ("anywhere", "first", "last", "edges")
# `{name}` in a pattern stands for the [define] fragment of that name (a lowercase word;
# `{0,40}` and other counted repeats are left alone).
_FRAGMENT_REF = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: a rule's patterns are costly to hash
class Rule:
    name: str
    drop: tuple[str, ...] = ()
    unwrap: tuple[str, ...] = ()
    drop_text: tuple[re.Pattern[str], ...] = ()
    cut_from: tuple[str, ...] = ()
    lift: tuple[tuple[str, re.Pattern[str]], ...] = ()
    trim_end: tuple[re.Pattern[str], ...] = ()
    position: str = "anywhere"
    byline: tuple[re.Pattern[str], ...] = ()
    needs: re.Pattern[str] | None = None
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def applies_to(self, facts: Mapping[str, tuple[str, ...]], raw_body: str) -> bool:
        """A rule with no `when` applies everywhere; otherwise one listed value must match."""
        if not self.when:
            return True
        for key, values in self.when:
            if key == "signature":
                if any(v in raw_body for v in values):
                    return True
            elif any(v in fact for v in values for fact in facts.get(key, ())):
                return True
        return False


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str
    defines: tuple[tuple[str, str], ...] = ()


class RuleError(SettingsFileError):
    """A rules file has problems; `problems` lists them all, each naming the rule and key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    text = resources.files("generator.data").joinpath("clean_rules.toml").read_text(encoding="utf-8")
    return parse_rules(text, "generator/data/clean_rules.toml")


def load_rules(path: Path | None) -> RuleSet:
    """The shipped rules, extended or overridden by a site's rules file."""
    base = default_rules()
    if path is None:
        return base
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError([f"{path}: cannot read rules file: {exc}"]) from None
    return parse_rules(text, str(path), base)


def parse_rules(text: str, label: str, base: RuleSet | None = None) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError([f"{label}: {exc}"]) from None
    raws = data.get("rule", [])
    problems: list[str] = []
    if not isinstance(raws, list):
        raise RuleError([f"{label}: rule: must be an array of [[rule]] tables"])
    defines = _defines(data.get("define", {}), dict(base.defines) if base else {}, f"{label}: define", problems)
    merged: dict[str, Rule] = {r.name: r for r in base.rules} if base else {}
    seen: set[str] = set()
    for index, raw in enumerate(raws):
        where = f"{label}: rule[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a table")
            continue
        name = raw.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name or ""):
            problems.append(f"{where}.name: must be a lowercase ASCII name such as 'sina-qr-block'")
            continue
        if name in seen:
            problems.append(f"{where}.name: duplicate rule name {name!r}")
            continue
        seen.add(name)
        if raw.get("enabled") is False:
            merged.pop(name, None)
            continue
        rule, rule_problems = _build_rule(raw, f"{label}: rule {name!r}", defines)
        problems += rule_problems
        if rule:
            merged[name] = rule
    if problems:
        raise RuleError(problems)
    version_source = (base.version if base else "") + text
    return RuleSet(tuple(merged.values()), hashlib.sha256(version_source.encode()).hexdigest()[:16],
                   tuple(defines.items()))


def _defines(value: Any, known: dict[str, str], where: str, problems: list[str]) -> dict[str, str]:
    """[define] fragments, each expanded with the fragments defined before it (and the shipped ones)."""
    if not isinstance(value, dict):
        problems.append(f"{where}: must be a table of named regular-expression fragments")
        return known
    for name, fragment in value.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or not isinstance(fragment, str):
            problems.append(f"{where}.{name}: must be a lowercase name = 'regular expression'")
            continue
        expanded = _expand(fragment, known, f"{where}.{name}", problems)
        try:
            groups = re.compile(expanded).groups
        except re.error as exc:
            problems.append(f"{where}.{name}: bad regular expression {fragment!r}: {exc}")
            continue
        if groups:
            problems.append(f"{where}.{name}: a fragment may not capture: write (?:...) for its groups")
            continue
        known[name] = expanded
    return known


def _expand(pattern: str, defines: Mapping[str, str], where: str, problems: list[str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in defines:
            problems.append(f"{where}: unknown fragment {{{name}}} (define it under [define])")
            return match.group(0)
        return f"(?:{defines[name]})"
    return _FRAGMENT_REF.sub(one, pattern) if "{" in pattern else pattern


def _build_rule(raw: dict[str, Any], where: str, defines: Mapping[str, str] | None = None) -> tuple[Rule | None, list[str]]:
    problems: list[str] = []
    defines = defines or {}
    unknown = set(raw) - {"name", "enabled", "when", "position", "byline", "needs", *ACTIONS}
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if not any(k in raw for k in ACTIONS):
        problems.append(f"{where}: needs one of {', '.join(ACTIONS)}")
    fields: dict[str, Any] = {"name": raw["name"]}
    for key in ("drop", "unwrap", "cut_from"):
        if key in raw:
            values = raw[key]
            if not _is_str_list(values):
                problems.append(f"{where}.{key}: must be a list of strings")
            else:
                fields[key] = tuple(values)
    for key in ("drop_text", "trim_end", "byline"):
        if key in raw:
            fields[key] = tuple(_compile_all(raw[key], f"{where}.{key}", problems, defines))
    if "lift" in raw:
        fields["lift"] = _lift(raw["lift"], f"{where}.lift", problems, defines)
    if "needs" in raw:
        if not isinstance(raw["needs"], str):
            problems.append(f"{where}.needs: must be a regular expression (a string)")
        else:
            needs = _compile_all([raw["needs"]], f"{where}.needs", problems, defines)
            fields["needs"] = needs[0] if needs else None
    if "position" in raw:
        if raw["position"] not in POSITIONS:
            problems.append(f"{where}.position: must be one of {', '.join(POSITIONS)}")
        else:
            fields["position"] = raw["position"]
    if "when" in raw:
        fields["when"] = _when(raw["when"], f"{where}.when", problems)
    if problems:
        return None, problems
    return Rule(**fields), []


def _is_str_list(values: Any) -> bool:
    return isinstance(values, list) and all(isinstance(v, str) for v in values)


def _compile_all(values: Any, where: str, problems: list[str],
                 defines: Mapping[str, str] | None = None) -> list[re.Pattern[str]]:
    if not _is_str_list(values):
        problems.append(f"{where}: must be a list of regular expressions")
        return []
    out = []
    for value in values:
        try:
            out.append(re.compile(_expand(value, defines or {}, where, problems)))
        except re.error as exc:
            problems.append(f"{where}: bad regular expression {value!r}: {exc}")
    return out


def _lift(value: Any, where: str, problems: list[str],
          defines: Mapping[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    if not isinstance(value, dict):
        problems.append(f"{where}: must be a table such as {{ editor = '...' }}")
        return ()
    out = []
    for field, pattern in value.items():
        if field not in LIFT_FIELDS:
            problems.append(f"{where}.{field}: can lift only {', '.join(LIFT_FIELDS)}")
            continue
        compiled = _compile_all([pattern], f"{where}.{field}", problems, defines)
        if compiled and compiled[0].groups < 1:
            problems.append(f"{where}.{field}: the pattern needs a group (the first one that matched is lifted)")
        elif compiled:
            out.append((field, compiled[0]))
    return tuple(out)


def _when(value: Any, where: str, problems: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        problems.append(f"{where}: must be a table")
        return ()
    out = []
    for key, values in value.items():
        if key not in WHEN_KEYS:
            problems.append(f"{where}.{key}: unknown condition (known: {', '.join(WHEN_KEYS)})")
        elif not _is_str_list(values):
            problems.append(f"{where}.{key}: must be a list of strings")
        else:
            out.append((key, tuple(values)))
    return tuple(out)
