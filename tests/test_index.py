"""The index stage: region, topic and month listings, and related articles."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath

from hypothesis import given, settings, strategies as st

from generator.enrich.keywords import content_keywords
from generator.enrich.story_sketch import story_numbers, story_sketch
from generator.index import build_site, related_articles
from generator.model import Article, RegionRef, TopicRef, pack_body, pack_region_evidence
from tests.conftest import SHANGHAI, perturbed

CHONGQING = RegionRef("chongqing", "重庆")
GUANGDONG = RegionRef("guangdong", "广东")
JOBS = TopicRef("employment-aid", "就业帮扶")
PENSION = TopicRef("pension", "养老保险")


def make(n: int, when: datetime | None, region=None, topics=(), policy=True, story: int = 0,
         keywords: tuple[str, ...] | None = None) -> Article:
    """An article; unless given, its keywords are its topics' names (alike when topics are)."""
    title, text = STORIES[story]
    return Article(
        id=f"id{n:03d}", slug=f"a{n}", source=PurePosixPath(f"content/{n}.md"), kind="frontmatter",
        title=f"标题{n}", published=when, updated=None, origin_url=None, outlet=None, author=None, editor=None,
        original_title=None, cover_image=None, packed_body=pack_body("<p>正文</p>", "正文", ()), summary="", region=region,
        packed_region_evidence=pack_region_evidence((), ()), topics=tuple(topics), policy=policy, policy_score=1.0, figures=(),
        digest=f"d{n}", sketch=story_sketch(title, text), numbers=story_numbers(title, text),
        keywords=tuple(t.name for t in topics) if keywords is None else keywords)


# Texts giving no story, and two that are one story with each other (a repost) within days.
_JOBS = "重庆市政府办公厅印发稳就业十条措施，今年全市将新增城镇就业70万人以上，安排12亿元就业补助资金。"
STORIES = [("", ""), ("重庆稳就业十条措施", _JOBS), ("重庆：稳就业十条措施出台", "来源：光明网。" + _JOBS)]


BASE = datetime(2024, 3, 1, 12, tzinfo=SHANGHAI)


def test_terms_group_listed_articles_newest_first_biggest_first():
    articles = [make(1, BASE, CHONGQING, [JOBS]), make(2, BASE + timedelta(days=1), CHONGQING, [JOBS, PENSION]),
                make(3, BASE + timedelta(days=2), GUANGDONG, [PENSION]), make(4, None, None, [JOBS])]
    site, _ = build_site(articles, 10)
    assert [(t.slug, t.name, t.article_ids) for t in site.regions] == [
        ("chongqing", "重庆", ("id002", "id001")), ("guangdong", "广东", ("id003",))]
    assert [(t.slug, len(t.article_ids)) for t in site.topics] == [("employment-aid", 3), ("pension", 2)]
    assert site.regions[0].url_path == "regions/chongqing/" and site.topics[1].url_path == "topics/pension/"


def test_months_are_counted_in_the_site_time_zone():
    # 2024-03-31 20:00 UTC is already April 1st in Shanghai.
    late = make(1, datetime(2024, 3, 31, 20, tzinfo=timezone.utc))
    early = make(2, datetime(2024, 3, 5, 8, tzinfo=timezone.utc))
    site, _ = build_site([late, early], 10, tz=SHANGHAI)
    assert [(t.slug, t.name, t.article_ids) for t in site.months] == [
        ("2024/04", "2024年4月", ("id001",)), ("2024/03", "2024年3月", ("id002",))]
    assert site.months[0].url_path == "archives/2024/04/"
    utc_site, _ = build_site([late, early], 10, tz=timezone.utc)
    assert [t.slug for t in utc_site.months] == ["2024/03"]


def test_term_listings_are_paginated():
    articles = [make(i, BASE + timedelta(hours=i), CHONGQING) for i in range(5)]
    site, _ = build_site(articles, 2)
    pages = site.regions[0].pages
    assert [p.number for p in pages] == [1, 2, 3] and pages[0].article_ids == ("id004", "id003")


def test_separate_non_policy_articles_stay_off_term_listings():
    articles = [make(1, BASE, CHONGQING), make(2, BASE, CHONGQING, policy=False)]
    site, _ = build_site(articles, 10, non_policy="separate")
    assert site.regions[0].article_ids == ("id001",) and site.listed == ("id001",)


