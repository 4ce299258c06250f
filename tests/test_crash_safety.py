"""`kill -9` at any moment of a build leaves output/ exactly as the last good build left it.

By default a 200-article corpus and 3 random kills (about 15 s); the full check is

    DIGEST_KILL_CORPUS=10000 DIGEST_KILL_TRIALS=20 .venv/bin/python -m pytest tests/test_crash_safety.py -s

(DIGEST_KILL_SEED picks the random delays; each trial prints its delay and outcome.)
Random delays almost never land inside the few microseconds `commit()` takes, so every
step of the commit is also hit on purpose: a build that SIGKILLs itself at that step.
On Linux (renameat2 and hard links) every step leaves a whole site. The fallbacks for
file systems without them have a window of a few microseconds with something missing
from output/; the next build restores it, and the test shows both.
Search indexing is off: Pagefind's output is not byte-stable, and the index is written
into the same staging folder as the pages, so it changes nothing about crash safety.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED, TESTS

MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"
CORPUS = int(os.environ.get("DIGEST_KILL_CORPUS", "200"))
TRIALS = int(os.environ.get("DIGEST_KILL_TRIALS", "3"))
SEED = int(os.environ.get("DIGEST_KILL_SEED", "20240928"))
SITE_TOML = 'title = "崩溃测试"\nbase_url = "https://example.org/"\nsearch = false\n'


def tree_hash(root: Path) -> dict[str, str]:
    """Every file, folder and link under `root` with a hash of its content: the whole tree."""
    found: dict[str, str] = {}
    if not root.exists():
        return found
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[rel] = "dir"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run_build(site: Path, source: str, output: Path, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`python -m generator build` in its own process group (so a kill reaches any child too)."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--source", source, "--output", str(output), "--config", "site.toml"],
        cwd=site, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(TESTS.parent)},
    )


def complete_build(site: Path, source: str, output: Path) -> float:
    started = time.perf_counter()
    process = run_build(site, source, output, stderr=subprocess.PIPE)
    _, stderr = process.communicate(timeout=3600)
    assert process.returncode == 0, stderr.decode("utf-8", "replace")
    return time.perf_counter() - started


def add_hidden_entries(output: Path) -> None:
    """What a deployment keeps in output/ and every build must carry over."""
    (output / ".git" / "refs").mkdir(parents=True, exist_ok=True)
    (output / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (output / ".nojekyll").write_text("")


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    """A site with two sources: `a` (the corpus minus a tenth, one article edited) and `b` (all of it)."""
    if not MAKE_CORPUS.exists():
        pytest.skip(f"{MAKE_CORPUS} not present")
    site = tmp_path_factory.mktemp("crash")
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site / "b"), "--count", str(CORPUS), "--seed", "1",
                    "--raw-fraction", "0.1"], check=True, stdout=subprocess.DEVNULL)
    (site / "b" / "_truth.jsonl").unlink(missing_ok=True)
    shutil.copytree(site / "b", site / "a")
    files = sorted((site / "a").iterdir())
    for path in files[::10]:
        path.unlink()
    edited = next(p for p in files[1:] if p.suffix == ".md")
    edited.write_text(edited.read_text(encoding="utf-8").replace("，", "，（已更正）", 1), encoding="utf-8")
    (site / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    return site


def test_kill_9_at_random_moments_never_changes_output(corpus_site: Path):
    site = corpus_site
    references: dict[str, dict[str, str]] = {}
    durations = {}
    for source in ("a", "b"):
        reference = site / f"reference-{source}"
        reference.mkdir()
        add_hidden_entries(reference)
        durations[source] = complete_build(site, source, reference)
        references[source] = tree_hash(reference)
    assert references["a"] != references["b"]
    output = site / "output"
    shutil.copytree(site / "reference-a", output, symlinks=True)
    # The last good build, made in place; with the article cache warm, as the trials will be.
    warm = complete_build(site, "a", output)
    assert tree_hash(output) == references["a"]
    durations = {source: warm * durations[source] / durations["a"] for source in durations}

    rng = random.Random(SEED)
    current, outcomes = "a", []
    for trial in range(TRIALS):
        target = "b" if current == "a" else "a"
        delay = rng.uniform(0, durations[target])
        process = run_build(site, target, output)
        time.sleep(delay)
        finished = process.poll() is not None
        if not finished:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        state = tree_hash(output)
        if state == references[current]:
            outcome = "old site"
        elif state == references[target]:
            outcome, current = "new site", target
        else:
            missing = sorted(set(references[current]) - set(state))[:5]
            extra = sorted(set(state) - set(references[current]))[:5]
            pytest.fail(f"trial {trial}: output/ is neither the last good build nor the new one "
                        f"(killed after {delay:.2f} s; missing {missing}, extra {extra})")
        outcomes.append(outcome)
        print(f"trial {trial + 1}/{TRIALS}: {'finished' if finished else 'killed'} after {delay:.2f} s "
              f"of a {durations[target]:.1f} s build -> {outcome}")
    # The next build after all those kills completes and sweeps every leftover; the site it
    # retired stays as the next build's spare (generator.write.StagedWriter), whatever state the
    # killed builds left it in, and the build after it is right too.
    for target in ("b" if current == "a" else "a", current):
        complete_build(site, target, output)
        assert tree_hash(output) == references[target]
        assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == [".output.spare"]
    print(f"{CORPUS} articles, {TRIALS} kills: {outcomes.count('old site')} left the old site, "
          f"{outcomes.count('new site')} the new one, 0 anything else")


# -- every step of commit() -------------------------------------------------------------

WRAPPER = textwrap.dedent("""
    import os, shutil, signal, sys
    import generator.write.staged as w
    step = sys.argv.pop(1)
    die = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
    real_exchange, real_rename = w._exchange, os.rename
    def wrap(func, when):
        def inner(*args, **kwargs):
            if when == "before":
                die()
            result = func(*args, **kwargs)
            die()
            return result
        return inner
    if step == "after-link":
        w.StagedWriter._carry_over_hidden_entries = wrap(w.StagedWriter._carry_over_hidden_entries, "after")
    elif step == "after-exchange":
        w._exchange = wrap(real_exchange, "after")
    elif step == "during-spare-update":
        # Staged in the spare (every new page written, every kept one linked), killed before
        # the files the new site lacks are deleted: the spare is neither site.
        w._SpareListing.drop_unwritten = wrap(w._SpareListing.drop_unwritten, "before")
    elif step.startswith("fallback-") or step == "moved-before":
        w._exchange = lambda a, b: False
        if step == "moved-before":
            def no_links(source, target):
                raise OSError(18, "Invalid cross-device link")
            w._link_copy = no_links
            w._swap = wrap(w._swap, "before")
        else:
            calls = []
            def rename(a, b):
                real_rename(a, b)
                calls.append(b)
                if step == "fallback-between" and str(b).endswith(".old-previous"):
                    die()
                if step == "fallback-after" and len(calls) == 2:
                    die()
            w.os.rename = rename
    from generator.cli import main
    main(sys.argv[1:], prog_name="digest")
