"""A page open in headless Chromium reloads by itself after an edit, shows the error
overlay for a bad file (and for a broken site.toml without reloading), and clears it
when the file is fixed. Skipped without Chromium/Playwright, except under CI=true."""
from __future__ import annotations

from pathlib import Path

from tests.browser import launch_chromium
from tests.test_serve_http import ARTICLE, GOOD_MARKDOWN, live_site

OVERLAY_TEXT = """() => {
  const host = document.querySelector("digest-build-errors");
  return host ? (host.shadowRoot || host).textContent : "";
}"""


def test_open_page_reloads_after_edit_and_shows_the_error_overlay(tmp_path: Path):
    with launch_chromium() as (_, browser), live_site(tmp_path) as live:
        page = browser.new_page()
        page.goto(live.base + ARTICLE)
        page.wait_for_function("window.__digestLive === true")
        page.evaluate("window.__sameDocument = true")
        page.wait_for_timeout(300)  # an up-to-date page does not reload
        assert page.evaluate("window.__sameDocument") is True

        source = live.site / "content" / "markdown.md"
        source.write_text(GOOD_MARKDOWN.replace("社保补贴办法", "社保补贴新办法"), "utf-8")
        page.wait_for_function("!window.__sameDocument && document.title.includes('社保补贴新办法')", timeout=15000)

        source.write_text(GOOD_MARKDOWN.replace("2023-03-01 09:30", "2023-02-30"), "utf-8")
        page.wait_for_function(f"({OVERLAY_TEXT})().includes('content/markdown.md:3: date:')", timeout=15000)
        assert "content/markdown.md:3" in page.evaluate(OVERLAY_TEXT)

        source.write_text(GOOD_MARKDOWN, "utf-8")
        page.wait_for_function(f"({OVERLAY_TEXT})() === '' && document.title.includes('社保补贴办法')",
                               timeout=15000)

        # A broken site.toml writes nothing: the page stays (no reload) and shows the overlay in place.
        page.evaluate("window.__sameDocument = true")
        config = live.site / "site.toml"
        good = config.read_text("utf-8")
        config.write_text(good.replace("page_size = 2", "page_size = 0"), "utf-8")
        page.wait_for_function(f"({OVERLAY_TEXT})().includes('site.toml: page_size')", timeout=15000)
        assert page.evaluate("window.__sameDocument") is True
        config.write_text(good, "utf-8")  # the same site as before: the overlay goes, the page stays
        page.wait_for_function(f"({OVERLAY_TEXT})() === ''", timeout=15000)
        assert page.evaluate("window.__sameDocument") is True
        config.write_text(good.replace("测试摘要", "改名的摘要"), "utf-8")
        page.wait_for_function("!window.__sameDocument && document.title.includes('改名的摘要')", timeout=15000)
