"""One site built from every XSS payload in ../shared/security, for the security tests.

Each payload i becomes several articles ("cases"), so that it reaches every place where
input can reach a page:

- ``body``  the body is the payload alone (Markdown, or HTML whole when the payload opens
  with a block tag); the front matter's alias fields ``thumbnail``, ``link``, ``source``,
  ``breadcrumb`` and ``categories`` (as a plain string) carry the payload too;
- ``sina``  the payload in the Sina markup real input has (``<p cms-style="font-L">…</p>``),
  so the body is taken as HTML whole; the remaining alias fields ``cover``, ``url``,
  ``description`` and ``origin`` carry the payload;
- ``fm``    the payload in title, author, categories, tags, topics, summary, headimg,
  origin_url, outlet, editor, slug and region (YAML written by ``yaml.safe_dump``);
- ``date``  the payload as ``date``/``updated`` (refused with a diagnostic, or parsed);
- ``txt``   a raw text scrape with the payload as 正在阅读/headline, breadcrumb, 来源 line
  and a body line;
- ``page``  a saved HTML page (no front matter) with the payload raw in <title>, <h1>, the
  dateline and the article body, and escaped in its meta tags.

Every body carries a plain marker paragraph ``用例 <case>-<i>``, so a finding on a built
page can be traced back to its payload (``PayloadSite.cases_on``, ``PayloadSite.case_of``).

The site is built with ``base_url = "http://127.0.0.1/digest/"``, so every link is under the
``/digest/`` subpath that ``tests/browser.serve_site`` serves it from.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

SECURITY = Path(__file__).resolve().parents[2] / "shared" / "security"
PAYLOADS_FILE = SECURITY / "xss-payloads.txt"
CASES = ("body", "sina", "fm", "date", "txt", "page")
SUBPATH = "/digest/"  # the site's base path (base_url = http://127.0.0.1/digest/)
_MARKER = re.compile(r"用例 ((?:body|sina|fm|date|txt|page)-\d+)")
_CASE_SLUG = re.compile(r"(?:body|sina|date)-\d+")
_FILLER = ("人力资源和社会保障部印发通知，进一步做好高校毕业生等重点群体就业帮扶工作，"
           "各地要落实社保补贴和创业担保贷款政策，帮助脱贫人口稳定就业。")


def read_payloads() -> list[str]:
    """The payloads in file order; split on LF only (two payloads hold a literal TAB)."""
    text = PAYLOADS_FILE.read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line]


@dataclass(frozen=True)
class PayloadSite:
    payloads: list[str]
    root: Path
    output: Path
    articles: int
    skipped: int
    diagnostics: tuple
    base_path: str = SUBPATH

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))

    def data_files(self) -> list[Path]:
        """Feeds, sitemaps and search data: every written file that is XML or JSON."""
        return sorted(p for p in self.output.rglob("*") if p.is_file()
                      and p.suffix.lower() in {".xml", ".json", ".rss", ".atom", ".xsl", ".webmanifest"})

    def cases_on(self, page_html: str) -> list[str]:
        """The cases (e.g. ``fm-17``) whose marker a page shows."""
        return sorted(set(_MARKER.findall(page_html)), key=_case_key)

    def payload_of(self, case: str) -> str:
        return self.payloads[int(case.rsplit("-", 1)[1])]

    def describe_cases(self, cases) -> str:
        cases = list(cases)
        text = "; ".join(f"{c}: {self.payload_of(c)!r}" for c in cases[:3])
        return (text + (f"; +{len(cases) - 3} more cases" if len(cases) > 3 else "")) or "no case marker"

    def describe(self, page_html: str) -> str:
        """The cases on a page with their payloads, for assertion messages."""
        return self.describe_cases(self.cases_on(page_html))

    @cached_property
    def article_cases(self) -> dict[str, str]:
        """URL path of every article page (``/digest/articles/x/``) -> its case."""
        found = {}
        for path in self.output.glob("articles/*/index.html"):
            by_slug = _CASE_SLUG.fullmatch(path.parent.name)  # body/sina/date set their slug
            cases = [by_slug.group(0)] if by_slug else self.cases_on(path.read_text(encoding="utf-8"))
            if cases:  # the marker is in the body: a payload may swallow it (an unclosed <script>)
                found[self.url_path(path)] = cases[0]
        return found

    def url_path(self, path: Path) -> str:
        """Site URL path of a built file (``index.html`` files by their folder)."""
        rel = path.relative_to(self.output).as_posix()
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return self.base_path + rel

    def case_of(self, url: str | None) -> str | None:
        """The case of the article a link (absolute or site-relative) points to."""
        if not url:
            return None
        path = unquote(urlsplit(url).path)
        return self.article_cases.get(path) or self.article_cases.get(path.rstrip("/") + "/")

    def built_cases(self) -> set[str]:
        return set(self.article_cases.values())


def _case_key(case: str) -> tuple[str, int]:
    name, number = case.rsplit("-", 1)
    return name, int(number)


def _front_matter(meta: dict, body: str) -> str:
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1 << 16)
    return f"---\n{dumped}---\n\n{body}\n"


def _marker(case: str, i: int) -> str:
    return f"用例 {case}-{i}。{_FILLER}"


def write_content(content: Path, payloads: list[str]) -> None:
    """Every case for every payload, as source files under ``content``."""
    for case in CASES:
        (content / case).mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(payloads):
        date = f"2023-01-{1 + i // 60 % 28:02d} {i // 60 % 24:02d}:{i % 60:02d}"
        (content / "body" / f"{i:03d}.md").write_text(_front_matter(
            {"title": f"正文用例 {i}", "date": date, "slug": f"body-{i}", "thumbnail": p, "link": p,
             "source": p, "breadcrumb": [p, "国内"], "categories": p},
            f"{p}\n\n{_marker('body', i)}"), encoding="utf-8")
        (content / "sina" / f"{i:03d}.md").write_text(_front_matter(
            {"title": f"新浪用例 {i}", "date": date, "slug": f"sina-{i}", "author": "新浪网",
             "cover": p, "url": p, "description": p, "origin": p},
            f'<div class="article">\n<p cms-style="font-L">{p}</p>\n'
            f'<p cms-style="font-L">{p}\n'  # left open: the payload's own markup decides where it ends
            f"<p>{_marker('sina', i)}</p>\n</div>"), encoding="utf-8")
        (content / "fm" / f"{i:03d}.md").write_text(_front_matter(
            {"title": p, "date": date, "author": p, "categories": [p, "就业"], "tags": [p],
             "topics": [p], "summary": p, "headimg": p, "origin_url": p, "outlet": p,
             "editor": p, "slug": p, "region": p},
            _marker("fm", i)), encoding="utf-8")
        (content / "date" / f"{i:03d}.md").write_text(_front_matter(
            {"title": f"日期用例 {i}", "date": p, "updated": p, "slug": f"date-{i}"},
            _marker("date", i)), encoding="utf-8")
        (content / "txt" / f"{i:03d}.txt").write_text("\n".join([
            f"正在阅读：{p}", f"首页 > {p} > 正文", p, f"来源：{p} 2023-01-01 10:00",
            _marker("txt", i), p, _FILLER, ""]), encoding="utf-8")
        attr = html.escape(p, quote=True)
        (content / "page" / f"{i:03d}.html").write_text(
            '<!doctype html><html><head><meta charset="utf-8">'
            f'<title>{p}</title><meta property="og:title" content="{attr}">'
            f'<meta name="author" content="{attr}"><meta property="og:url" content="{attr}">'
            f'<meta name="source" content="{attr}"></head><body>'
            f'<h1>{p}</h1><div class="date">2023-01-01 10:00 来源：{p}</div>'
            f'<div class="article"><p>{_marker("page", i)}</p><p>{p}</p>'
            f"<p>{_FILLER}{_FILLER}</p><p>{_FILLER}</p></div></body></html>\n",
            encoding="utf-8")


def build_payload_site(root: Path) -> PayloadSite:
    """Write the content and build it with the real pipeline (which must not raise)."""
    from generator.build import build
    from generator.config import load_config

    payloads = read_payloads()
    root.mkdir(parents=True, exist_ok=True)
    write_content(root / "content", payloads)
    (root / "site.toml").write_text(
        f'title = "XSS 验收"\nbase_url = "http://127.0.0.1{SUBPATH}"\npage_size = 50\n', encoding="utf-8")
    result = build(load_config(root / "site.toml"))
    assert result.written, "the payload site was not written"
    return PayloadSite(payloads, root, root / "output", result.articles, result.skipped, result.diagnostics)


_BUILT: dict[str, PayloadSite] = {}


def payload_site(tmp_path_factory) -> PayloadSite:
    """The payload site, built once per test session (the static and browser tests share it)."""
    if "site" not in _BUILT:
        _BUILT["site"] = build_payload_site(tmp_path_factory.mktemp("xss") / "site")
    return _BUILT["site"]
