"""The preview server's Content-Type for every kind of file, the favicon, and the feeds as
Chromium shows them: styled by static/feed.css (no XSLT), readable Chinese, no 404 anywhere.

Screenshots of the styled feeds go to $DIGEST_ARTIFACTS (default: test-artifacts/screenshots/).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator.serve import handler
from generator.serve.handler import content_type
from tests.browser import launch_chromium
from tests.conftest import TESTS
from tests.test_serve_http import ARTICLE, Live, fetch, live_site

ARTIFACTS = Path(os.environ.get("DIGEST_ARTIFACTS", TESTS.parent / "test-artifacts" / "screenshots"))
SITE_TITLE = "测试摘要"  # tests/fixtures/site/site.toml

TEXT_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "search.js": "text/javascript; charset=utf-8",
    "rss.xml": "application/xml; charset=utf-8",
    "atom.xml": "application/xml; charset=utf-8",
    "sitemap.xml": "application/xml; charset=utf-8",
    "feed.json": "application/json; charset=utf-8",
    "chart.svg": "image/svg+xml; charset=utf-8",
    "robots.txt": "text/plain; charset=utf-8",
    "site.webmanifest": "application/manifest+json; charset=utf-8",
    "feed.xsl": "application/xml; charset=utf-8",
    "favicon.ico": "image/x-icon",
    "photo.png": "image/png",
    "unknown.bin": "application/octet-stream",
}


@pytest.mark.parametrize(("name", "kind"), TEXT_TYPES.items())
def test_content_type_by_suffix(name: str, kind: str):
    assert content_type(Path(name)) == kind
    assert content_type(Path(name.upper())) == kind


def _extra_static(site: Path) -> None:
    """Kinds the sample site does not make itself: a web manifest and an XSL file."""
    static = site / "static"
    static.mkdir(exist_ok=True)
    (static / "site.webmanifest").write_text('{"name": "测试摘要"}\n', encoding="utf-8")
    (static / "extra.xsl").write_text('<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" '
                                      'xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n', encoding="utf-8")


def test_every_kind_of_file_is_served_with_its_type_and_charset(tmp_path: Path):
    with live_site(tmp_path, prepare=_extra_static) as live:
        output = live.server.output_dir
        expected = {
            "": TEXT_TYPES["index.html"], ARTICLE: TEXT_TYPES["index.html"], "404.html": TEXT_TYPES["index.html"],
            "static/style.css": TEXT_TYPES["style.css"], "static/feed.css": TEXT_TYPES["style.css"],
            "static/search.js": TEXT_TYPES["search.js"],
            "rss.xml": TEXT_TYPES["rss.xml"], "atom.xml": TEXT_TYPES["atom.xml"],
            "regions/chongqing/rss.xml": TEXT_TYPES["rss.xml"], "sitemap.xml": TEXT_TYPES["sitemap.xml"],
            "feed.json": TEXT_TYPES["feed.json"], "regions/chart.svg": TEXT_TYPES["chart.svg"],
            "static/favicon.svg": TEXT_TYPES["chart.svg"], "robots.txt": TEXT_TYPES["robots.txt"],
            "static/site.webmanifest": TEXT_TYPES["site.webmanifest"], "static/extra.xsl": TEXT_TYPES["feed.xsl"],
            "favicon.ico": "image/x-icon", "static/favicon.ico": "image/x-icon",
        }
        for rel, kind in expected.items():
            assert (output / (rel or "index.html")).exists() or rel.endswith("/"), rel
            for method in ("GET", "HEAD"):
                response = live.get(rel, method=method)
                assert response.status == 200, (rel, method)
                assert response.headers["content-type"] == kind, (rel, method)
                assert response.headers["x-content-type-options"] == "nosniff"
        assert fetch(live.origin + "/__digest/live.js").headers["content-type"] == "text/javascript; charset=utf-8"
        assert fetch(live.origin + "/__digest/status").headers["content-type"] == "application/json; charset=utf-8"
        missing = live.get("no-such-page/")
        assert missing.status == 404 and missing.headers["content-type"] == "text/html; charset=utf-8"


def test_the_favicon_is_served_at_the_site_root_and_the_host_root(tmp_path: Path):
    with live_site(tmp_path) as live:
        icon = (live.server.output_dir / "static" / "favicon.ico").read_bytes()
        assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
        for url in (live.base + "favicon.ico", live.origin + "/favicon.ico"):  # the site lives in /digest/
            response = fetch(url)
            assert response.status == 200 and response.headers["content-type"] == "image/x-icon", url
            assert response.body == icon
        assert fetch(live.origin + "/favicon.ico/").status == 404
        assert fetch(live.origin + "/robots.txt").status == 404  # only the icon is answered outside /digest/
        home = live.get().text
        assert f'<link rel="icon" href="/digest/static/favicon.ico"' in home
        assert '<link rel="icon" href="/digest/static/favicon.svg" type="image/svg+xml">' in home


# -- Chromium ---------------------------------------------------------------------------------------

FEED_VIEW = """() => {
  const doc = document, root = doc.documentElement;
  const atom = root.localName === "feed";
  const pick = (sel) => doc.querySelector(sel);
  const title = atom ? pick("feed > title") : pick("rss > channel > title");
  const item = atom ? pick("feed > entry > title") : pick("channel > item > title");
  const blob = atom ? pick("entry > content") : root.getElementsByTagNameNS(
      "http://purl.org/rss/1.0/modules/content/", "encoded")[0];
  const style = (el, pseudo) => el ? getComputedStyle(el, pseudo || null) : null;
  return {
    contentType: doc.contentType, root: root.localName, xslt: !!doc.querySelector("html, body"),
    title: title && title.textContent, titleDisplay: style(title).display,
    titleSize: parseFloat(style(title).fontSize), titleColor: style(title).color,
    background: getComputedStyle(root).backgroundColor,
    note: style(atom ? root : pick("channel"), "::before").content,
    item: item && item.textContent, itemDisplay: style(item).display,
    blobDisplay: style(blob).display,
  };
}"""


def _responses(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every (path, status) the preview server answers, browser-initiated requests (favicons) too."""
    seen: list[tuple[str, int]] = []
    original = handler.PreviewHandler.send_response

    def record(self, code, message=None):
        seen.append((self.path, int(code)))
        original(self, code, message)

    monkeypatch.setattr(handler.PreviewHandler, "send_response", record)
    return seen


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_feeds_are_readable_in_chromium_and_no_page_load_gets_a_404(tmp_path: Path, monkeypatch, scheme: str):
    seen = _responses(monkeypatch)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with launch_chromium() as (_, browser), live_site(tmp_path) as live:
        context = browser.new_context(viewport={"width": 900, "height": 900}, locale="zh-CN", color_scheme=scheme)
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

        for name in ("rss.xml", "atom.xml"):
            response = page.goto(live.base + name, wait_until="load")
            assert response is not None and response.status == 200
            assert response.headers["content-type"] == "application/xml; charset=utf-8"
            page.wait_for_timeout(300)  # the browser asks for /favicon.ico after load
            view = page.evaluate(FEED_VIEW)
            assert view["root"] == ("feed" if name == "atom.xml" else "rss"), view  # parsed as XML, not text
            assert not view["xslt"], view  # shown by CSS, not transformed
            assert view["title"] == SITE_TITLE and view["titleDisplay"] == "block", view
            assert view["titleSize"] >= 24, view  # feed.css applied
            assert "订阅源" in view["note"] and "RSS 阅读器" in view["note"], view  # the CSS is read as UTF-8
            assert view["item"] and view["itemDisplay"] == "block", view
            assert view["blobDisplay"] == "none", view  # the escaped HTML content is not shown as text
            dark = sum(int(c) for c in re.findall(r"\d+", view["background"])[:3]) < 200
            assert dark == (scheme == "dark"), view
            shot = ARTIFACTS / f"feed-{name.split('.')[0]}-{scheme}.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
            page.set_viewport_size({"width": 390, "height": 844})  # a phone: long addresses wrap
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} at 390 px scrolls sideways by {overflow} px"
            if scheme == "light":
                page.screenshot(path=str(ARTIFACTS / f"feed-{name.split('.')[0]}-390.png"), full_page=False)
            page.set_viewport_size({"width": 900, "height": 900})

        for rel in ("", ARTICLE):
            page.goto(live.base + rel, wait_until="load")
            page.wait_for_timeout(300)
            assert page.evaluate("document.querySelector('link[rel=icon]') !== null")
            assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system")
        context.close()
    assert failed == []
    not_found = [(path, code) for path, code in seen if code >= 400]
    assert not_found == [], not_found
    assert any(path == "/favicon.ico" for path, _ in seen) or any(path.endswith("favicon.svg") for path, _ in seen)
