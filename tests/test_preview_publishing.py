"""`digest serve` never touches what is published, and a file that turns invalid while it runs
stays published in its last good version."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

from generator.config import PREVIEW_DIR
from generator.enrich.slugs import default_slug
from tests.conftest import TESTS
from tests.test_serve_http import (ARTICLE, GOOD_MARKDOWN, Live, _start_cli, copy_site, fetch, live_site, page_state,
                                   wait_for)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_serve_session_leaves_output_byte_identical(tmp_path: Path):
    """The bundled sample digest, built, then previewed with an edit: output/ never moves."""
    site = tmp_path / "sample"
    shutil.copytree(TESTS.parent / "content", site / "content")
    (site / "site.toml").write_text('base_url = "https://example.org/digest/"\nsearch = false\n', "utf-8")
    subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site, check=True, capture_output=True)
    published = tree(site / "output")
    assert published and not any(b"127.0.0.1" in data for data in published.values())

    process, url = _start_cli(site)
    try:
        assert url.startswith("http://127.0.0.1:")
        article = site / "content" / "sina_002.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("1021家企业入列", "1021家企业预览入列", 1), "utf-8")
        page = f"articles/{default_slug('content/sina_002.md')}/"
        wait_for(lambda: "1021家企业预览入列" in fetch(url + page).text)
        preview = site / PREVIEW_DIR
        assert "1021家企业预览入列" in (preview / page / "index.html").read_text(encoding="utf-8")
        assert b"127.0.0.1" in (preview / "rss.xml").read_bytes()  # the preview's own base_url
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    after = tree(site / "output")
    assert after == published
    assert not [rel for rel, data in after.items() if b"127.0.0.1" in data]


def test_serve_refuses_to_preview_into_the_published_folder(tmp_path: Path):
    site = copy_site(tmp_path)
    result = subprocess.run([sys.executable, "-m", "generator", "serve", "--port", "0", "--preview-dir", "output"],
                            cwd=site, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "the preview folder must not be the published output folder" in result.stderr
    assert not (site / "output").exists() and "Traceback" not in result.stderr


def test_broken_yaml_keeps_the_last_good_page_then_the_fix_shows(tmp_path: Path):
    with live_site(tmp_path) as live:
        _broken_then_fixed(live)


def _broken_then_fixed(live: Live) -> None:
    article = live.site / "content" / "markdown.md"
    assert "社保补贴办法" in live.get(ARTICLE).text
    broken = GOOD_MARKDOWN.replace("title:", "title: [unclosed", 1)
    state = live.change(lambda: article.write_text(broken, "utf-8"))
    errors = state["errors"]
    assert len(errors) == 1 and errors[0]["path"] == "content/markdown.md" and errors[0]["line"]
    assert errors[0]["text"].startswith(f"content/markdown.md:{errors[0]['line']}: ")
    kept = live.get(ARTICLE)
    assert kept.status == 200 and "社保补贴办法" in kept.text  # the last good version
    assert page_state(kept.body)["errors"] == errors  # and the overlay names file:line
    assert "社保补贴办法" in live.get("").text  # still listed on the home page

    state = live.change(lambda: article.write_text(GOOD_MARKDOWN.replace("社保补贴办法", "社保补贴修订办法"), "utf-8"))
    assert state["errors"] == []
    fixed = live.get(ARTICLE)
    assert "社保补贴修订办法" in fixed.text and page_state(fixed.body)["errors"] == []
