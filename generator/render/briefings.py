"""The daily and weekly briefings: what a digest's subscribers read instead of a blog's list.

A day's briefing (/daily/2024-05-20/) tells each story of the day once, under its subject
and then its region: the lead's headline, every outlet that carried it, one line of summary
and at most one key figure. A week's (/weekly/2024-W21/) counts the week's stories per
subject and per region against the week before, and shows its most reported stories.

Everything is read through the SiteReader (generator.render.reader), so a briefing page and
its feed item depend on exactly the listings, stories and articles they show. The same
views feed the pages (templates) and the feed items (`briefing_html`, absolute links).
"""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from typing import Any

from generator.render.links import Links
from generator.render.reader import SiteReader
from generator.render.tile_map import region_map_svg

WEEKDAYS = "一二三四五六日"
SUMMARY_CHARS = 80  # one line of a briefing: the summary's first sentence, cut here
LARGEST_STORIES = 8  # a week's most reported stories shown
SHOWN_OUTLETS = 8  # outlets named for one story (a story of a hundred reposts stays one line)
OTHER_SUBJECT = "其他"
NO_REGION = "未标明地区"


def day_title(slug: str) -> str:
    day = date.fromisoformat(slug)
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def week_bounds(slug: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week slug (2024-W21)."""
    year, week = slug.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + timedelta(days=6)


def week_title(slug: str) -> str:
    monday, sunday = week_bounds(slug)
    year, week = slug.split("-W")
    return f"{year}年第{int(week)}周（{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日）"


def previous_week(slug: str) -> str:
    monday, _ = week_bounds(slug)
    year, week, _ = (monday - timedelta(days=7)).isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_of(day_slug: str) -> str:
    year, week, _ = date.fromisoformat(day_slug).isocalendar()
    return f"{year:04d}-W{week:02d}"


def story_view(reader: SiteReader, lead_id: str) -> dict[str, Any]:
    """One story as a briefing shows it: the lead's headline and links, all its outlets."""
    lead = reader.article(lead_id)
    reports = [lead] + reader.also_reported(lead_id)  # each story is on one day's page: linear in all
    outlets, seen = [], set()
    for report in reports:
        name = report["outlet"] or "未注明来源"
        if name in seen:
            continue
        seen.add(name)
        outlets.append({"name": name, "url": report["url"], "absolute_url": report["absolute_url"],
                        "origin_url": report["origin_url"]})
    figure = lead["figures"][0] if lead["figures"] else None
    return {"id": lead["id"], "title": lead["title"], "url": lead["url"], "absolute_url": lead["absolute_url"],
            "date": lead["date"], "iso_date": lead["iso_date"], "summary": one_line(lead["summary"]),
            "figure": figure, "outlets": outlets[:SHOWN_OUTLETS], "outlet_count": len(outlets),
            "more_outlets": len(outlets) > SHOWN_OUTLETS, "reports": len(reports),
            "subject": lead["subjects"][0] if lead["subjects"] else None, "region": lead["region"]}


def one_line(summary: str) -> str:
    """The summary's first sentence, at most SUMMARY_CHARS characters (cut with an ellipsis)."""
    end = summary.find("。")
    line = summary[:end + 1] if end >= 0 else summary
    return line if len(line) <= SUMMARY_CHARS else line[:SUMMARY_CHARS - 1].rstrip("，、；： ") + "…"


def sections(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stories under their main subject (the library's order, 其他 last), then their region
    (全国 first, then the regions with most stories, then 未标明地区); newest first inside."""
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for story in stories:
        by_subject.setdefault(story["subject"]["name"] if story["subject"] else OTHER_SUBJECT, []).append(story)
    order = _library_order()
    result = []
    for name in sorted(by_subject, key=lambda n: (n == OTHER_SUBJECT, order.get(n, len(order)), n)):
        members = by_subject[name]
        subject = members[0]["subject"]
        result.append({"name": name, "url": subject["url"] if subject else None, "count": len(members),
                       "regions": _by_region(members)})
    return result


def _by_region(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for story in stories:
        groups.setdefault(story["region"]["name"] if story["region"] else NO_REGION, []).append(story)

    def rank(name: str) -> tuple:
        return (name != "全国", name == NO_REGION, -len(groups[name]), name)

    return [{"name": name, "url": groups[name][0]["region"]["url"] if groups[name][0]["region"] else None,
             "stories": groups[name]} for name in sorted(groups, key=rank)]


def _map(reader: SiteReader, stories: list[dict[str, Any]], label: str):
    counts = Counter(s["region"]["slug"] for s in stories if s["region"])
    urls = {slug: reader.term_url("region", slug) for slug in counts}
    return region_map_svg(counts, urls, label=label)


def _neighbour(reader: SiteReader, kind: str, slug: str | None, title) -> dict[str, str] | None:
    if slug is None:
        return None
    return {"name": title(slug), "url": reader.term_url(kind, slug)}


def day_view(reader: SiteReader, slug: str, links: Links) -> dict[str, Any]:
    """Everything a day's briefing shows (page and feed item)."""
    term = reader.term("day", slug)
    stories = [story_view(reader, i) for i in term.article_ids]
    newer, older = reader.term_neighbours("day", slug)
    week = week_of(slug)
    return {"slug": slug, "title": day_title(slug), "url": links.url(f"daily/{slug}/"),
            "absolute_url": links.absolute(f"daily/{slug}/"),
            "stories": len(stories), "reports": sum(s["reports"] for s in stories),
            "outlets": len({o["name"] for s in stories for o in s["outlets"]}),
            "sections": sections(stories),
            "map": _map(reader, stories, f"{day_title(slug)}各地区新闻数量示意图"),
            "newer": _neighbour(reader, "day", newer, day_title), "older": _neighbour(reader, "day", older, day_title),
            "week": {"name": week_title(week), "url": links.url(f"weekly/{week}/")}}


@lru_cache(maxsize=1)
def _library_order() -> dict[str, int]:
    """The State Council library's order of subjects, by name: the order of a briefing's sections."""
    from generator.enrich.subjects import default_subjects

    return {s.name: n for n, s in enumerate(default_subjects().subjects)}


def week_view(reader: SiteReader, slug: str, links: Links) -> dict[str, Any]:
    """Everything a week's briefing shows: counts against the week before, its biggest stories, its days."""
    term = reader.term("week", slug)
    stories = [story_view(reader, i) for i in term.article_ids]
    before = reader.term("week", previous_week(slug))
    earlier = [story_view(reader, i) for i in before.article_ids] if before else []
    monday, _ = week_bounds(slug)
    days = []
    for n in range(7):
        day = (monday + timedelta(days=n)).isoformat()
        found = reader.term("day", day)
        days.append({"name": day_title(day), "count": found.count if found else 0,
                     "url": reader.term_url("day", day) if found else None})
    largest = sorted((s for s in stories if s["reports"] > 1),
                     key=lambda s: (-s["reports"], s["iso_date"] or "", s["id"]))[:LARGEST_STORIES]
    newer, older = reader.term_neighbours("week", slug)
    return {"slug": slug, "title": week_title(slug), "url": links.url(f"weekly/{slug}/"),
            "absolute_url": links.absolute(f"weekly/{slug}/"),
            "stories": len(stories), "reports": sum(s["reports"] for s in stories), "previous_stories": len(earlier),
            "subjects": _changes(_count(stories, "subject"), _count(earlier, "subject")),
            "regions": _changes(_count(stories, "region"), _count(earlier, "region")),
            "largest": largest, "days": days,
            "map": _map(reader, stories, f"{week_title(slug)}各地区新闻数量示意图"),
            "newer": _neighbour(reader, "week", newer, week_title), "older": _neighbour(reader, "week", older, week_title)}


def _count(stories: list[dict[str, Any]], field: str) -> dict[str, tuple[int, str | None]]:
    """(count, url) by name of each story's main subject or region; 其他 / 未标明地区 for none."""
    counts: dict[str, list] = {}
    for story in stories:
        value = story[field]
        name = value["name"] if value else (OTHER_SUBJECT if field == "subject" else NO_REGION)
        entry = counts.setdefault(name, [0, value["url"] if value else None])
        entry[0] += 1
    return {name: (count, url) for name, (count, url) in counts.items()}


def _changes(now: dict[str, tuple[int, str | None]], before: dict[str, tuple[int, str | None]]) -> list[dict]:
    """Rows of this week's counts with the change from the week before, biggest first; a name
    only the week before had is listed with 0, so a fall to nothing shows too."""
    rows = []
    for name in set(now) | set(before):
        count, url = now.get(name, (0, None))
        was, url_before = before.get(name, (0, None))
        url = url or url_before
        rows.append({"name": name, "url": url, "count": count, "before": was, "change": _change(count, was)})
    return sorted(rows, key=lambda r: (-r["count"], -r["before"], r["name"]))


def _change(count: int, before: int) -> str:
    if before == 0:
        return "新增" if count else "—"
    if count == before:
        return "持平"
    return f"+{count - before}" if count > before else f"−{before - count}"


# ---------------------------------------------------------------------------
# The feed items' HTML: the same views, absolute links
# ---------------------------------------------------------------------------


def day_html(view: dict[str, Any]) -> str:
    """A day's briefing as the content of its feed item (every link absolute)."""
    parts = [f"<p>{view['stories']} 条新闻，来自 {view['outlets']} 家媒体的 {view['reports']} 篇报道。</p>"]
    for section in view["sections"]:
        parts.append(f"<h2>{escape(section['name'])}（{section['count']}）</h2>")
        for group in section["regions"]:
            parts.append(f"<h3>{escape(group['name'])}</h3>\n<ul>")
            parts += [f"<li>{_story_html(story)}</li>" for story in group["stories"]]
            parts.append("</ul>")
    return "\n".join(parts)


def week_html(view: dict[str, Any]) -> str:
    """A week's briefing as the content of its feed item."""
    parts = [f"<p>本周 {view['stories']} 条新闻（{view['reports']} 篇报道），上周 {view['previous_stories']} 条。</p>"]
    for heading, rows in (("按主题分类", view["subjects"]), ("按地区", view["regions"])):
        parts.append(f"<h2>{heading}</h2>\n<ul>")
        parts += [f"<li>{escape(r['name'])}：{r['count']}（{escape(r['change'])}）</li>" for r in rows]
        parts.append("</ul>")
    if view["largest"]:
        parts.append("<h2>报道最多的新闻</h2>\n<ul>")
        parts += [f"<li>{_story_html(story)}</li>" for story in view["largest"]]
        parts.append("</ul>")
    return "\n".join(parts)


def _story_html(story: dict[str, Any]) -> str:
    outlets = "、".join(f'<a href="{escape(o["absolute_url"])}">{escape(o["name"])}</a>' for o in story["outlets"])
    text = f'<a href="{escape(story["absolute_url"])}">{escape(story["title"])}</a>（{outlets}）'
    if story["summary"]:
        text += f" {escape(story['summary'])}"
    if story["figure"]:
        text += f" <strong>{escape(story['figure']['display'])}</strong> {escape(story['figure']['context'])}"
    return text

