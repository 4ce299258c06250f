"""Render stage: Site -> (output path, bytes) pairs through the theme's Jinja2 templates."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin

import jinja2

from generator.config import SiteConfig
from generator.model import Article, Site

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """One planned output file: where it goes, which template, and what it shows."""

    path: str
    template: str
    context: dict[str, Any]


def theme_dirs(config: SiteConfig) -> tuple[Path, Path]:
    """The theme's own folder (bundled or the site's themes/<name>) and the site folder."""
    root = Path(config.root)
    for candidate in (root / "themes" / config.theme, Path(__file__).resolve().parents[2] / "themes" / config.theme,
                      Path(__file__).resolve().parents[1] / "themes" / config.theme):
        if (candidate / "templates").is_dir():
            return candidate, root
    raise FileNotFoundError(f"theme {config.theme!r} not found (looked in {root / 'themes'})")


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """Site templates override the theme's; `{% extends "theme/x.html" %}` reaches the theme copy."""
    theme, root = theme_dirs(config)
    theme_loader = jinja2.FileSystemLoader(theme / "templates")
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(root / "templates"),
        theme_loader,
        jinja2.PrefixLoader({"theme": theme_loader}),
    ])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["xmlsafe"] = xml_safe
    env.filters["tojson_safe"] = json_for_script
    return env


def xml_safe(text: str | None) -> str:
    """Characters XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/F) never reach a page."""
    return _XML_INVALID.sub("", text or "")


def json_for_script(value: Any) -> str:
    """JSON safe inside <script type="application/ld+json">: `<`, `>` and `&` are escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Links:
    """URLs relative to the site's base path, so the site works from a subpath."""

    def __init__(self, config: SiteConfig) -> None:
        self.base = config.base_path
        self.absolute_base = config.base_url

    def url(self, rel: str) -> str:
        return self.base + rel.lstrip("/")

    def absolute(self, rel: str) -> str:
        return urljoin(self.absolute_base, rel.lstrip("/"))

    def page(self, number: int, prefix: str = "") -> str:
        return self.url(prefix + ("" if number == 1 else f"page/{number}/"))


def article_view(article: Article, links: Links) -> dict[str, Any]:
    """What a template may know about an article: plain values, already made safe for XML."""
    return {
        "id": article.id,
        "title": xml_safe(article.title),
        "url": links.url(article.url_path),
        "absolute_url": links.absolute(article.url_path),
        "published": article.published,
        "date": article.published.strftime("%Y-%m-%d %H:%M") if article.published else "日期不详",
        "iso_date": article.published.isoformat() if article.published else None,
        "outlet": xml_safe(article.outlet),
        "origin_url": article.origin_url,
        "author": xml_safe(article.author),
        "editor": xml_safe(article.editor),
        "original_title": xml_safe(article.original_title),
        "cover_image": article.cover_image,
        "summary": xml_safe(article.summary),
        "body_html": xml_safe(article.body_html),
        "region": article.region,
        "topics": article.topics,
        "policy": article.policy,
        "reading_minutes": article.reading_minutes,
        "figures": [{"display": xml_safe(f.display), "context": xml_safe(f.context)} for f in article.figures],
    }


def plan(site: Site, config: SiteConfig) -> list[OutputSpec]:
    """Every page the site consists of, with the data each shows."""
    links = Links(config)
    views = {a.id: article_view(a, links) for a in site.articles}
    common = {"site": _site_view(config), "links": links}
    specs = listing_specs(site.index_pages, "", None, views, common, links)
    if site.other_pages:
        specs += listing_specs(site.other_pages, "other/", "其他（非政策）文章", views, common, links)
    ordered = site.articles
    for position, article in enumerate(ordered):
        view = views[article.id]
        specs.append(OutputSpec(f"{article.url_path}index.html", "article.html", {
            **common, "article": view,
            "newer": views[ordered[position - 1].id] if position > 0 else None,
            "older": views[ordered[position + 1].id] if position + 1 < len(ordered) else None,
            "canonical": view["absolute_url"],
            "json_ld": _json_ld(view, config),
        }))
    specs.append(OutputSpec("404.html", "404.html", {**common, "canonical": links.absolute("404.html")}))
    return specs


def listing_specs(pages, prefix: str, heading: str | None, views: dict[str, dict[str, Any]],
                  common: dict[str, Any], links: Links) -> list[OutputSpec]:
    """A paginated listing under `prefix` ("" for the home page): prefix/, prefix/page/N/."""
    specs = []
    for page in pages:
        rel = prefix + ("" if page.number == 1 else f"page/{page.number}/")
        specs.append(OutputSpec(rel + "index.html", "index.html", {
            **common, "articles": [views[i] for i in page.article_ids], "page": page, "heading": heading,
            "prev_url": links.page(page.number - 1, prefix) if page.number > 1 else None,
            "next_url": links.page(page.number + 1, prefix) if page.number < page.total else None,
            "canonical": links.absolute(rel),
        }))
    return specs


def _site_view(config: SiteConfig) -> dict[str, str]:
    return {"title": config.title, "description": config.description, "language": config.language,
            "base_url": config.base_url}


def _json_ld(view: dict[str, Any], config: SiteConfig) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": view["title"],
                            "url": view["absolute_url"], "inLanguage": config.language}
    if view["iso_date"]:
        data["datePublished"] = view["iso_date"]
    if view["author"]:
        data["author"] = {"@type": "Person", "name": view["author"]}
    if view["outlet"]:
        data["publisher"] = {"@type": "Organization", "name": view["outlet"]}
    if view["cover_image"]:
        data["image"] = view["cover_image"]
    return data


def render(specs: list[OutputSpec], env: jinja2.Environment) -> Iterator[tuple[str, str]]:
    for spec in specs:
        yield spec.path, env.get_template(spec.template).render(**spec.context)


def static_files(config: SiteConfig) -> list[tuple[str, Path]]:
    """Theme static files, overridden file by file by the site's own static/ folder."""
    theme, root = theme_dirs(config)
    chosen: dict[str, Path] = {}
    for folder in (theme / "static", root / "static"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    chosen[path.relative_to(folder).as_posix()] = path
    return sorted(chosen.items())
