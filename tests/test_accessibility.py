"""Accessibility: axe-core reports no WCAG 2.1 A/AA violation on any kind of page, light or dark.

The sample digest is built once, served from a subpath and opened in Debian's Chromium; in
each page axe-core (the npm package, pinned and installed into tests/.node/ by tests/run.sh)
is injected and run with only the WCAG 2.0/2.1 A and AA rules. Each (page kind, colour
scheme) is its own test; one browser serves them all. A new kind of page is one line in
PAGE_KINDS.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from tests.browser import launch_chromium, local_only, require_axe, require_browser, serve_site
from tests.conftest import build_sample_site

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MODES = ("light", "dark")


def search_for(query: str) -> Callable:
    """Type `query` into the search box and wait until the results show a highlighted match."""
    def ready(page) -> None:
        page.wait_for_selector("#search.search-ready")
        page.locator("#search-input").fill(query)
        page.wait_for_selector(".search-result-link")
        page.wait_for_selector(".search-excerpt mark")
    return ready


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str  # under the site's subpath; a "*" takes the first match among the built pages
    ready: Callable | None = None  # what a reader does before the page is checked


PAGE_KINDS = [
    PageKind("home", ""),
    PageKind("article", "articles/*/"),
    PageKind("regions", "regions/"),
    PageKind("region", "regions/*/"),
    PageKind("topics", "topics/"),
    PageKind("topic", "topics/*/"),
    PageKind("subject", "subjects/*/"),
    PageKind("archives", "archives/"),
    PageKind("month", "archives/*/*/"),
    PageKind("daily", "daily/*/"),
    PageKind("weekly", "weekly/*/"),
    PageKind("briefings", "daily/"),
    PageKind("search", "search/", ready=search_for("务工")),
    PageKind("404", "no/such/page/"),
]


@pytest.fixture(scope="module")
def browsing(tmp_path_factory):
    require_browser()
    axe_source = require_axe().read_text(encoding="utf-8")
    output = build_sample_site(tmp_path_factory.mktemp("a11y"), "http://127.0.0.1/digest/")
    with serve_site(output, "/digest/") as site, launch_chromium() as (_, browser):
        foreign: list[str] = []
        contexts = {}
        for mode in MODES:
            contexts[mode] = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                                 color_scheme=mode)
            contexts[mode].route("**/*", lambda route: local_only(route, site.origin, foreign))
        yield site, output, contexts, axe_source, foreign
        for context in contexts.values():
            context.close()



def _resolve(output: Path, path: str) -> str:
    if "*" not in path:
        return path
    matches = sorted(output.glob(path + "index.html"))
    assert matches, f"the sample site has no page matching {path}"
    return matches[0].parent.relative_to(output).as_posix() + "/"


def _report(url: str, mode: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} WCAG 2.1 AA violation(s) on {url} ({mode} mode):"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", PAGE_KINDS, ids=lambda kind: kind.name)
def test_no_wcag_violations(browsing, kind: PageKind, mode: str):
    site, output, contexts, axe_source, foreign = browsing
    url = site.base_url + _resolve(output, kind.path)
    page = contexts[mode].new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(url)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (mode == "dark")
        if kind.ready:
            kind.ready(page)
        page.add_script_tag(content=axe_source)
        results = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]})""", WCAG_TAGS)
    finally:
        page.close()
    assert len(results["passes"]) > 10, "axe-core checked almost nothing: is the page empty?"
    if results["violations"]:
        pytest.fail(_report(url, mode, results["violations"]), pytrace=False)
    assert errors == [] and foreign == []