JOBS_TEXT = ("重庆出台稳就业措施", "重庆市政府印发稳就业若干措施，今年新增城镇就业70万人，对吸纳高校毕业生就业的小微企业"
             "给予扩岗补助，支持高校毕业生和农民工就业创业，稳就业政策还将加力。")
JOBS_TEXT_2 = ("广东发布高校毕业生就业十条", "广东印发促进高校毕业生就业创业十条措施，对吸纳高校毕业生就业的企业给予扩岗补助，"
               "支持高校毕业生到基层就业，扩大就业见习规模。")
FRAUD_TEXT = ("重庆破获一起电信诈骗案", "重庆警方近日破获一起电信网络诈骗案，抓获犯罪嫌疑人12名，诈骗团伙冒充客服骗取"
              "受害人钱款，警方提醒市民谨防电信诈骗。")
GDP_TEXT = ("重庆一季度地区生产总值增长", "重庆市统计局发布数据，一季度全市地区生产总值同比增长6.1%，规模以上工业增加值"
            "增长7.2%，社会消费品零售总额增长5.4%，经济运行开局良好。")


def keywords_of(title_text: tuple[str, str]) -> tuple[str, ...]:
    return content_keywords(*title_text)


def test_related_is_by_content_among_articles_sharing_a_region_or_subject():
    a = make(1, BASE, CHONGQING, [JOBS], keywords=keywords_of(JOBS_TEXT))
    b = make(2, BASE - timedelta(days=30), CHONGQING, [JOBS], keywords=keywords_of(JOBS_TEXT_2))  # same region, alike
    c = make(3, BASE - timedelta(days=1), CHONGQING, [], keywords=keywords_of(GDP_TEXT))  # same region only
    d = make(4, BASE - timedelta(days=2), GUANGDONG, [JOBS], keywords=keywords_of(JOBS_TEXT_2))  # alike, a topic only
    site, _ = build_site([a, b, c, d], 10)
    assert site.related["id001"] == ("id002",)
    assert "id003" not in site.related.get("id001", ()) and "id004" not in site.related.get("id001", ())


def test_sharing_a_region_is_never_enough():
    """The fraud case of the issue: one region, nothing else alike, never related."""
    fraud = make(1, BASE, CHONGQING, [], keywords=keywords_of(FRAUD_TEXT))
    gdp = make(2, BASE - timedelta(hours=3), CHONGQING, [], keywords=keywords_of(GDP_TEXT))
    site, _ = build_site([fraud, gdp], 10)
    assert site.related == {}


def test_related_looks_only_at_neighbours_so_it_scales():
    articles = [make(i, BASE - timedelta(hours=i), CHONGQING, [JOBS]) for i in range(2000)]
    site, _ = build_site(articles, 10)
    ids = [a.id for a in site.articles]
    related = related_articles(list(site.articles), site.regions + site.topics)
    assert len(related) == 2000 and all(len(r) == 5 for r in related.values())
    # equally alike: the nearest neighbours in time come first
    assert related[ids[100]] == (ids[99], ids[101], ids[98], ids[102], ids[97])


def test_related_equals_scoring_every_window_pair_afresh():
    """related_articles keeps a pair's score only until its second side is done, and a
    vector only until its article is: the lists must be those of scoring every candidate
    afresh, within each article's windows."""
    from generator.enrich.keywords import MIN_RELATED_SIMILARITY, content_similarity
    from generator.index import _NEIGHBOURS, _ranked

    texts = [JOBS_TEXT, JOBS_TEXT_2, GDP_TEXT, FRAUD_TEXT]
    articles = [make(i, BASE - timedelta(hours=5 * i), [CHONGQING, GUANGDONG, None][i % 3],
                     [[JOBS], [PENSION], [JOBS, PENSION], []][i % 4], keywords=keywords_of(texts[(i * 7) % 4])[:10 + i % 7])
                for i in range(120)]
    site, _ = build_site(articles, 10)
    terms = site.regions + site.subjects + site.topics
    by_id = {a.id: a for a in site.articles}
    expected = {}
    for article in site.articles:
        near = {other for term in terms for i, member in enumerate(term.article_ids) if member == article.id
                for other in term.article_ids[max(0, i - _NEIGHBOURS):i + _NEIGHBOURS + 1]} - {article.id}
        scores = {other: content_similarity(article.keywords, by_id[other].keywords) for other in near}
        candidates = {other: score for other, score in scores.items() if score >= MIN_RELATED_SIMILARITY}
        if candidates:
            expected[article.id] = _ranked(article.id, candidates, {i: a.stamp for i, a in by_id.items()})
    assert expected and related_articles(list(site.articles), terms) == expected
    some = {a.id for a in site.articles[::9]}
    assert related_articles(by_id, terms, only=some) == {i: r for i, r in expected.items() if i in some}


