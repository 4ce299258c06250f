"""Issue 3, browser half: headless Chromium opens every page of the payload site (see
``xss_site``), focuses, hovers and clicks its elements, and must see no dialog, no console
message from a payload and no request to another host.

One browser context with a few tabs, each reused for page after page, driven concurrently
through Playwright's async API (the wait for timers on one tab overlaps the work on the
others). Before any page script runs, an init script wraps alert/confirm/prompt/print/open
so that every call is recorded (the dialog listener is a second, independent check), and
installs a capture-phase click listener that records a click on a link with a script URL
and then cancels the navigation. Every request to a host other than the test server is
aborted and recorded.

Per page: one evaluate checks the parsed DOM (script elements, on* attributes, frames,
script-URL links) and then focuses every element and dispatches pointer, mouse, focus,
animation, transition and media events to it; the real mouse then hovers and clicks the
first focusable elements of <main>; a last evaluate waits TIMER_WAIT_MS for timers and reads
what the canary recorded.
"""
from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests import xss_site
from tests.browser import launch_chromium_async, require_browser, serve_site

TABS = 4             # tabs of the one context, working concurrently
TIMER_WAIT_MS = 80   # after the last interaction, for setTimeout/animation payloads
REAL_SAMPLE = 6      # elements of <main> per page that get a real mouse hover + click
VIEWPORT = {"width": 1024, "height": 768}
SEARCH_RESULT = ".search-results li, .pagefind-ui__result"  # the theme's list, or Pagefind's UI
SEARCH_TERMS = ("alert", "onerror", "javascript", "svg")  # each finds many payload articles

INIT_SCRIPT = r"""
(() => {
  if (window.__xss) return;
  const record = { calls: [], links: [] };
  Object.defineProperty(window, "__xss", { value: record });
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    const original = window[name];
    window[name] = function (...args) {
      record.calls.push(name + "(" + args.map(String).join(", ").slice(0, 120) + ")");
      return (name === "print" || name === "open") ? null : original.apply(this, args);
    };
  }
  const scheme = (href) => {
    try { return new URL(href, document.baseURI).protocol.toLowerCase(); } catch (e) { return ""; }
  };
  window.addEventListener("click", (event) => {
    const target = event.target;
    const link = target && target.closest ? target.closest("a, area") : null;
    if (!link) return;
    const href = link.getAttribute("href") ?? link.getAttribute("xlink:href");
    if (href !== null && ["javascript:", "vbscript:", "data:"].includes(scheme(href)))
      record.links.push(href.slice(0, 160));
    event.preventDefault();  // checked first, then no navigation away
  }, true);
  window.addEventListener("submit", (event) => event.preventDefault(), true);
})();
"""

SWEEP_SCRIPT = r"""
([base, sample]) => {
  const own = location.origin + base;
  const findings = [];
  const where = (el) => {
    const card = el.closest && el.closest("li, article, nav");
    const link = (el.closest && el.closest("a[href]")) || (card && card.querySelector("a[href]"));
    return link ? link.getAttribute("href") : null;
  };
  const note = (el, what) => findings.push({ what: what.slice(0, 200), href: where(el) });
  const forbidden = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "form", "base",
                             "portal", "fencedframe"]);
  const scriptUrl = (value) => {
    try { return ["javascript:", "vbscript:", "data:"].includes(new URL(value, document.baseURI).protocol); }
    catch (e) { return false; }
  };
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    for (const name of el.getAttributeNames())
      if (name.toLowerCase().startsWith("on")) note(el, `attribute ${name} on <${tag}>`);
    // the search box Pagefind's own UI builds is the one form a page may have
    const pagefindForm = tag === "form" && el.matches(".pagefind-ui > form.pagefind-ui__form")
      && [null, "javascript:void(0);"].includes(el.getAttribute("action"));
    if (forbidden.has(tag) && !pagefindForm) note(el, `<${tag}> element`);
    if (tag === "style" && !el.closest("head")) note(el, "<style> outside <head>");
    if (tag === "script") {
      const src = el.getAttribute("src");
      const ok = src === null
        ? (el.type === "application/ld+json" && el.closest("head") !== null)
        : (el.src.startsWith(own + "static/") || el.src.startsWith(own + "pagefind/"));
      if (!ok) note(el, `<script> ${src === null ? el.textContent.slice(0, 80) : "src=" + src}`);
    }
    if ((tag === "a" || tag === "area") && el.hasAttribute("href") && scriptUrl(el.getAttribute("href")))
      note(el, `script URL href=${el.getAttribute("href")}`);
  }
  const events = [
    [PointerEvent, ["pointerover", "pointerenter", "pointerdown", "pointerup"]],
    [MouseEvent, ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "click", "dblclick",
                  "contextmenu", "mouseout", "mouseleave"]],
    [FocusEvent, ["focus", "focusin", "blur", "focusout"]],
    [AnimationEvent, ["animationstart", "animationiteration", "animationend"]],
    [TransitionEvent, ["transitionrun", "transitionstart", "transitionend"]],
    [Event, ["load", "error", "toggle", "input", "change", "scroll", "play", "canplay", "ended", "begin",
             "end", "readystatechange"]],
  ];
  const targets = document.body ? [document.body, ...document.body.querySelectorAll("*")] : [];
  for (const el of targets) {
    if (typeof el.focus === "function") { try { el.focus({ preventScroll: true }); } catch (e) {} }
    for (const [Ctor, types] of events)
      for (const type of types) {
        // not bubbling: every element gets its own; capture listeners still see each one
        try { el.dispatchEvent(new Ctor(type, { bubbles: false, cancelable: true })); } catch (e) {}
      }
  }
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  const main = document.querySelector("main") || document.body;
  const boxes = [];
  if (main) {
    const candidates = main.querySelectorAll("a[href], area[href], button, input, select, textarea, summary, "
      + "[tabindex], [contenteditable], img, svg, video, audio");
    for (const el of candidates) {
      if (boxes.length >= sample) break;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0)
        boxes.push({ x: r.left + r.width / 2 + scrollX, y: r.top + r.height / 2 + scrollY });
    }
  }
  return { findings, boxes };
}
"""

