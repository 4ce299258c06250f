"""Feeds: strict XML, feedparser without complaints, stable GUIDs, honest dates."""
from __future__ import annotations

from datetime import date, timedelta
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from generator.build import build
from generator.config import load_config
from tests.conftest import FIXTURES, build_sample_site

PAYLOADS = Path(__file__).resolve().parents[2] / "shared" / "security" / "xss-payloads.txt"
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)


def feed_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.xml") if p.name in ("rss.xml", "atom.xml"))


def assert_feeds_valid(output: Path) -> int:
    feeds = feed_files(output)
    assert feeds
    for path in feeds:
        data = path.read_bytes()
        etree.fromstring(data, STRICT)  # raises on any well-formedness error
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.feed.get("title")
    return len(feeds)


def build_site(root: Path, content: dict[str, str], base_url: str = "https://example.org/digest/",
               extra: str = "") -> Path:
    (root / "content").mkdir(parents=True)
    for name, text in content.items():
        (root / "content" / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    (root / "site.toml").write_text(f'base_url = "{base_url}"\nsearch = false\n{extra}', encoding="utf-8")
    result = build(load_config(root / "site.toml"))
    assert result.written
    return root / "output"


def test_every_feed_of_the_sample_site_is_strict_xml_and_parses_cleanly(tmp_path):
    output = build_sample_site(tmp_path, "https://example.org/digest/", search=False)
    count = assert_feeds_valid(output)
    assert count >= 2 + 2 * 5  # the site plus at least five regions/topics, RSS and Atom each
    assert (output / "regions" / "chongqing" / "rss.xml").is_file()
    assert any((output / "topics").glob("*/atom.xml"))


def test_chinese_titles_and_full_content_come_through(tmp_path):
    output = build_sample_site(tmp_path, "https://example.org/digest/", search=False)
    rss = feedparser.parse((output / "rss.xml").read_bytes())
    atom = feedparser.parse((output / "atom.xml").read_bytes())
    titles = [e.title for e in rss.entries]
    assert "今年以来 重庆市脱贫人口务工规模稳定在81万人以上" in titles
    assert [e.title for e in atom.entries] == titles
    entry = next(e for e in atom.entries if e.title.startswith("今年以来 重庆市"))
    assert entry.content[0].type == "text/html" and "81万人以上" in entry.content[0].value
    assert entry.summary and entry.link.startswith("https://example.org/digest/articles/")
    assert {t.term for t in entry.tags} >= {"重庆", "就业帮扶"}
    raw = (output / "atom.xml").read_text(encoding="utf-8")
    assert 'type="CDATA"' not in raw and "<content type=\"html\">" in raw
    assert (output / "rss.xml").read_text(encoding="utf-8").count("<content:encoded>") == len(rss.entries)


def test_feed_updated_is_the_newest_item_never_now(tmp_path):
    output = build_sample_site(tmp_path, "https://example.org/digest/", search=False)
    atom = feedparser.parse((output / "atom.xml").read_bytes())
    newest = max(e.updated_parsed for e in atom.entries)
    assert atom.feed.updated_parsed == newest
    rss = (output / "rss.xml").read_text(encoding="utf-8")
    last_build = re.search(r"<lastBuildDate>(.*?)</lastBuildDate>", rss).group(1)
    assert last_build == feedparser.parse(rss).entries[0].published


def test_rebuilds_give_identical_feeds_and_https_changes_no_guid(tmp_path):
    first = build_sample_site(tmp_path / "a", "http://example.org/digest/", search=False)
    second = build_sample_site(tmp_path / "b", "http://example.org/digest/", search=False)
    for path in feed_files(first) + [first / "feed.json"]:
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path
    https = build_sample_site(tmp_path / "c", "https://example.org/digest/", search=False)
    for name in ("rss.xml", "atom.xml"):
        ids_http = [e.id for e in feedparser.parse((first / name).read_bytes()).entries]
        ids_https = [e.id for e in feedparser.parse((https / name).read_bytes()).entries]
        assert ids_http == ids_https and all(i.startswith("urn:uuid:") for i in ids_http)


def test_control_characters_and_lone_surrogates_never_break_a_feed(tmp_path):
    bad = "就业\x01帮扶\x08政策\x1b[31m\ud800\udfff\ufffe\uffff 重庆"
    output = build_site(tmp_path, {
        "bad.md": f"---\ntitle: \"重庆就业\\x01帮扶\\x0b新政\"\ndate: 2024-01-02\n---\n\n{bad}发布就业帮扶政策，支持脱贫人口务工。\n",
        "good.md": "---\ntitle: 重庆市发布就业帮扶政策\ndate: 2024-01-01\n---\n\n重庆市人社局发布就业帮扶政策，支持脱贫人口务工。\n",
    })
    assert_feeds_valid(output)
    titles = [e.title for e in feedparser.parse((output / "rss.xml").read_bytes()).entries]
    assert any(t.startswith("重庆就业帮扶") for t in titles) and "重庆市发布就业帮扶政策" in titles
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text), page


