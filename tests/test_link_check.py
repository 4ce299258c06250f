"""Every internal link and asset of the built sample site resolves, with and without a subpath,
and no page makes the browser request another host."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from hypothesis import given, settings, strategies as st

from tests.conftest import build_sample_site

# Attributes that make a browser fetch something when the page loads (not links a reader follows).
_LOADED = {("img", "src"), ("script", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
           ("audio", "src"), ("video", "poster"), ("embed", "src"), ("object", "data"), ("input", "src")}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def resolve(output: Path, base_path: str, url: str) -> Path | None:
    """The file a site URL is served from, or None when it is outside the site's path."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path):]
    target = output / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def check_site(output: Path, base_url: str) -> tuple[list[str], list[str], int]:
    """(broken internal links, requests to other hosts, links checked)."""
    base = urlsplit(base_url)
    broken, foreign, checked = [], [], 0
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        page_url = urljoin(base_url, rel[:-len("index.html")] if rel.endswith("index.html") else rel)
        tree = lxml.html.fromstring(page.read_bytes())
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for attr in ("href", "src", "poster", "data"):
                value = element.get(attr)
                if not value or value.startswith(("#", "mailto:")):
                    continue
                absolute = urljoin(page_url, value)
                parts = urlsplit(absolute)
                loaded = (element.tag, attr) in _LOADED or (element.tag == "link" and element.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"))
                if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                    if loaded:
                        foreign.append(f"{rel}: <{element.tag} {attr}={value!r}>")
                    continue
                checked += 1
                target = resolve(output, base.path, absolute)
                if target is None or not target.is_file():
                    broken.append(f"{rel}: <{element.tag} {attr}={value!r}>")
    for css in output.rglob("*.css"):
        for value in _CSS_URL.findall(css.read_text(encoding="utf-8")):
            if value.startswith("data:"):
                continue
            if urlsplit(value).netloc:
                foreign.append(f"{css.relative_to(output)}: url({value})")
    return broken, foreign, checked


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/digest/"],
                         ids=["root", "subpath"])
def test_sample_site_has_no_broken_internal_link_and_loads_nothing_from_elsewhere(tmp_path, base_url):
    output = build_sample_site(tmp_path, base_url)
    broken, foreign, checked = check_site(output, base_url)
    assert checked > 1000
    assert broken == []
    assert foreign == []


def test_the_404_page_works_from_any_depth_under_a_subpath(tmp_path):
    output = build_sample_site(tmp_path, "https://example.org/digest/", search=False)
    html = (output / "404.html").read_text(encoding="utf-8")
    assert 'href="/digest/static/style.css"' in html and 'href="/digest/"' in html
    assert 'href="static/' not in html and 'href="../' not in html


def test_the_checker_finds_a_broken_link_and_a_foreign_image(tmp_path):
    """The check itself can fail: a page with a dead link and a remote image is reported."""
    (tmp_path / "index.html").write_text(
        '<html><body><a href="/digest/nowhere/">x</a><img src="https://cdn.example.com/a.png">'
        '<a href="/digest/">home</a></body></html>', encoding="utf-8")
    broken, foreign, checked = check_site(tmp_path, "https://example.org/digest/")
    assert broken == ["index.html: <a href='/digest/nowhere/'>"]
    assert foreign == ["index.html: <img src='https://cdn.example.com/a.png'>"]
    assert checked == 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abz09-_./:?#%重 ", max_size=24),
       st.sampled_from(["https://example.org/", "https://example.org/digest/", "http://h:8000/a/b/"]))
def test_absolute_urls_are_what_urljoin_gives(rel, base):
    """Links.absolute skips urljoin for plain paths; for every path it must give urljoin's answer."""
    from generator.config import SiteConfig
    from generator.render.links import Links

    assert Links(SiteConfig(base_url=base)).absolute(rel) == urljoin(base, rel.lstrip("/"))