COLLECT_SCRIPT = r"""
async (ms) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { calls: window.__xss ? window.__xss.calls : ["(the init script did not run)"],
           links: window.__xss ? window.__xss.links : [] };
}
"""

# Chromium's own remarks that no payload can cause (the deprecation note it prints for
# every feed shown through XSLT; its note when a page's own autofocus comes after ours),
# and the 404 of a payload's relative <img src=x> on the test server itself.
CHROMIUM_NOISE = (
    re.compile(r"^XSLTProcessor and XSLT Processing Instructions have been deprecated"),
    re.compile(r"^Autofocus processing was blocked because a document already has a focused element"),
)
OWN_404 = re.compile(r"^Failed to load resource: the server responded with a status of 404")


@dataclass
class Finding:
    page: str
    kind: str
    detail: str
    href: str | None = None


@dataclass
class Tab:
    page: object
    url: str = ""
    events: list = field(default_factory=list)  # (kind, detail) from the page's listeners
    crashed: bool = False  # the page's renderer died (Playwright's "crash" event)


class Prober:
    """Opens pages in a few reused tabs of one context and records everything a payload did."""

    def __init__(self, context, served):
        self.context = context
        self.served = served
        self.own = f"{served.host}:{served.port}"
        self.findings: list[Finding] = []
        self.foreign: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.pages_checked = 0

    async def start(self, tabs: int = TABS) -> "Prober":
        await self.context.add_init_script(INIT_SCRIPT)
        await self.context.route(re.compile(r"^(?!https?://" + re.escape(self.own) + r"/)"), self._foreign_request)
        self.tabs = [self._listen(Tab(await self.context.new_page())) for _ in range(tabs)]
        return self

    async def _fresh_page(self, tab: Tab) -> None:
        """A crashed page stays dead: every later URL given to it would fail unchecked."""
        try:
            await tab.page.close()
        except Exception:  # noqa: BLE001 - a crashed page may refuse even that
            pass
        tab.page, tab.crashed = await self.context.new_page(), False
        self._listen(tab)

    def _listen(self, tab: Tab) -> Tab:
        page = tab.page
        page.set_default_timeout(15_000)

        async def on_dialog(dialog):
            tab.events.append(("dialog", f"{dialog.type}: {dialog.message[:120]!r}"))
            try:
                await dialog.dismiss()
            except Exception:  # noqa: BLE001 - the page may be gone already
                pass

        def on_console(message):
            text = message.text
            location = (message.location or {}).get("url", "")
            if any(noise.match(text) for noise in CHROMIUM_NOISE) or (OWN_404.match(text) and self._is_own(location)):
                return
            tab.events.append(("console", f"{message.type}: {text[:200]!r} at {location[:120]}"))

        async def on_popup(popup):
            tab.events.append(("popup", popup.url[:200]))
            await popup.close()

        page.on("dialog", on_dialog)
        page.on("console", on_console)
        page.on("pageerror", lambda error: tab.events.append(("pageerror", str(error)[:200])))
        page.on("websocket", lambda ws: tab.events.append(("websocket", ws.url[:200])))
        page.on("popup", on_popup)
        page.on("crash", lambda _page: setattr(tab, "crashed", True))
        return tab

    def _is_own(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.netloc == self.own

    async def _foreign_request(self, route):
        request = route.request
        if request.url.startswith(("data:", "about:", "blob:")):
            await route.fallback()
            return
        try:
            page_url = request.frame.page.url
        except Exception:  # noqa: BLE001 - service workers have no frame
            page_url = "?"
        self.foreign.append((page_url, request.url))
        await route.abort()

    async def check(self, urls: list[str], *, wait_for: str | None = None) -> None:
        """Open every URL, each tab taking the next one as soon as it is done."""
        queue = list(reversed(urls))

        async def work(tab: Tab) -> None:
            while queue:
                await self._check_one(tab, queue.pop(), wait_for)

        await asyncio.gather(*(work(tab) for tab in self.tabs))

    async def _check_one(self, tab: Tab, url: str, wait_for: str | None, retried: bool = False) -> None:
        """Open `url` and record what it did. A renderer crash is checked once more in a new
        page: a page that crashes Chromium again is a finding; one that loads cleanly the
        second time was the browser's own failure (noted), and what the first attempt had
        already recorded (a dialog before the crash) is kept as findings either way."""
        tab.url, tab.events = url, []
        page = tab.page
        state = {"calls": [], "links": []}
        try:
            await page.goto(url, wait_until="load")
            if wait_for:
                # poll (a payload's dialogs stall Playwright's own selector polling)
                for _ in range(20):
                    if await page.evaluate("s => document.querySelector(s) !== null", wait_for):
                        break
                    await page.wait_for_timeout(250)
                else:
                    self.notes.append(f"{url}: {wait_for} did not appear within 5 s")
            result = await page.evaluate(SWEEP_SCRIPT, [self.served.subpath, REAL_SAMPLE])
            for item in result["findings"]:
                self.findings.append(Finding(url, "dom", item["what"], item["href"]))
            # the real mouse: moving there hovers, then a click (link navigation is cancelled
            # by the init script after it checked the link)
            scroll_y, height = 0, VIEWPORT["height"]
            for box in result["boxes"]:
                if not scroll_y <= box["y"] < scroll_y + height - 10:
                    scroll_y = await page.evaluate("y => { window.scrollTo(0, y); return window.scrollY; }",
                                                   max(0, int(box["y"]) - height // 2))
                await page.mouse.click(box["x"], box["y"] - scroll_y)
            state = await page.evaluate(COLLECT_SCRIPT, TIMER_WAIT_MS)
            if page.url.split("#")[0] != url.split("#")[0]:
                self.findings.append(Finding(url, "navigation", f"the page went to {page.url[:200]}"))
        except Exception as exc:  # noqa: BLE001 - a page that breaks the browser is a finding
            if not tab.crashed:
                await asyncio.sleep(0.25)  # the "crash" event can arrive just after goto's own error
            if tab.crashed:
                await self._fresh_page(tab)
                if not retried:
                    self.findings.extend(Finding(url, kind, detail) for kind, detail in tab.events)
                    self.notes.append(f"{url}: the tab crashed ({str(exc)[:80]}); checked again in a new tab")
                    await self._check_one(tab, url, wait_for, retried=True)
                    return
            self.findings.append(Finding(url, "error", f"{type(exc).__name__}: {str(exc)[:300]}"))
        for call in state["calls"]:
            self.findings.append(Finding(url, "canary", call))
        for href in state["links"]:
            self.findings.append(Finding(url, "script-link click", href))
        for kind, detail in tab.events:
            self.findings.append(Finding(url, kind, detail))
        tab.events = []
        self.pages_checked += 1


# --- attribution and report --------------------------------------------------------------

def _path_of(site: xss_site.PayloadSite, served, url: str) -> Path | None:
    path = urlsplit(url).path
    if not path.startswith(served.subpath):
        return None
    rel = path[len(served.subpath):]
    candidate = site.output / rel
    if rel == "" or rel.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def describe(site: xss_site.PayloadSite, served, finding: Finding) -> str:
    case = site.case_of(finding.href) if finding.href else None
    if case is None:
        case = site.case_of(urlsplit(finding.page).path)
    if case is not None:
        who = site.describe_cases([case])
    else:
        path = _path_of(site, served, finding.page)
        who = site.describe(path.read_text(encoding="utf-8")) if path else "no case marker"
    page = urlsplit(finding.page)
    return f"{page.path}{'?' + page.query if page.query else ''} [{finding.kind}] {finding.detail} <- {who}"


# --- the tests ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def site(tmp_path_factory) -> xss_site.PayloadSite:
    if not xss_site.PAYLOADS_FILE.is_file():
        pytest.skip(f"{xss_site.PAYLOADS_FILE} not present")
    return xss_site.payload_site(tmp_path_factory)


def _feed_files(site: xss_site.PayloadSite) -> list[Path]:
    """Feeds a browser shows through the theme's XSLT: the site's own, and those of the first
    terms (the main feeds hold only the newest items; term feeds hold payload titles)."""
    feeds = [site.output / name for name in ("rss.xml", "atom.xml") if (site.output / name).is_file()]
    for kind in ("topics", "regions"):
        feeds += sorted((site.output / kind).glob("*/rss.xml"))[:10]
        feeds += sorted((site.output / kind).glob("*/atom.xml"))[:10]
    return feeds


async def _probe(folder: Path, subpath: str, batches: list[tuple[list[str], str | None]]):
    """Serve `folder`, open every batch of relative URLs (with an optional selector to wait for)."""
    with serve_site(folder, subpath) as served:
        async with launch_chromium_async() as (_, browser):
            context = await browser.new_context(viewport=VIEWPORT, service_workers="block")
            prober = await Prober(context, served).start()
            for rels, wait_for in batches:
                await prober.check([served.base_url + rel for rel in rels], wait_for=wait_for)
            await context.close()
    return served, prober


def _run(site: xss_site.PayloadSite, rels: list[str], wait_for: str | None = None) -> tuple[list[str], object, float]:
    started = time.monotonic()
    served, prober = asyncio.run(_probe(site.output, site.base_path, [(rels, wait_for)]))
    seconds = time.monotonic() - started
    findings = [describe(site, served, f) for f in prober.findings]
    findings += [describe(site, served, Finding(page, "foreign request", url[:160])) for page, url in prober.foreign]
    for note in prober.notes:
        print("  note:", note)
    assert prober.pages_checked == len(rels)
    return findings, prober, seconds


def test_no_payload_runs_in_chromium(site):
    """Every built page (and the feeds, shown through the theme's XSLT) in Chromium."""
    require_browser()
    rel = lambda path: site.url_path(path)[len(site.base_path):]  # noqa: E731
    pages = [rel(p) for p in site.html_files()]
    feeds = [rel(p) for p in _feed_files(site)]
    findings, prober, seconds = _run(site, pages + feeds)
    print(f"\nbrowser XSS check: {prober.pages_checked} pages ({len(pages)} HTML, {len(feeds)} feeds) "
          f"in {seconds:.1f}s, {len(findings)} findings")
    assert not findings, report(findings)


def test_search_results_run_no_payload(site):
    """The search page with queries that find the payload articles: titles, excerpts and filter
    labels (front-matter topic names) from the index all carry payload text. (Pagefind's
    Default UI wrote filter labels with innerHTML: this test found that hole.)"""
    require_browser()
    if not (site.output / "search" / "index.html").is_file():
        pytest.skip("the site has no search page")
    searches = [f"search/?q={quote(term)}" for term in SEARCH_TERMS]
    findings, prober, seconds = _run(site, searches, SEARCH_RESULT)
    print(f"\nbrowser XSS check: {len(searches)} searches in {seconds:.1f}s, {len(findings)} findings")
    assert len(prober.notes) < len(searches), "no search showed any result: the check did not run"
    assert not findings, report(findings)


def report(findings: list[str]) -> str:
    """Counts by page and kind, then the findings themselves (first one per page and kind first)."""
    unique = sorted(set(findings))
    by_page: dict[str, int] = defaultdict(int)
    first: dict[tuple[str, str], str] = {}
    for line in unique:
        page, kind = line.split(" [", 1)[0], line.split(" [", 1)[1].split("]", 1)[0]
        by_page[page] += 1
        first.setdefault((page, kind), line)
    pages = ", ".join(f"{page} ({n})" for page, n in sorted(by_page.items(), key=lambda kv: -kv[1])[:15])
    shown = list(first.values())[:60]
    shown += [line for line in unique if line not in shown][: max(0, 100 - len(shown))]
    return (f"{len(unique)} distinct findings on {len(by_page)} pages: {pages}\n" + "\n".join(shown))


# --- the harness itself catches what it must (so a green run means something) ----------

CANARY_PAGES = {
    "clean.html": "<main><p>干净的页面</p><a href='clean.html'>链接</a></main>",
    "inline.html": "<script>alert('inline')</script>",
    "hover.html": "<main><p onmouseover=\"confirm('hover')\">悬停</p></main>",
    "link.html": "<main><a href=\"javascript:prompt('link')\">点我</a></main>",
    "timer.html": "<script>setTimeout(() => alert('timer'), 30)</script>",
    "foreign.html": "<main><img src='http://ha.ckers.org/xss.jpg'></main>",
    "console.html": "<script>console.log('from payload')</script>",
    "error.html": "<main><img src='missing.png'></main>",  # own-host 404: noise, not a finding
    # only a real (trusted) click reaches this alert: proves the real mouse clicks <main>'s links
    "trusted.html": "<main><p>文字</p><a id='t' href='#x'>真点击</a></main><script>document.getElementById('t')"
                    ".addEventListener('click', (e) => { if (e.isTrusted) alert('trusted'); })</script>",
}


def test_prober_catches_known_bad_pages(tmp_path):
    require_browser()
    root = tmp_path / "canary"
    root.mkdir()
    for name, body in CANARY_PAGES.items():
        (root / name).write_text(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{body}</body></html>",
                                 encoding="utf-8")
    (root / "404.html").write_text("<!doctype html><title>404</title><p>没有这个页面</p>", encoding="utf-8")
    _, prober = asyncio.run(_probe(root, "/digest/", [(list(CANARY_PAGES), None)]))
    kinds = defaultdict(set)
    for f in prober.findings:
        kinds[f.page.rsplit("/", 1)[1]].add(f.kind)
    for page, url in prober.foreign:
        kinds[page.rsplit("/", 1)[1]].add("foreign")
    assert prober.pages_checked == len(CANARY_PAGES)
    assert not kinds["clean.html"] and not kinds["error.html"], dict(kinds)
    assert {"dom", "canary", "dialog"} <= kinds["inline.html"], dict(kinds)
    assert {"dom", "canary", "dialog"} <= kinds["hover.html"], dict(kinds)
    assert {"dom", "script-link click"} <= kinds["link.html"], dict(kinds)  # cancelled, not run
    assert {"canary", "dialog"} <= kinds["timer.html"], dict(kinds)
    assert "foreign" in kinds["foreign.html"], dict(kinds)
    assert "console" in kinds["console.html"], dict(kinds)
    assert {"canary", "dialog"} <= kinds["trusted.html"], dict(kinds)


def test_a_crashed_tab_is_replaced_and_the_next_pages_still_checked(tmp_path):
    """One renderer crash (chrome://crash here; in CI once, a flaky one) used to leave its tab
    dead, so every later page given to that tab failed with "Page crashed", unchecked."""
    require_browser()
    root = tmp_path / "site"
    root.mkdir()
    (root / "clean.html").write_text(f"<!doctype html><meta charset='utf-8'><body>{CANARY_PAGES['clean.html']}</body>",
                                     encoding="utf-8")

    async def probe():
        with serve_site(root, "/digest/") as served:
            async with launch_chromium_async() as (_, browser):
                context = await browser.new_context(viewport=VIEWPORT, service_workers="block")
                prober = await Prober(context, served).start(tabs=1)
                await prober.check(["chrome://crash", served.base_url + "clean.html", served.base_url + "clean.html"])
                await context.close()
        return prober

    prober = asyncio.run(probe())
    by_page = defaultdict(set)
    for finding in prober.findings:
        by_page[finding.page.rsplit("/", 1)[-1]].add(finding.kind)
    assert prober.pages_checked == 3
    assert by_page.keys() == {"crash"}, dict(by_page)  # it crashed twice: a finding
    assert any("crashed" in note for note in prober.notes), prober.notes


def test_missing_browser_skips_locally_and_fails_in_ci(monkeypatch, tmp_path):
    import tests.browser as browser

    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="no-chromium is missing"):
        browser.require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI"):
        browser.require_browser()


def test_static_server_serves_the_subpath_and_answers_404_with_the_site_page(tmp_path):
    import urllib.error
    import urllib.request

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>文章</p>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<p>没有这个页面</p>", encoding="utf-8")
    with serve_site(tmp_path, "/digest/") as served:
        assert served.base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(served.base_url + "a/") as response:
            assert response.status == 200 and "文章" in response.read().decode()
        with urllib.request.urlopen(served.base_url + "a") as response:  # redirected to a/
            assert response.url.endswith("/digest/a/")
        for missing in ("nope/", "../404.html", "/../a/"):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(served.base_url + missing)
            assert err.value.code == 404 and "没有这个页面" in err.value.read().decode()
        with pytest.raises(urllib.error.HTTPError) as err:  # outside the subpath
            urllib.request.urlopen(served.origin + "/a/")
        assert err.value.code == 404
        assert served.url_for(tmp_path / "a" / "index.html") == served.base_url + "a/"