@pytest.mark.skipif(not PAYLOADS.exists(), reason="../shared/security not present")
def test_every_xss_payload_leaves_every_feed_valid(tmp_path):
    payloads = [p for p in PAYLOADS.read_text(encoding="utf-8").split("\n") if p]
    content = {}
    for i, payload in enumerate(payloads):
        quoted = payload.replace("\\", "\\\\").replace('"', '\\"')
        # A week apart: many payloads differ in a character or two, and two such items of one
        # day would be one story (generator.stories), listed once.
        day = date(2010, 1, 1) + timedelta(days=7 * i)
        content[f"p{i:03d}.md"] = (f'---\ntitle: "{quoted}"\nauthor: "{quoted}"\ndate: {day.isoformat()}\n'
                                   f'tags: ["{quoted}"]\n---\n\n{payload}\n\n重庆市就业帮扶政策第{i}条。\n')
    output = build_site(tmp_path, content, extra="feed_items = 1000\n")
    assert_feeds_valid(output)
    rss = feedparser.parse((output / "rss.xml").read_bytes())
    assert len(rss.entries) > len(payloads) * 0.9
    for path in feed_files(output):
        for html in feed_html(path):
            assert_inert(html, path)


def feed_html(path: Path) -> list[str]:
    """The parts of a feed that readers render as HTML: content, RSS description, Atom html summary."""
    tree = etree.fromstring(path.read_bytes(), STRICT)
    out = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("encoded", "description") or (name in ("content", "summary") and element.get("type") == "html"):
            out.append(element.text or "")
    return out


def assert_inert(html: str, where: Path) -> None:
    if not html.strip():
        return
    import lxml.html

    for element in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in ("script", "iframe", "object", "embed", "form", "style", "base"), (where, html[:200])
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, html[:200])
            if name in ("href", "src", "action", "formaction"):
                assert re.sub(r"[\s\x00-\x20]", "", value).lower().startswith(("http:", "https:", "mailto:", "#")), \
                    (where, value)


def test_item_count_and_age_window_are_configurable(tmp_path):
    articles = {f"a{i}.md": f"---\ntitle: 重庆就业帮扶第{i}期\ndate: 2024-03-{i + 1:02d}\n---\n\n重庆市就业帮扶政策第{i}期。\n"
                for i in range(20)}
    output = build_site(tmp_path / "count", articles, extra="feed_items = 5\n")
    assert len(feedparser.parse((output / "rss.xml").read_bytes()).entries) == 5
    output = build_site(tmp_path / "age", articles, extra="feed_max_age_days = 3\n")
    dates = [e.published for e in feedparser.parse((output / "atom.xml").read_bytes()).entries]
    assert len(dates) == 4  # March 17..20: within three days of the newest


