"""Article views: what every page naming an article shows (the head), apart from its body.

An edit that leaves the head facts alone re-renders the article's own page and the feeds
carrying its body, not the listings, neighbours and related lists naming it; these tests
keep HEAD_FIELDS honest as Article and the view grow.
"""
from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import datetime
from pathlib import PurePosixPath

from generator.config import SiteConfig
from generator.model import Article, Figure, RegionRef, SubjectRef, TopicRef, pack_body, pack_region_evidence
from generator.render import article_view, body_view
from generator.render.links import Links
from generator.render.reader import HEAD_FIELDS, head_facts
from tests.conftest import SHANGHAI, perturbed

ARTICLE = Article(
    id="id1", slug="jobs", source=PurePosixPath("content/jobs.md"), kind="frontmatter", title="重庆稳就业十条措施",
    published=datetime(2024, 3, 1, 12, tzinfo=SHANGHAI), updated=datetime(2024, 3, 2, 9, tzinfo=SHANGHAI),
    origin_url="https://example.com/a", outlet="重庆日报", author="记者", editor="编辑", original_title="原题",
    cover_image="https://example.com/c.jpg", packed_body=pack_body("<p>正文。</p>", "正文。", ()), summary="重庆出台十条措施。",
    region=RegionRef("chongqing", "重庆"), packed_region_evidence=pack_region_evidence((("chongqing", 3.0),), ("重庆",)),
    topics=(TopicRef("employment-aid", "就业帮扶", "labour"),), policy=True, policy_score=2.0,
    figures=(Figure("70", "万人", "新增就业70万人"),), digest="d1",
    subjects=(SubjectRef("labour", "劳动、人事、监察", "就业"),))
LINKS = Links(SiteConfig(base_url="https://example.org/d/"))
TERM_URLS = {("region", "chongqing"): "/d/regions/chongqing/", ("topic", "employment-aid"): "/d/topics/e/",
             ("subject", "labour"): "/d/subjects/labour/"}


def _shown(view: dict) -> dict:
    return {k: v for k, v in view.items() if k != "_fp"}


def test_only_head_fields_change_the_view_and_each_of_them_changes_its_fingerprint():
    view = article_view(ARTICLE, LINKS, TERM_URLS)
    for field in dataclasses.fields(Article):
        edited = replace(ARTICLE, **{field.name: perturbed(getattr(ARTICLE, field.name))})
        other = article_view(edited, LINKS, TERM_URLS)
        if field.name in HEAD_FIELDS:
            assert head_facts(edited) != head_facts(ARTICLE) and other["_fp"] != view["_fp"], field.name
        else:  # a field the view does not show: an edit of it leaves every listing as it was
            assert _shown(other) == _shown(view), f"the view shows {field.name}: add it to HEAD_FIELDS"
            assert other["_fp"] == view["_fp"], field.name


def test_the_body_is_apart_and_its_fingerprint_follows_the_source():
    view, body = article_view(ARTICLE, LINKS, TERM_URLS), body_view(ARTICLE)
    assert "body_html" not in view and "reading_minutes" not in view
    assert body["body_html"] == "<p>正文。</p>" and body["reading_minutes"] == 1
    assert body_view(replace(ARTICLE, digest="d2"))["_fp"] != body["_fp"]
    assert body_view(ARTICLE, embed_images=True)["_fp"] != body["_fp"]


def test_a_forked_worker_keeps_only_its_last_views_and_leaves_the_shared_cache_alone(monkeypatch):
    """A render worker's views die with it: it keeps its last VIEW_WINDOW (bounded memory
    at 100,000 articles) and adds nothing to the long-lived cache; the process that made
    the views keeps every one of them (the preview reuses them on the next update)."""
    import json
    import os
    from types import SimpleNamespace

    import generator.render as render

    monkeypatch.setattr(render, "VIEW_WINDOW", 3)
    articles = [replace(ARTICLE, id=f"id{n}", slug=f"jobs-{n}") for n in range(8)]
    cache: dict = {}
    views = render.ArticleViews(SimpleNamespace(by_id={a.id: a for a in articles}), LINKS, TERM_URLS, False, "", cache)
    assert views["id0"]["url"]
    expected = [article_view(a, LINKS, TERM_URLS)["_fp"] for a in articles]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            shown = [views[a.id]["_fp"] for a in articles]
            os.write(write, json.dumps([list(dict.keys(views)), sorted(cache), shown == expected]).encode())
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    kept, cached, same = json.loads(os.read(read, 65536))
    assert kept == ["id5", "id6", "id7"] and cached == ["id0"] and same
    assert [views[a.id]["_fp"] for a in articles] == expected
    assert len(views) == 8 and sorted(cache) == [a.id for a in articles]


def test_without_a_long_lived_cache_only_a_window_of_views_is_kept(monkeypatch):
    """A one-shot build keeps no views for a later build: its main process keeps a window."""
    from types import SimpleNamespace

    import generator.render as render

    monkeypatch.setattr(render, "VIEW_WINDOW", 3)
    articles = [replace(ARTICLE, id=f"id{n}", slug=f"jobs-{n}") for n in range(8)]
    views = render.ArticleViews(SimpleNamespace(by_id={a.id: a for a in articles}), LINKS, TERM_URLS, False, "")
    shown = [views[a.id]["_fp"] for a in articles]
    assert shown == [article_view(a, LINKS, TERM_URLS)["_fp"] for a in articles]
    assert list(dict.keys(views)) == ["id5", "id6", "id7"]
    assert views.head_fingerprint("id0") == shown[0]
