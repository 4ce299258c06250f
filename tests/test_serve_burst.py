"""A burst of 1,000 file-system operations over ~10 s while `digest serve` is being polled.

Production timings (quiet 0.2 s, max wait 2 s). The server must answer >= 99 % of the
polls, rebuild at most duration / quiet + 1 times, and end with the output a clean build
of the final files gives. SERVE_BURST_SECONDS shortens or lengthens the burst.
"""
from __future__ import annotations

import dataclasses
import os
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from generator.build import build
from generator.serve.schedule import MAX_WAIT, QUIET
from tests.test_serve_http import ARTICLE, GOOD_MARKDOWN, live_site, wait_for

OPERATIONS = 1000
SECONDS = float(os.environ.get("SERVE_BURST_SECONDS", "10"))


def article(number: int, revision: int) -> str:
    return (f"---\ntitle: 第{number}号就业帮扶通知（第{revision}版）\ndate: 2024-0{1 + number % 9}-1{number % 10} 08:00\n"
            f"slug: burst-{number:02d}\n---\n\n重庆市人力资源和社会保障局发布第{revision}版通知，"
            f"帮扶{number * 10 + revision}名脱贫劳动力就业。\n")


def operate(content: Path, step: int) -> None:
    """One file-system operation of an editing / checkout storm (plus editor droppings)."""
    burst = content / "burst"
    number = step % 20
    target = burst / f"n{number:02d}.md"
    kind = step % 10
    if kind <= 4:  # write (create or modify)
        target.write_text(article(number, step), "utf-8")
    elif kind == 5:  # an editor's atomic save: temp file renamed over the article
        temp = burst / f".n{number:02d}.md.tmp"
        temp.write_text(article(number, step), "utf-8")
        os.replace(temp, target)
    elif kind == 6:  # delete
        target.unlink(missing_ok=True)
    elif kind == 7:  # editor temp files: ignored
        name = (f".#n{number:02d}.md", f".n{number:02d}.md.swp", "4913", f"n{number:02d}.md~")[step // 10 % 4]
        (burst / name).write_text("x", "utf-8")
    elif kind == 8:  # an existing article edited again and again
        (content / "markdown.md").write_text(GOOD_MARKDOWN + f"\n第{step}次修改。\n", "utf-8")
    else:  # a rename: move an article to a new name (a checkout does many of these)
        if target.exists():
            os.replace(target, burst / f"n{(number + 1) % 20:02d}.md")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_burst_of_1000_file_events(tmp_path: Path):
    with live_site(tmp_path, quiet=QUIET, max_wait=MAX_WAIT) as live:
        (live.site / "content" / "burst").mkdir()
        # Pages that exist whatever state the burst leaves the files in. (The page of markdown.md,
        # rewritten in place again and again, may be missing from a build that read it half
        # written - until the next rebuild, as with any editor that truncates before writing.)
        urls = [live.base, live.base + "static/style.css", live.base + "page/2/", live.base + "regions/"]
        answers: Counter[str] = Counter()
        stop = threading.Event()

        def poll(offset: int) -> None:
            position = offset
            while not stop.is_set():
                try:
                    with urllib.request.urlopen(urls[position % len(urls)], timeout=5) as response:
                        response.read()
                        answers[str(response.status)] += 1
                except urllib.error.HTTPError as exc:
                    answers[str(exc.code)] += 1
                except OSError as exc:
                    answers[type(exc).__name__] += 1
                position += 1
                time.sleep(0.005)

        live.settled_after(live.status()["builds"] - 1)
        before = live.status()
        pollers = [threading.Thread(target=poll, args=(n,), daemon=True) for n in range(2)]
        for thread in pollers:
            thread.start()
        started = time.monotonic()
        for step in range(OPERATIONS):
            delay = started + step * SECONDS / OPERATIONS - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            operate(live.site / "content", step)
        burst = time.monotonic() - started
        after = wait_for(lambda: (s := live.status()) and not s["building"] and not s["pending"] and s, 30)
        time.sleep(QUIET * 2)
        after = live.status()
        settled = time.monotonic() - started - burst
        stop.set()
        for thread in pollers:
            thread.join(10)

        rebuilds = after["builds"] - before["builds"]
        polls = sum(answers.values())
        ok = answers["200"] / polls
        figures = (f"{OPERATIONS} operations in {burst:.1f} s -> {after['events'] - before['events']} counted events, "
                   f"{rebuilds} rebuilds (bound {SECONDS / QUIET + 1:.0f}), settled {settled:.2f} s after the "
                   f"burst; {polls} polls, {ok:.2%} answered 200 ({dict(answers)})")
        print(figures)
        assert after["errors"] == [], figures
        assert ok >= 0.99, figures
        assert 1 <= rebuilds <= burst / QUIET + 1, figures

        clean = build(dataclasses.replace(live.server.config, output=str(tmp_path / "clean")))
        assert clean.written and not clean.diagnostics
        served, expected = files(live.server.output_dir), files(tmp_path / "clean")
        assert served.keys() == expected.keys(), figures
        assert [k for k in served if served[k] != expected[k]] == [], figures
        assert live.get(ARTICLE).status == 200
        assert not list(live.server.output_dir.parent.glob(f".{live.server.output_dir.name}.*")), "a staging folder was left behind"
        assert len([k for k in served if k.startswith("articles/burst-")]) == len(
            list((live.site / "content" / "burst").glob("n*.md")))