def test_feeds_are_discoverable_and_styled(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    build(load_config(site / "site.toml"))
    output = site / "output"
    home = (output / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/rss+xml" title="RSS" href="/digest/rss.xml">' in home
    region = (output / "regions" / "chongqing" / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" title="重庆 Atom" href="/digest/regions/chongqing/atom.xml"' in region
    for feed in feed_files(output):  # styled by CSS (browsers are removing XSLT), from any depth
        lines = feed.read_text(encoding="utf-8").splitlines()
        assert lines[1] == '<?xml-stylesheet type="text/css" href="/digest/static/feed.css"?>', feed
    css = (output / "static" / "feed.css").read_text(encoding="utf-8")
    assert css.startswith('@charset "UTF-8";') and "prefers-color-scheme: dark" in css
    assert not (output / "static" / "feed.xsl").exists()
    assert 'href="/digest/static/favicon.svg" type="image/svg+xml"' in home
    assert (output / "favicon.ico").read_bytes() == (output / "static" / "favicon.ico").read_bytes()
    import json
    feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["items"][0]["id"].startswith("urn:uuid:")


ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_entries_have_one_alternate_and_the_original_as_via(tmp_path):
    output = build_site(tmp_path, {
        "origin.md": "---\ntitle: 重庆市发布就业帮扶政策\ndate: 2024-01-02\noutlet: 重庆日报\n"
                     "origin_url: https://cq.example.cn/news/1.html\n---\n\n重庆市人社局发布就业帮扶政策。\n",
        "plain.md": "---\ntitle: 广东发布社保补贴办法\ndate: 2024-01-01\n---\n\n广东省发布社保补贴办法。\n",
    })
    for path in feed_files(output):
        if path.name != "atom.xml" or path.parent.name in ("daily", "weekly"):  # briefings: tests/test_briefings.py
            continue
        for entry in etree.fromstring(path.read_bytes(), STRICT).iter(ATOM + "entry"):
            links = [(link.get("rel"), link.get("href"), link.get("title"), link.get("type"))
                     for link in entry.iter(ATOM + "link")]
            page = [link for link in links if link[0] == "alternate"]
            assert len(page) == 1 and page[0][1].startswith("https://example.org/digest/articles/"), (path, links)
            assert page[0][3] == "text/html"
            assert all(rel in ("alternate", "via") for rel, *_ in links), (path, links)  # none without a rel
            via = [link for link in links if link[0] == "via"]
            if entry.findtext(ATOM + "title") == "重庆市发布就业帮扶政策":
                assert via == [("via", "https://cq.example.cn/news/1.html", "重庆日报", None)], links
            else:
                assert via == []
    rss = feedparser.parse((output / "rss.xml").read_bytes())
    assert sorted(e.link for e in rss.entries) == sorted(  # RSS <link> is still the article page
        e.link for e in feedparser.parse((output / "atom.xml").read_bytes()).entries)
    assert all(e.link.startswith("https://example.org/digest/articles/") for e in rss.entries)


def test_mojibake_characters_are_left_out_of_feeds_and_identical_captures_listed_once(tmp_path):
    capture = ("---\ntitle: 南沙邮轮母港即将开通\ndate: 2019-08-13 14:07\noutlet: 澎湃新闻\n---\n\n"
               "广州南沙国际邮轮母港\ufffd\ufffd即将开港\x85，地铁直达。\n")
    output = build_site(tmp_path, {"a.md": capture, "b.md": capture, "c.md": capture.replace("地铁直达", "地铁可达"),
                                   "d.md": "---\ntitle: 广东就业\x9c帮扶\ndate: 2019-08-12\n---\n\n广东省就业帮扶。\n"})
    assert len(list((output / "articles").iterdir())) == 4  # every capture keeps its page
    for path in feed_files(output) + [output / "feed.json"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search("[\x80-\x9f\ufffd]", text), path
    titles = [e.title for e in feedparser.parse((output / "atom.xml").read_bytes()).entries]
    # a.md and b.md are one capture, c.md one phrase off: one story (generator.stories), listed once
    assert titles == ["南沙邮轮母港即将开通", "广东就业帮扶"]
    assert "广州南沙国际邮轮母港即将开港，地铁直达" in (output / "rss.xml").read_text(encoding="utf-8")


def test_an_articles_entry_reads_the_same_in_every_feed_that_lists_it(tmp_path):
    """The feed writer makes an article's entry once and adds it to every feed (the site's, its
    region's, topics' and subjects'): serialising it must not change it for the next feed (an Atom
    entry that gained a second rel="via" link, say)."""
    output = build_sample_site(tmp_path, "https://example.org/digest/", search=False)
    for name, item_tag, id_tag in (("rss.xml", "item", "guid"), ("atom.xml", "{http://www.w3.org/2005/Atom}entry",
                                                                   "{http://www.w3.org/2005/Atom}id")):
        seen: dict[str, bytes] = {}
        copies = 0
        for path in output.rglob(name):
            for item in etree.fromstring(path.read_bytes(), STRICT).iter(item_tag):
                key, text = item.findtext(id_tag), etree.tostring(item, method="c14n")
                copies += key in seen
                assert seen.setdefault(key, text) == text, f"{path}: {key} differs from its first copy"
        assert copies > len(seen)  # articles do stand in several feeds