def test_no_article_lists_another_report_of_its_own_story():
    lead = make(1, BASE, CHONGQING, [JOBS], story=1)
    repost = make(2, BASE + timedelta(hours=2), CHONGQING, [JOBS], story=2)
    other = make(3, BASE - timedelta(days=1), CHONGQING, [JOBS])
    site, _ = build_site([lead, repost, other], 10)
    assert site.stories["id002"] == ("id001", "id002")
    assert site.related["id001"] == ("id003",) and "id002" not in site.related.get("id003", ())


REGIONS = [CHONGQING, GUANGDONG, RegionRef("national", "全国"), None]
TOPICS = [JOBS, PENSION]
article_specs = st.lists(st.tuples(st.integers(0, 40), st.one_of(st.none(), st.integers(0, 30)),
                                   st.integers(0, 3), st.sets(st.integers(0, 1)), st.booleans(),
                                   st.sampled_from([0, 0, 0, 1, 2])),
                         min_size=1, max_size=60)


def _articles(specs) -> dict[int, Article]:
    found = {}
    for n, day, region, topics, policy, story in specs:
        when = BASE - timedelta(days=day) if day is not None else None
        found[n] = make(n, when, REGIONS[region], [TOPICS[t] for t in sorted(topics)], policy, story)
    return found


@settings(max_examples=150, deadline=None)
@given(article_specs, article_specs, st.sampled_from(["publish", "separate", "drop"]))
def test_indexing_around_changes_equals_a_full_indexing(before, edits, non_policy):
    """The incremental path of build_site (what the preview server uses) is exact: after any
    edits, adds and deletions its order, stories, listings, pages and related lists are the
    ones a full indexing gives."""
    old_articles = _articles(before)
    new_articles = dict(old_articles)
    for n, *_ in edits[::3]:
        new_articles.pop(n, None)
    new_articles.update(_articles(edits[1::3]))
    previous, _ = build_site(list(old_articles.values()), 3, non_policy=non_policy, tz=SHANGHAI)
    full, _ = build_site(list(new_articles.values()), 3, non_policy=non_policy, tz=SHANGHAI)
    again, _ = build_site([previous.by_id.get(a.id, a) if a is old_articles.get(int(a.id[2:])) else a
                           for a in new_articles.values()], 3, non_policy=non_policy, tz=SHANGHAI, previous=previous)
    unchanged = sum(1 for n, a in new_articles.items() if old_articles.get(n) is a and a.id in previous.by_id)
    assert sum(1 for a in again.articles if previous.by_id.get(a.id) is a) == unchanged  # not made again
    assert dict(again.related) == dict(full.related)
    assert again == full


def _reference_unique_slugs(articles):
    """The plain rule: in source order, a slug already taken becomes slug-2, slug-3 ..."""
    taken, result = set(), {}
    for article in sorted(articles, key=lambda a: str(a.source)):
        slug = article.slug
        if slug in taken:
            n = 2
            while f"{slug}-{n}" in taken:
                n += 1
            slug = f"{slug}-{n}"
        taken.add(slug)
        result[article.id] = slug
    return result


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "a-2", "a-3", "a-2-2", "b", "b-2", "ab", "a-b"]), min_size=1, max_size=12),
       st.randoms(use_true_random=False))
