"""The order pages are rendered in: by the articles they show (PagePlan.near), so that each
render worker takes a run of pages reading the same articles (generator.build.workers);
the records still come back in the planned order."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import jinja2

from generator.build.render_pages import render_pages
from generator.config import SiteConfig
from generator.index import build_site
from generator.render import PagePlan, page_plans, site_reader
from tests.test_index import BASE, CHONGQING, GUANGDONG, JOBS, PENSION, make


def test_every_page_says_where_the_first_article_it_shows_stands():
    articles = [make(n, BASE - timedelta(hours=9 * n), region=(CHONGQING, GUANGDONG, None)[n % 3],
                     topics=((JOBS,), (PENSION,), ())[n % 2]) for n in range(40)]
    site, _ = build_site(articles, 4)
    config = SiteConfig(base_url="https://example.org/")
    reader = site_reader(site, config)
    position = {article.id: n for n, article in enumerate(site.articles)}
    kinds = set()
    for plan in page_plans(reader, site, config):
        context = plan.spec().context
        if plan.template == "article.html":
            first = context["article"]["id"]
        elif context.get("articles"):
            first = context["articles"][0]["id"]
        elif plan.template in ("daily.html", "weekly.html"):
            term = next(t for t in site.days + site.weeks if plan.path.endswith(f"/{t.slug}/index.html"))
            first = term.article_ids[0]
        else:
            assert plan.near == 0, plan.path  # a page of terms, not of articles
            continue
        kinds.add(plan.template)
        assert plan.near == position[first], plan.path
    assert kinds == {"article.html", "index.html", "daily.html", "weekly.html"}


class _Recorder:
    def __init__(self) -> None:
        self.claimed: list[str] = []
        self.put_order: list[str] = []

    def claim(self, path: str) -> None:
        self.claimed.append(path)

    def put(self, path: str, data: bytes) -> None:
        self.put_order.append(path)

    def put_unless_same(self, path: str, data: bytes, same: bool | None = None) -> bool:
        self.put(path, data)
        return True


def test_pages_are_rendered_in_article_order_and_recorded_in_planned_order():
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ path }}"}))
    nears = [5, 0, 3, 0, 9, 1]
    pages = [(PagePlan(f"p{n}.html", "t.html", lambda n=n: {"path": f"p{n}"}, (), near), None, "")
             for n, near in enumerate(nears)]
    writer = _Recorder()
    records = render_pages(pages, writer, env, 1)
    assert writer.put_order == ["p1.html", "p3.html", "p5.html", "p2.html", "p0.html", "p4.html"]
    assert [digest for digest, _, _ in records] == [hashlib.sha256(f"p{n}".encode()).hexdigest() for n in range(6)]
