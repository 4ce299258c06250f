#!/usr/bin/env python3
"""`digest ARGS...` with the digest features of #17 switched off: for measuring what they cost
(benchmarks/bench_digest_cost.py), never for publishing.

Switched off in this process before the build starts (the forked workers inherit it): the
per-article story sketch, story numbers and content keywords; story links and groups (every
article its own story); related lists; the daily and weekly pages and archives and their
feeds. Everything else is today's code.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import generator.enrich as enrich  # noqa: E402
import generator.index as index  # noqa: E402
import generator.render as render  # noqa: E402
import generator.render.briefing_feeds as briefing_feeds  # noqa: E402


def switch_off() -> None:
    enrich.story_sketch = lambda title, text: b""
    enrich.story_numbers = lambda title, text: ()
    enrich.content_keywords = lambda title, text: ()
    index.story_links = lambda *args, **kwargs: {}
    index.story_links_since = lambda *args, **kwargs: {}
    index.story_groups = lambda *args, **kwargs: {}
    index.related_articles = lambda *args, **kwargs: {}
    render.briefing_plans = lambda *args, **kwargs: []
    briefing_feeds.briefing_feed_documents = lambda *args, **kwargs: []


if __name__ == "__main__":
    switch_off()
    from generator.cli import run

    sys.argv = ["digest", *sys.argv[1:]]
    run()
