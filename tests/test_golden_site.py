"""The fixture site builds to exactly the golden tree (UPDATE_GOLDEN=1 rewrites it after review)."""
import os
import shutil
from pathlib import Path

from generator.build import build
from generator.config import load_config
from tests.conftest import FIXTURES, TESTS

GOLDEN = TESTS / "golden" / "site"


def build_fixture(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    result = build(load_config(site / "site.toml"))
    assert result.written and not [d for d in result.diagnostics if d.level == "error"]
    return site / "output"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_golden_site(tmp_path: Path):
    built = tree(build_fixture(tmp_path))
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden)
    for rel in golden:
        assert built[rel] == golden[rel], f"{rel} differs from the golden copy"


def test_two_builds_are_byte_identical(tmp_path: Path):
    first = tree(build_fixture(tmp_path / "a"))
    second = tree(build_fixture(tmp_path / "b"))
    assert first == second


def test_subpath_links(tmp_path: Path):
    index = (build_fixture(tmp_path) / "index.html").read_text(encoding="utf-8")
    assert 'href="/digest/static/style.css"' in index and 'href="/digest/articles/' in index
    assert 'href="/digest/page/2/"' in index
