"""The briefings site (tests/fixtures/briefings) walked in a real browser (Debian's Chromium through
Playwright) as a reader would, at a phone and a desktop width, served from the subpath /brief/:
home -> today's briefing -> older days -> the week -> back to a day -> one outlet's report of a
story -> back -> the day's tile map -> the region page. Every step is a click on a link the reader
sees (never a goto), and on every page: no sideways scroll, no console error, no failed request.

Screenshots go to $DIGEST_ARTIFACTS (default: test-artifacts/screenshots/, git-ignored), named
briefings-<page>-<width>.png, plus briefings-daily-dark-<width>.png in dark mode.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser import launch_chromium, local_only, require_browser, serve_site
from tests.conftest import FIXTURES, TESTS

ARTIFACTS = Path(os.environ.get("DIGEST_ARTIFACTS", TESTS.parent / "test-artifacts" / "screenshots"))
LEAD_TITLE = "重庆出台稳就业十条措施 今年将新增城镇就业70万人"  # 重庆日报, first to report the story
GMW_TITLE = "重庆：今年将新增城镇就业70万人"  # 光明网's report of the same story
OUTLETS = ["重庆日报", "光明网", "新浪财经"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_browser()
    from generator.build import build
    from generator.config import load_config

    site = tmp_path_factory.mktemp("briefings-browser") / "site"
    shutil.copytree(FIXTURES / "briefings", site)
    result = build(load_config(site / "site.toml"))
    assert result.written and not result.diagnostics, [str(d) for d in result.diagnostics]
    with serve_site(site / "output", "/brief/") as served_site, launch_chromium() as (_, browser):
        yield served_site, browser


class Reader:
    """One page in one browser context, recording what went wrong on the way."""

    def __init__(self, site, browser, width: int, scheme: str = "light"):
        self.site, self.width, self.scheme = site, width, scheme
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                           color_scheme=scheme)
        self.context.set_default_timeout(10_000)  # generous: the CI machine may be busy
        self.foreign: list[str] = []  # requests that tried to leave 127.0.0.1 (aborted)
        self.context.route("**/*", lambda route: local_only(route, site.origin, self.foreign))
        self.page = self.context.new_page()
        self.errors: list[str] = []  # console errors, uncaught exceptions, failed local requests
        self.page.on("console", lambda m: self.errors.append(f"console {m.text} at {m.location}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror {exc}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}")
                     if r.url.startswith(site.origin) and r.status >= 400 else None)

    def _failed(self, request) -> None:
        # The browser fetches the favicon after "load"; a click that leaves the page first
        # cancels it (net::ERR_ABORTED). Not a failure: a missing favicon would answer 404.
        if not request.url.startswith(self.site.origin):
            return
        if request.failure == "net::ERR_ABORTED" and "/static/favicon." in request.url:
            return
        self.errors.append(f"failed {request.url}: {request.failure}")

    def click_to(self, locator, path: str | re.Pattern) -> None:
        """Click what the reader would click and wait for the page it leads to."""
        locator.click()
        self.arrive(path)

    def arrive(self, path: str | re.Pattern) -> None:
        url = self.site.base_url + path if isinstance(path, str) else path
        self.page.wait_for_url(url, wait_until="load")
        self.check()

    def check(self) -> None:
        """What must hold on every page: the stylesheet applied, nothing wider than the screen,
        nothing went wrong so far."""
        where = f"{self.page.url} at {self.width} px ({self.scheme})"
        assert self.page.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system"), \
            f"{where}: style.css not applied"
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{where} scrolls sideways by {overflow} px"
        assert self.errors == [], f"{where}: {self.errors}"
        assert self.foreign == [], f"{where} reached out: {self.foreign}"

    def shoot(self, name: str) -> None:
        shot = ARTIFACTS / f"briefings-{name}-{self.width}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000, f"{shot} is nearly empty"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_reader_follows_a_story_from_the_home_page(served, width: int):
    site, browser = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reader = Reader(site, browser, width)
    page = reader.page
    try:
        # 1. Home: 今日 leads to the latest day's briefing.
        page.goto(site.base_url)
        reader.arrive("")
        reader.shoot("home")
        reader.click_to(page.locator("nav.briefing-links a", has_text=re.compile(r"^\s*今日")), "daily/2024-05-28/")
        assert page.locator("h1").inner_text() == "2024年5月28日（星期二）"

        # 2. 较早, day by day, back to Monday 20 May.
        days = []
        while not page.url.endswith("/daily/2024-05-20/"):
            assert len(days) < 5, f"较早 never reached 2024-05-20: {days}"
            reader.click_to(page.locator("nav.prev-next a[rel=next]", has_text="较早"),
                            re.compile(r".*/brief/daily/\d{4}-\d\d-\d\d/$"))
            days.append(page.url.removeprefix(site.base_url))
        assert days == ["daily/2024-05-27/", "daily/2024-05-21/", "daily/2024-05-20/"]
        assert page.locator("nav.prev-next a", has_text="较早").count() == 0  # the first day has no older one

        # ... up to its week, and back to the day from the week's list of days.
        reader.click_to(page.locator(".briefing-header .meta a", has_text="2024年第21周"), "weekly/2024-W21/")
        assert page.locator("h1").inner_text().startswith("2024年第21周")
        reader.shoot("weekly")
        reader.click_to(page.locator("ul.term-list a", has_text="2024年5月20日"), "daily/2024-05-20/")
        reader.shoot("daily")

        # 3. The 重庆 story: told once, with its three outlets and three reports.
        story = page.locator("li.briefing-story")
        assert story.count() == 1
        assert story.locator("a.story-title").inner_text() == LEAD_TITLE
        outlets = story.locator("p.story-outlets")
        outlet_links = outlets.locator("a", has_not_text="原文")
        assert outlet_links.all_inner_texts() == OUTLETS
        assert "3 篇报道" in outlets.inner_text()
        reader.click_to(outlet_links.filter(has_text="光明网"), "articles/cq-jobs-gmw/")
        assert page.locator("h1").inner_text() == GMW_TITLE
        reports = page.locator("aside.story-reports")
        assert reports.locator("h2").inner_text() == "同一新闻的其他报道"
        items = reports.locator("li")
        assert items.count() == 2
        assert items.nth(0).locator("a").first.inner_text() == "重庆日报" and "首发" in items.nth(0).inner_text()
        assert items.nth(1).locator("a").first.inner_text() == "新浪财经" and "首发" not in items.nth(1).inner_text()
        reader.shoot("article")

        # 4. Back to the day, and into 重庆 through the day's tile map.
        page.go_back()
        reader.arrive("daily/2024-05-20/")
        tile = page.locator('svg.tile-map a.tile[aria-label="重庆 1 篇"]')
        assert page.locator("svg.tile-map a.tile").count() == 1  # only 重庆 has articles that day
        reader.click_to(tile, "regions/chongqing/")
        assert page.locator("h1").inner_text() == "重庆"
        assert LEAD_TITLE in page.locator(".article-list").all_inner_texts()[0]
        reader.shoot("region")
    finally:
        reader.context.close()

    # The same day in dark mode, for a human to look at.
    dark = Reader(site, browser, width, "dark")
    try:
        dark.page.goto(site.base_url + "daily/2024-05-20/")
        dark.arrive("daily/2024-05-20/")
        assert dark.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        dark.shoot("daily-dark")
    finally:
        dark.context.close()


@pytest.mark.parametrize("path", ["daily/", "weekly/"])
def test_a_briefing_archive_keeps_each_date_on_one_line_on_a_phone(served, path: str):
    """The archives list long names (2024年5月28日（星期二）, a week with its dates): in the
    narrow columns of the terms' grid they broke mid-name at 390 px."""
    site, browser = served
    reader = Reader(site, browser, 390)
    try:
        reader.page.goto(site.base_url + path)
        reader.arrive(path)
        links = reader.page.locator("ul.term-list a")
        assert links.count() >= 2
        lines = links.evaluate_all("els => els.map(e => [e.textContent, e.getClientRects().length])")
        assert [name for name, count in lines if count != 1] == [], f"{path} at 390 px breaks names: {lines}"
    finally:
        reader.context.close()
