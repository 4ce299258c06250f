"""RSS and Atom feeds of the briefings: /daily/rss.xml, /daily/atom.xml, /weekly/rss.xml, /weekly/atom.xml.

One item per day (week): its briefing as full HTML with absolute links. What a subscriber's
reader relies on:
- the item's id is derived from the day's slug alone (urn:uuid, like article ids), so it
  never changes once the day is over, whatever base_url or the build time;
- `updated` (and `published`) is the newest publication time among the day's reports, so
  it moves only when an article is added to that day (or the newest one leaves it), never
  at a rebuild or an edit.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from feedgen.feed import FeedGenerator

from generator import __version__
from generator.config import SiteConfig
from generator.render.briefings import day_html, day_view, week_html, week_view
from generator.render.feeds import GUID_NAMESPACE, FeedWriter, fallback_date, feed_id, feed_text
from generator.render.links import Links
from generator.render.reader import SiteReader, note, remembered

# Days (weeks) a briefing feed carries at most: a month of days, a quarter of weeks
# (config.feed_items can only lower them; generator.render.reader.FIRST_LIMIT bounds them).
DAILY_ITEMS = 30
WEEKLY_ITEMS = 13


def briefing_guid(kind: str, slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, f'{kind}/{slug}')}"


def briefing_feed_documents(reader: SiteReader, config: SiteConfig, links: Links, content_key: str = "") -> list:
    """The four briefing feeds, lazy like the article feeds: made only when what they show moved."""
    from generator.render import DocumentPlan, LazyDocument
    from generator.render.fingerprint import view_fingerprint

    writer = FeedWriter(config, links)
    settings = (__version__, content_key, config.language, config.title, links.base, links.absolute_base)
    docs = []
    for kind, folder, name, count in (("day", "daily/", "每日简报", DAILY_ITEMS), ("week", "weekly/", "每周简报", WEEKLY_ITEMS)):
        items = remembered(_items(reader, links, kind, min(count, config.feed_items)))
        title = f"{name} · {config.title}"
        description = f"{config.title}的{name}：每{'天' if kind == 'day' else '周'}一条，同一新闻只讲一次"
        for form, file in (("rss", "rss.xml"), ("atom", "atom.xml")):
            path = folder + file

            def prepare(form=form, path=path, items=items, title=title, description=description, folder=folder):
                chosen = items()
                return LazyDocument(path, view_fingerprint("briefing", form, path, title, description, settings, chosen),
                                    lambda: writer.xml(_generator(writer, title, description, path, folder, chosen),
                                                       form, path))
            docs.append(DocumentPlan(path, prepare))
    return docs


def _items(reader: SiteReader, links: Links, kind: str, count: int):
    def walk() -> list[dict[str, Any]]:
        chosen = []
        for term in reader.newest_terms(kind, count):  # depends on those days, not on all of them
            view = day_view(reader, term.slug, links) if kind == "day" else week_view(reader, term.slug, links)
            newest = max((reader.article(i)["published"] for i in _reports(reader, term.article_ids)), default=None)
            chosen.append({"id": briefing_guid(kind, term.slug), "title": view["title"], "url": view["absolute_url"],
                           "summary": f"{view['stories']} 条新闻，{view['reports']} 篇报道",
                           "html": day_html(view) if kind == "day" else week_html(view),
                           "when": newest.isoformat() if newest else None})
        return chosen
    return walk


def _reports(reader: SiteReader, lead_ids) -> list[str]:
    return [i for lead in lead_ids for i in (reader.story_ids(lead) or (lead,))]


def _generator(writer: FeedWriter, title: str, description: str, path: str, folder: str,
               items: list[dict[str, Any]]) -> FeedGenerator:
    fg = writer.generator(title, description, path, folder, [])
    dates = [datetime.fromisoformat(item["when"]) for item in items if item["when"]]
    newest = max(dates, default=None) or fallback_date()
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for item in items:
        fe = fg.add_entry(order="append")
        fe.id(item["id"])
        fe.guid(item["id"], permalink=False)
        fe.title(feed_text(item["title"]))
        fe.link(href=item["url"], rel="alternate")
        fe.links.set(item["url"])
        fe.content(feed_text(item["html"]), type="html")
        fe.summary(feed_text(item["summary"]), type="html")
        when = datetime.fromisoformat(item["when"]) if item["when"] else fallback_date()
        fe.published(when)
        fe.updated(when)
    return fg