""")
STEPS = ["after-link", "after-exchange", "during-spare-update", "fallback-between", "fallback-after",
         "moved-before"]


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture site built (in process, quicker) before and after one article was edited."""
    from generator.build import build
    from generator.config import load_config

    root = tmp_path_factory.mktemp("commit")
    builds = []
    for name, number in (("old", "3133"), ("new", "9999")):
        site = root / name
        shutil.copytree(FIXTURES / "site", site)
        article = site / "content" / "national.md"
        article.write_text(article.read_text(encoding="utf-8").replace("3133", number), encoding="utf-8")
        (site / "output").mkdir()
        add_hidden_entries(site / "output")
        assert build(load_config(site / "site.toml")).written
        builds.append(site)
    return builds[0], builds[1]


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_inside_commit_leaves_a_whole_site(tmp_path: Path, step: str, old_and_new):
    """SIGKILL at each step of the swap: output/ is the old or the new site, whole, hidden entries
    included; and the next build recovers whatever the killed one left half done."""
    from generator.build import build
    from generator.config import load_config

    old_site, new_site = old_and_new
    site = tmp_path / "site"
    shutil.copytree(new_site, site, symlinks=True, ignore=shutil.ignore_patterns("output", ".output.*"))
    output = site / "output"
    shutil.copytree(old_site / "output", output, symlinks=True)
    old, new = tree_hash(output), tree_hash(new_site / "output")
    assert old != new
    if step == "during-spare-update":  # a spare the build stages in: an old site and a stray file
        shutil.copytree(old_site / "output", site / ".output.spare", symlinks=True)
        (site / ".output.spare" / "stray.html").write_text("not part of any site", encoding="utf-8")

    done = subprocess.run([sys.executable, "-c", WRAPPER, step, "build", "--source", "content", "--output", str(output)],
                          cwd=site, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(TESTS.parent)})
    assert done.returncode == -signal.SIGKILL, done.stderr
    after_kill = tree_hash(output)
    if step == "fallback-between":
        # The one state that is not a whole site: output/ was renamed aside and the kill came
        # before the new one was renamed in. Nothing is lost: the next writer renames it back.
        assert after_kill == {} and tree_hash(site / ".output.old-previous") == old
    elif step in ("after-exchange", "fallback-after"):
        assert after_kill == new
    elif step == "moved-before":
        # Without hard links .git and .nojekyll are moved into staging before the swap: killed
        # there, output/ lacks them until the next writer moves them back.
        assert after_kill == {k: v for k, v in old.items() if not k.startswith(".")}
    else:
        assert after_kill == old
    assert build(load_config(site / "site.toml")).written
    assert tree_hash(output) == new
    assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == [".output.spare"]
