"""`digest init`: a new digest folder with a documented site.toml and one example article."""
from __future__ import annotations

from pathlib import Path

from generator.write import write_file

SITE_TOML = '''# site.toml: settings of this digest. Every key is optional; the values shown are the defaults.
title = "政策新闻摘要"
description = "就业帮扶、脱贫攻坚与社会保障政策新闻摘要"
# Public address of the site; a subpath such as https://example.org/digest/ works.
base_url = "http://localhost:8000/"
language = "zh-CN"
# Dates written without an offset are read in this time zone.
timezone = "Asia/Shanghai"
# Folders, relative to this file.
source = "content"
output = "output"
theme = "default"
# Articles per index page.
page_size = 10
# Longest automatic summary, in characters (a front-matter summary/description wins).
summary_length = 120
# Articles that are not about policy: "publish" (listed with the rest, marked 其他),
# "separate" (listed only on /other/) or "drop" (not published).
non_policy = "publish"
# Items per feed, and the oldest item counted back from the newest article (0: no limit).
feed_items = 50
feed_max_age_days = 0
# Full-text search with Pagefind (digest build --no-search skips it once).
search = true
# Images hosted elsewhere: "link" (no page requests another host) or "embed" (inline).
remote_images = "link"
# Optional files of your own, relative to this file: a topic taxonomy that extends
# (or replaces) the shipped one, and cleaning rules that extend the shipped ones.
taxonomy = ""
rules = ""
'''

EXAMPLE = """---
title: '全国脱贫劳动力务工规模达到3133万人'
date: 2022-06-23 23:54
author: 工人日报
categories:
  - 就业
region: 全国
---

<div>
<p>日前，国新办举行困难群众帮扶有关工作国务院政策例行吹风会。截至5月底，全国脱贫劳动力务工规模达到3133万人。</p>
</div>
"""


def scaffold(directory: Path) -> list[Path]:
    """Create the files; refuse to overwrite an existing site.toml."""
    site = directory / "site.toml"
    if site.exists():
        raise FileExistsError(f"{site} already exists; not overwriting it")
    example = directory / "content" / "example.md"
    write_file(site, SITE_TOML)
    created = [site]
    if not example.exists():
        write_file(example, EXAMPLE)
        created.append(example)
    return created
