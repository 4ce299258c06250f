"""The package as a user installs it: a wheel, in a fresh venv, with no checkout around it.

Builds the sdist and the wheel (from the sdist, offline: --no-isolation) from a copy of the
working tree, installs the wheel with --no-deps into a new venv outside the checkout (the
dependencies come from this test venv through a .pth file that does NOT make the checkout's
editable `generator` importable), then runs the installed `digest`: init, build, inspect, serve.
The site it builds must be byte for byte the one the checkout builds.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / ".." / "shared" / "seeds"
# Top-level names of the working tree that are not sources (generated, caches, other venvs).
NOT_SOURCES = {".git", ".venv", ".cache", ".hypothesis", ".pytest_cache", "output", "test-artifacts", "build", "dist"}


def _need(ok: bool, reason: str) -> None:
    """Skip when a build tool is missing; under CI=true that is a failure (CI installs the test extra)."""
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"packaging test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _installed(distribution: str, major: int = 0) -> bool:
    """Whether this venv has `distribution` (a top-level build/ folder must not pass for the `build` package)."""
    try:
        return int(importlib.metadata.version(distribution).split(".")[0]) >= major
    except importlib.metadata.PackageNotFoundError:
        return False


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}}
    env.update(PYTHONUNBUFFERED="1", PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1")
    return env


def _run(args: list, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def _ignore(folder: str, names: list[str]) -> set[str]:
    top = Path(folder).resolve() == REPO
    return {n for n in names if n == "__pycache__" or n.endswith(".egg-info")
            or (top and (n in NOT_SOURCES or n.startswith(".output.")))}


@dataclass(frozen=True)
class Installed:
    src: Path  # the copy of the working tree the sdist and wheel were built from
    dist: Path
    wheel: Path
    venv: Path
    digest: Path
    work: Path  # a folder outside the checkout to run in


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    _need(_installed("build"), "the `build` package is not installed (pip install -e '.[test]')")
    _need(_installed("setuptools", 77), "setuptools>=77 (PEP 639 license field) is missing (pip install -e '.[test]')")
    tmp = tmp_path_factory.mktemp("packaging")
    assert not tmp.resolve().is_relative_to(REPO)

    # Build from a copy of the working tree, so the checkout gets no build/ or egg-info of ours.
    src = tmp / "src"
    shutil.copytree(REPO, src, ignore=_ignore, symlinks=True)
    dist = tmp / "dist"
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, src], cwd=tmp, timeout=180)
    wheel, = dist.glob("*.whl")

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel],
         cwd=tmp)
    # The dependencies: this venv's site-packages, added as a plain path. The .pth files in it
    # (the editable install's finder among them) are not processed, so `generator` stays the wheel's.
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=tmp).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "zz_test_venv_deps.pth").write_text("".join(f"{p}\n" for p in sorted(ours)), encoding="utf-8")
    work = tmp / "work"
    work.mkdir()
    return Installed(src=src, dist=dist, wheel=wheel, venv=venv, digest=venv / "bin" / "digest", work=work)


def test_installed_package_is_the_wheel_not_the_checkout(installed: Installed):
    probe = ("import generator, generator.inputs as t; "
             "print(generator.__file__); print(t.bundled_themes_dir())")
    module, themes = _run([installed.venv / "bin" / "python", "-c", probe], cwd=installed.work).stdout.split()
    assert Path(module).resolve().is_relative_to(installed.venv.resolve())
    assert not Path(module).resolve().is_relative_to(REPO)
    assert Path(themes) == Path(module).parent / "_themes"
    assert (Path(themes) / "default" / "templates" / "base.html").is_file()
    version = _run([installed.digest, "--version"], cwd=installed.work).stdout
    assert "digest" in version


def test_wheel_holds_the_runtime_data_and_nothing_else(installed: Installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    files = {n for n in names if not n.endswith("/")}

    def shipped(folder: Path) -> set[Path]:
        return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()
                and "__pycache__" not in p.parts and not any(part.startswith(".") for part in p.parts)}

    # Every module and data file of generator/ (a new subpackage or data type must not go missing) ...
    generator_files = {f"generator/{p.as_posix()}" for p in shipped(installed.src / "generator") if p.suffix != ".pyc"}
    assert generator_files - files == set()
    # ... the whole default theme (templates, static incl. .js/.css/.ico/.svg/fonts) ...
    theme_files = {f"generator/_themes/{p.as_posix()}" for p in shipped(installed.src / "themes")}
    assert theme_files - files == set()
    assert {"generator/_themes/default/templates/base.html", "generator/_themes/default/static/style.css"} <= files
    # ... and nothing of the project's own tests, sample site, output or benchmarks.
    name, version = installed.wheel.name.split("-")[:2]
    tops = {n.split("/", 1)[0] for n in files}
    assert tops == {"generator", f"{name}-{version}.dist-info"}, tops
    assert not [n for n in files if "__pycache__" in n or n.endswith(".pyc")]


def test_sdist_carries_the_theme(installed: Installed):
    import tarfile

    sdist, = installed.dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "themes/default/templates/base.html",
            "themes/default/static/style.css"} <= names
    assert not [n for n in names if n.split("/")[0] in {"output", "content", ".venv", ".cache"}]


def test_twine_check_passes(installed: Installed):
    _need(_installed("twine"), "twine is not installed (pip install -e '.[test]')")
    result = _run([sys.executable, "-m", "twine", "check", "--strict", *sorted(installed.dist.iterdir())],
                  cwd=installed.work)
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_installed_digest_builds_the_same_site_as_the_checkout(installed: Installed):
    work = installed.work / "same"
    work.mkdir()
    _run([installed.digest, "init", "site"], cwd=work)
    shutil.copytree(work / "site", work / "site_checkout")  # the same `digest init` folder, unbuilt
    _run([installed.digest, "build", "--no-search"], cwd=work / "site")
    checkout_digest = Path(sys.executable).with_name("digest")  # .venv/bin/digest: the editable checkout
    _run([checkout_digest, "build", "--no-search"], cwd=work / "site_checkout")

    def files(output: Path) -> dict[str, bytes]:
        return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*"))
                if p.is_file() and p.relative_to(output).parts[0] != "pagefind"}

    mine, theirs = files(work / "site" / "output"), files(work / "site_checkout" / "output")
    assert "index.html" in mine and "static/style.css" in mine
    assert (sorted(mine.keys() - theirs.keys()), sorted(theirs.keys() - mine.keys())) == ([], [])
    assert [name for name in mine if mine[name] != theirs[name]] == []


def test_installed_digest_inspects_a_seed(installed: Installed):
    if not SEEDS.is_dir() or not sorted(SEEDS.iterdir()):
        pytest.skip(f"{SEEDS} is absent")
    seed = sorted(p for p in SEEDS.iterdir() if p.is_file())[0]
    out = _run([installed.digest, "inspect", "--json", seed], cwd=installed.work).stdout
    report = json.loads(out.splitlines()[0])
    assert report["ok"] is True and report["title"] and report["region"]
    checkout = _run([Path(sys.executable).with_name("digest"), "inspect", "--json", seed], cwd=installed.work).stdout
    assert report == json.loads(checkout.splitlines()[0])


def test_installed_digest_serves_a_page(installed: Installed):
    work = installed.work / "serve"
    work.mkdir()
    _run([installed.digest, "init", "site"], cwd=work)
    process = subprocess.Popen([str(installed.digest), "serve", "--port", "0"], cwd=work / "site", env=_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    try:
        url = None
        while url is None:
            try:
                line = lines.get(timeout=30)
            except queue.Empty:
                break
            seen.append(line)
            if not line:
                break
            if match := re.search(r" at (http://\S+) \(Ctrl-C", line):
                url = match.group(1)
        assert url, "digest serve did not start:\n" + "".join(seen)
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            body = response.read().decode("utf-8")
        assert "全国脱贫劳动力务工规模达到3133万人" in body and "static/style.css" in body
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # Ctrl-C: the way a user stops it
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, "".join(seen)
