"""Story clusters (generator.stories): one story from several outlets told once, and the
look-alikes that are not one story (the hard negatives of benchmarks/labels/story_pairs.jsonl).

The texts here are written for the tests (no article text is copied)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from hypothesis import given, settings, strategies as st

from generator.enrich.story_sketch import SKETCH_SIZE, sketch_values, story_numbers, story_sketch
from generator.index import build_site
from generator.model import Article, RegionRef, pack_body, pack_region_evidence
from generator.stories import same_story, story_groups, story_links, story_links_since
from tests.conftest import SHANGHAI

BASE = datetime(2024, 5, 20, 9, tzinfo=SHANGHAI)
CHONGQING = RegionRef("chongqing", "重庆")


def report(n: int, title: str, text: str, when: datetime | None = BASE, outlet: str = "重庆日报",
           region: RegionRef | None = CHONGQING) -> Article:
    return Article(
        id=f"s{n:03d}", slug=f"s{n}", source=PurePosixPath(f"content/s{n}.md"), kind="frontmatter", title=title,
        published=when, updated=None, origin_url=None, outlet=outlet, author=None, editor=None, original_title=None,
        cover_image=None, packed_body=pack_body(f"<p>{text}</p>", text, ()), summary="", region=region,
        packed_region_evidence=pack_region_evidence((), ()), topics=(), policy=True, policy_score=1.0, figures=(), digest=f"d{n}",
        sketch=story_sketch(title, text), numbers=story_numbers(title, text))


JOBS_TITLE = "重庆出台稳就业十条措施 今年将新增城镇就业70万人"
JOBS_TEXT = ("5月19日，重庆市政府办公厅印发《关于进一步稳定和扩大就业的若干措施》，提出十条具体举措。"
             "措施明确，今年全市将新增城镇就业70万人以上，城镇调查失业率控制在5.5%以内，"
             "对吸纳高校毕业生就业的小微企业给予每人1500元一次性扩岗补助，并安排12亿元就业补助资金。"
             "市人力社保局负责人介绍，措施将重点支持返乡创业和灵活就业人员参加社会保险。")


def test_a_repost_with_its_own_boilerplate_is_the_same_story():
    lead = report(1, JOBS_TITLE, JOBS_TEXT)
    repost = report(2, "重庆：今年将新增城镇就业70万人", "来源：光明网。" + JOBS_TEXT + "（责任编辑：王某）",
                    when=BASE + timedelta(hours=5), outlet="光明网")
    assert same_story(lead, repost)


def test_a_rewrite_with_the_same_figures_is_the_same_story():
    lead = report(1, JOBS_TITLE, JOBS_TEXT)
    rewrite = report(2, "重庆十条措施稳就业：新增城镇就业70万人以上",
                     "重庆市政府办公厅近日印发《关于进一步稳定和扩大就业的若干措施》。根据措施，重庆今年将新增城镇就业70万人以上，"
                     "城镇调查失业率控制在5.5%以内；小微企业吸纳高校毕业生的，每人可获1500元扩岗补助，全市安排12亿元就业补助资金。",
                     when=BASE + timedelta(hours=20), outlet="新浪财经")
    assert same_story(lead, rewrite)


def test_same_region_and_subject_but_another_event_is_not():
    jobs = report(1, JOBS_TITLE, JOBS_TEXT)
    fair = report(2, "重庆举办高校毕业生专场招聘会 2000余家企业提供岗位",
                  "5月20日，重庆市2024年高校毕业生春季专场招聘会在重庆国际博览中心举行，2000余家企业带来岗位3.6万个，"
                  "现场吸引求职者1.2万人次。市人力社保局表示，将持续开展就业服务活动，帮助毕业生尽快就业。",
                  when=BASE + timedelta(hours=8))
    assert not same_story(jobs, fair)


WEEKLY = "本周全市城镇新增就业{jobs}人，发放创业担保贷款{loans}亿元，培训技能人才{skills}人次。市人力社保局每周通报就业数据，接受社会监督。"


def test_the_same_weekly_statistic_of_another_week_is_not():
    this_week = report(1, "重庆就业周报", WEEKLY.format(jobs=13200, loans=2.4, skills=8600))
    next_week = report(2, "重庆就业周报", WEEKLY.format(jobs=14100, loans=2.9, skills=9100),
                       when=BASE + timedelta(days=7))
    assert not same_story(this_week, next_week)  # a week apart


def test_the_same_daily_statistic_of_the_next_day_is_not():
    """Inside the time window, the same sentence with other numbers is another issue."""
    today = report(1, "重庆就业日报", WEEKLY.format(jobs=13200, loans=2.4, skills=8600))
    tomorrow = report(2, "重庆就业日报", WEEKLY.format(jobs=14100, loans=2.9, skills=9100),
                      when=BASE + timedelta(days=1))
    assert not same_story(today, tomorrow)


def test_the_same_actor_at_another_meeting_is_not():
    first = report(1, "市长会见新加坡客人", "5月20日，市长在渝会见新加坡贸工部代表团一行，双方就数字经济、"
                                      "陆海新通道建设等深化合作交换意见。", region=CHONGQING)
    second = report(2, "市长会见德国客人", "5月21日，市长在渝会见德国巴伐利亚州经济部代表团一行，双方就汽车产业、"
                                     "职业教育等领域合作交换意见。", when=BASE + timedelta(days=1))
    assert not same_story(first, second)


def test_undated_articles_and_far_apart_ones_are_never_one_story():
    lead = report(1, JOBS_TITLE, JOBS_TEXT)
    assert not same_story(lead, report(2, JOBS_TITLE, JOBS_TEXT, when=None))
    assert not same_story(lead, report(3, JOBS_TITLE, JOBS_TEXT, when=BASE + timedelta(days=4)))
    assert same_story(lead, report(4, JOBS_TITLE, JOBS_TEXT, when=BASE + timedelta(days=2)))


def test_the_lead_is_the_earliest_report_then_the_most_complete():
    late = report(1, JOBS_TITLE, JOBS_TEXT, when=BASE + timedelta(hours=3))
    early = report(2, JOBS_TITLE, JOBS_TEXT[:160], when=BASE)
    longer = report(3, JOBS_TITLE, JOBS_TEXT + "全文另附政策解读。", when=BASE)
    articles = [late, early, longer]
    stories = story_groups(story_links(articles), {a.id: a for a in articles})
    assert stories[late.id] == (longer.id, early.id, late.id)
    assert stories[early.id] is stories[late.id]


def test_only_a_lead_is_listed_and_its_page_knows_its_story():
    lead = report(1, JOBS_TITLE, JOBS_TEXT)
    repost = report(2, JOBS_TITLE, JOBS_TEXT, when=BASE + timedelta(hours=2), outlet="光明网")
    other = report(3, "另一条新闻", "成都发布养老服务消费券，覆盖全市80岁以上老人。", when=BASE + timedelta(hours=1))
    site, _ = build_site([lead, repost, other], 10, tz=SHANGHAI)
    assert site.listed == (other.id, lead.id)
    assert site.stories[repost.id] == (lead.id, repost.id)
    assert [a.id for a in site.articles] == [repost.id, other.id, lead.id]  # every report keeps its page
    assert all(repost.id not in t.article_ids for t in site.regions + site.months)


def test_the_sketch_is_small_sorted_and_deterministic():
    sketch = story_sketch(JOBS_TITLE, JOBS_TEXT)
    values = sketch_values(sketch)
    assert len(values) == SKETCH_SIZE and list(values) == sorted(set(values))
    assert sketch == story_sketch(JOBS_TITLE, JOBS_TEXT)
    assert story_numbers("2024年5月19日10时 新增70万人", "增长5.5%，补助1,500元，第3批，12亿元") == ("70万", "5.5", "1500", "第3", "12亿")


# ---- an update links exactly what a full build links ----

VARIANTS = [
    (JOBS_TITLE, JOBS_TEXT),
    ("重庆：今年将新增城镇就业70万人", "来源：光明网。" + JOBS_TEXT),
    ("重庆就业周报", WEEKLY.format(jobs=13200, loans=2.4, skills=8600)),
    ("重庆就业周报", WEEKLY.format(jobs=13200, loans=2.4, skills=8600) + "（完）"),
    ("重庆就业周报", WEEKLY.format(jobs=14100, loans=2.9, skills=9100)),
]
specs = st.lists(st.tuples(st.integers(0, 25), st.sampled_from(range(len(VARIANTS))),
                           st.one_of(st.none(), st.integers(0, 120))), max_size=30)


def _reports(found: list) -> dict[int, Article]:
    return {n: report(n, *VARIANTS[v], when=BASE + timedelta(hours=h) if h is not None else None)
            for n, v, h in found}


@settings(max_examples=200, deadline=None)
@given(specs, specs)
def test_links_after_a_change_equal_links_of_a_full_build(before, edits):
    old = _reports(before)
    new = {**old, **_reports(edits)}
    for n, _, _ in edits[::4]:
        new.pop(n, None)
    previous = story_links(list(old.values()))
    ordered = sorted(new.values(), key=lambda a: (a.published or datetime.min.replace(tzinfo=SHANGHAI), a.id),
                     reverse=True)
    changed = {a.id for n, a in new.items() if old.get(n) is not a} | {a.id for n, a in old.items() if n not in new}
    assert story_links_since(previous, {a.id: a for a in new.values()}, ordered, changed) == story_links(list(new.values()))


def test_moving_a_report_to_another_week_breaks_its_story():
    lead = report(1, JOBS_TITLE, JOBS_TEXT)
    repost = report(2, JOBS_TITLE, JOBS_TEXT, when=BASE + timedelta(hours=2))
    site, _ = build_site([lead, repost], 10, tz=SHANGHAI)
    moved = replace(repost, published=BASE + timedelta(days=9))
    again, _ = build_site([lead, moved], 10, tz=SHANGHAI, previous=site)
    full, _ = build_site([lead, moved], 10, tz=SHANGHAI)
    assert again == full and not again.stories and set(again.listed) == {lead.id, moved.id}


@settings(max_examples=200, deadline=None)
@given(specs)
def test_the_sweep_links_exactly_the_pairs_same_story_joins(found):
    """story_links keeps only one window of articles at a time: it must still find every
    pair that a test of all pairs finds, and no other."""
    articles = list(_reports(found).values())
    expected: dict[str, set[str]] = {}
    for n, a in enumerate(articles):
        for b in articles[n + 1:]:
            if same_story(a, b):
                expected.setdefault(a.id, set()).add(b.id)
                expected.setdefault(b.id, set()).add(a.id)
    assert story_links(articles) == {i: tuple(sorted(ids)) for i, ids in expected.items()}