def test_unique_slugs_follow_the_plain_rule(slugs, random):
    """Only articles whose slug is shared (or looks renamed) are looked at; the result is the plain rule's."""
    articles = [replace(make(n, BASE - timedelta(hours=n)), slug=slug, source=PurePosixPath(f"content/{n:02d}.md"))
                for n, slug in enumerate(slugs)]
    random.shuffle(articles)
    site, problems = build_site(articles, 10)
    assert {a.id: a.slug for a in site.articles} == _reference_unique_slugs(articles)
    assert len(problems) == sum(1 for a in articles if a.slug != site.by_id[a.id].slug)


def _structure(site):
    """What indexing decides, without the article objects themselves."""
    return (tuple(a.id for a in site.articles), tuple((a.id, a.slug) for a in site.articles), site.index_pages,
            site.other_pages, site.listed, site.regions, site.topics, site.months, site.subjects, site.days,
            site.weeks, dict(site.related), dict(site.story_links), dict(site.stories), site.renamed)


def test_fields_outside_the_index_facts_change_nothing_indexing_decides():
    """The update's shortcut (index._same_shape) reuses the previous site when an edit left
    `index_facts` alone: every other field of an article must then be one indexing never reads.
    A new field, or a new read of an old one, fails here until index_facts lists it."""
    import dataclasses

    from generator.index import index_facts

    articles = [make(1, BASE, CHONGQING, [JOBS], story=1, keywords=keywords_of(JOBS_TEXT)),
                make(2, BASE, CHONGQING, [JOBS], story=2),  # the same minute: the longer text leads
                make(3, BASE - timedelta(days=1), CHONGQING, [JOBS], keywords=keywords_of(JOBS_TEXT_2)),
                make(4, BASE - timedelta(days=2), GUANGDONG, [PENSION], policy=False)]
    articles[0] = replace(articles[0], packed_body=pack_body("<p>正文更长一些</p>", "正文更长一些", ()))
    site, _ = build_site(articles, 2, tz=SHANGHAI)
    assert site.stories and site.related  # every kind of decision is there to be moved
    sites = {mode: build_site(articles, 2, tz=SHANGHAI, non_policy=mode)[0] for mode in ("publish", "separate", "drop")}
    facts = set()
    for field in dataclasses.fields(Article):
        if field.name == "id":
            continue  # the shortcut matches an edited article with its previous version by id
        for n, article in enumerate(articles):
            edited = replace(article, **{field.name: perturbed(getattr(article, field.name))})
            in_story = article.id in site.stories
            if index_facts(article, in_story) != index_facts(edited, in_story):
                facts.add(field.name)
                continue  # an index fact: indexing runs again for it
            for mode in ("publish", "separate", "drop"):
                again, _ = build_site(articles[:n] + [edited] + articles[n + 1:], 2, tz=SHANGHAI, non_policy=mode)
                assert _structure(again) == _structure(sites[mode]), (field.name, article.id, mode)
    assert {"slug", "published", "region", "topics", "subjects", "policy", "keywords", "packed_body", "sketch"} <= facts


@settings(max_examples=100, deadline=None)
@given(article_specs, st.lists(st.tuples(st.integers(0, 40), st.sampled_from(
    ["packed_body", "summary", "author", "digest", "figures", "title", "keywords"])), max_size=6))
def test_an_edit_outside_the_index_facts_reuses_the_previous_site_exactly(before, edits):
    """Body, summary or author edits (most preview saves) swap the article into the previous
    site; whatever an edit changed, the result is the one a full indexing gives."""
    old_articles = _articles(before)
    new_articles = dict(old_articles)
    for n, name in edits:
        if n in new_articles:
            article = new_articles[n]
            new_articles[n] = replace(article, **{name: perturbed(getattr(article, name))})
    previous, _ = build_site(list(old_articles.values()), 3, tz=SHANGHAI)
    full, _ = build_site(list(new_articles.values()), 3, tz=SHANGHAI)
    again, _ = build_site([previous.by_id[a.id] if a is old_articles[n] else a for n, a in new_articles.items()],
                          3, tz=SHANGHAI, previous=previous)
    assert again == full


def test_an_update_is_patched_into_the_index_up_to_64_articles_or_2_percent_of_the_site():
    from generator.index import patches

    assert patches(64, 100) and not patches(65, 100)
    assert patches(200, 10_000) and not patches(201, 10_000)  # benchmarks/bench_index_patch.py: break-even ~4%
