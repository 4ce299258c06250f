"""site.toml -> a frozen SiteConfig; every problem is reported at once, with its key."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Settings of one digest. Paths are resolved against the folder of site.toml."""

    title: str = "政策新闻摘要"
    description: str = "就业帮扶、脱贫攻坚与社会保障政策新闻摘要"
    base_url: str = "http://localhost:8000/"
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    source: str = "content"
    output: str = "output"
    theme: str = "default"
    page_size: int = 10
    summary_length: int = 120
    non_policy: str = "publish"
    feed_items: int = 50
    feed_max_age_days: int = 0  # 0: no age limit; else items older than this before the newest are left out
    search: bool = True
    remote_images: str = "link"  # "link": images on other hosts become links; "embed": shown inline
    taxonomy: str = ""
    rules: str = ""
    root: str = "."

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def source_dir(self) -> Path:
        return Path(self.root) / self.source

    @property
    def output_dir(self) -> Path:
        return Path(self.root) / self.output

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/': links are built from it."""
        path = urlparse(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


# Where `digest serve` builds its preview, relative to site.toml's folder: never output/, so that
# a preview session (with base_url pointing at 127.0.0.1) can never leak into what is published.
PREVIEW_DIR = ".cache/preview"

# What happens to articles that are not about policy: listed with the rest under 其他,
# listed apart on /other/, or not published at all.
NON_POLICY_CHOICES = ("publish", "separate", "drop")
REMOTE_IMAGE_CHOICES = ("link", "embed")


class ConfigError(Exception):
    """site.toml has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


_TYPES = {f.name: type(getattr(SiteConfig(), f.name)) for f in fields(SiteConfig) if f.name != "root"}


def load_config(path: Path | None, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read site.toml (or use the defaults when it is absent) and validate every key."""
    data: dict[str, Any] = {}
    label = str(path) if path else "site.toml"
    root = path.parent if path else Path(".")
    if path is not None and path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ConfigError([f"{label}: not UTF-8 text"]) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([f"{label}: {exc}"]) from None
    elif path is not None and path.name != "site.toml":
        raise ConfigError([f"{label}: no such file"])
    data = {**data, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    problems = validate(data, label)
    if problems:
        raise ConfigError(problems)
    if "base_url" in data and not data["base_url"].endswith("/"):
        data["base_url"] += "/"
    return SiteConfig(**data, root=str(root))


def validate(data: dict[str, Any], label: str) -> list[str]:
    """Every problem of a site.toml mapping, each naming its key."""
    problems = []
    for key, value in data.items():
        expected = _TYPES.get(key)
        if expected is None:
            problems.append(f"{label}: {key}: unknown setting (known: {', '.join(sorted(_TYPES))})")
        elif not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            problems.append(f"{label}: {key}: must be {_type_name(expected)}, got {value!r}")
    if problems:
        return problems
    problems += _check_values(data, label)
    return problems


def _type_name(kind: type) -> str:
    return {str: "a string", int: "a whole number", bool: "true or false"}.get(kind, kind.__name__)


def _check_values(data: dict[str, Any], label: str) -> list[str]:
    problems = []
    url = urlparse(data.get("base_url", SiteConfig().base_url))
    if url.scheme not in {"http", "https"} or not url.netloc:
        problems.append(f"{label}: base_url: must be an absolute http(s) URL such as 'https://example.org/digest/'")
    if data.get("non_policy", "publish") not in NON_POLICY_CHOICES:
        problems.append(f"{label}: non_policy: must be one of {', '.join(NON_POLICY_CHOICES)}, got {data['non_policy']!r}")
    if data.get("remote_images", "link") not in REMOTE_IMAGE_CHOICES:
        problems.append(f"{label}: remote_images: must be one of {', '.join(REMOTE_IMAGE_CHOICES)}, got {data['remote_images']!r}")
    if data.get("feed_max_age_days", 0) < 0:
        problems.append(f"{label}: feed_max_age_days: must be 0 (no limit) or more, got {data['feed_max_age_days']}")
    for key in ("page_size", "feed_items", "summary_length"):
        if key in data and data[key] < 1:
            problems.append(f"{label}: {key}: must be at least 1, got {data[key]}")
    if "timezone" in data:
        try:
            ZoneInfo(data["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"{label}: timezone: unknown time zone {data['timezone']!r} (e.g. 'Asia/Shanghai')")
    for key in ("title", "source", "output", "theme"):
        if key in data and not data[key].strip():
            problems.append(f"{label}: {key}: must not be empty")
    if data.get("source") and data.get("output") and Path(data["source"]) == Path(data["output"]):
        problems.append(f"{label}: output: must differ from source")
    return problems
