"""The sample digest in a real browser (Debian's Chromium through Playwright), served from a subpath:
navigation, Chinese search with a region filter, and screenshots for a human to look at.

Screenshots go to $DIGEST_ARTIFACTS (default: test-artifacts/screenshots/, git-ignored).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser import launch_chromium, local_only, require_browser, serve_site
from tests.conftest import TESTS, build_sample_site

ARTIFACTS = Path(os.environ.get("DIGEST_ARTIFACTS", TESTS.parent / "test-artifacts" / "screenshots"))
CHONGQING_TITLE = "今年以来 重庆市脱贫人口务工规模稳定在81万人以上"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_browser()
    output = build_sample_site(tmp_path_factory.mktemp("browser"), "http://127.0.0.1/digest/")
    with serve_site(output, "/digest/") as site, launch_chromium() as (_, browser):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        foreign: list[str] = []
        context.route("**/*", lambda route: local_only(route, site.origin, foreign))
        yield site, context, foreign
        context.close()



def test_home_article_region_topic_navigation(served):
    site, context, foreign = served
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site.base_url)
    assert page.title().startswith("政策新闻摘要")
    page.get_by_role("link", name=CHONGQING_TITLE).first.click()
    page.wait_for_url(re.compile(r".*/digest/articles/[^/]+/$"))
    assert page.locator("h1").inner_text() == CHONGQING_TITLE
    page.locator(".article .chip-region a").click()
    page.wait_for_url(site.base_url + "regions/chongqing/")
    assert page.locator("h1").inner_text() == "重庆"
    assert CHONGQING_TITLE in page.locator(".article-list").inner_text()
    page.locator(".article-card .chip-topic a", has_text="就业帮扶").first.click()
    page.wait_for_url(re.compile(r".*/digest/topics/[a-z0-9-]+/$"))
    assert page.locator("h1").inner_text() == "主题：就业帮扶"
    page.get_by_role("link", name="地区", exact=True).click()
    page.wait_for_url(site.base_url + "regions/")
    page.locator("svg.region-chart a").first.click()  # the chart's bars are links
    page.wait_for_url(re.compile(r".*/digest/regions/[a-z]+/$"))
    page.goto(site.base_url + "no/such/page/")
    assert "页面不存在" in page.locator("h1").inner_text()
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system")  # CSS loaded
    assert errors == [] and foreign == []
    page.close()


def test_chinese_search_finds_the_article_and_the_region_filter_narrows_it(served):
    site, context, foreign = served
    page = context.new_page()
    page.goto(site.base_url + "search/?q=务工")
    page.wait_for_selector(".search-result-link")
    titles = page.locator(".search-result-link").all_inner_texts()
    assert CHONGQING_TITLE in titles and len(titles) >= 2
    assert page.locator(".search-excerpt mark").count() >= 1  # the match is highlighted
    page.locator('input[name="地区"][value="重庆"]').check()
    page.wait_for_function(
        "n => document.querySelectorAll('.search-result-link').length < n", arg=len(titles))
    narrowed = page.locator(".search-result-link").all_inner_texts()
    assert narrowed == [CHONGQING_TITLE]
    page.locator(".search-result-link", has_text=CHONGQING_TITLE).click()
    page.wait_for_url(re.compile(r".*/digest/articles/[^/]+/$"))  # result links work under the subpath
    assert foreign == []
    page.close()


def test_typing_a_query_searches(served):
    site, context, foreign = served
    page = context.new_page()
    page.goto(site.base_url + "search/")
    page.wait_for_selector("#search.search-ready")
    page.locator("#search-input").fill("以工代赈")
    page.wait_for_selector(".search-result-link")
    assert any("以工代赈" in t for t in page.locator(".search-result-link").all_inner_texts())
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots(served, width):
    site, context, foreign = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.base_url)
    article = page.locator(".article-card h2 a").first.get_attribute("href")
    for name, path in (("home", ""), ("article", article.removeprefix("/digest/")), ("regions", "regions/")):
        page.goto(site.base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
        shot = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    assert foreign == []
    page.close()
