"""Shared fixtures: paths to the test data and to ../shared when it is present."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings

# In CI the property tests run the same examples every time (a red build is reproducible
# and never a roll of the dice); locally they keep exploring, and save what fails in .hypothesis/.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SHARED = TESTS.parents[1] / "shared"
REAL_CORPUS = SHARED / "corpus" / "real"
SEEDS = SHARED / "seeds"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def tz() -> ZoneInfo:
    return SHANGHAI


def needs_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} not present")


def load_bench(name: str = "eval_topics_policy") -> ModuleType:
    """A script from benchmarks/ imported as a module (the tests reuse its corpus readers)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TESTS.parent / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def build_sample_site(root: Path, base_url: str, *, search: bool = True, content: Path | None = None) -> Path:
    """The bundled sample digest (content/) built into root/output; returns the output folder."""
    import shutil

    from generator.build import build
    from generator.config import load_config

    shutil.copytree(content or TESTS.parent / "content", root / "content")
    (root / "site.toml").write_text(f'base_url = "{base_url}"\nsearch = {"true" if search else "false"}\n',
                                    encoding="utf-8")
    result = build(load_config(root / "site.toml"))
    assert result.written, [str(d) for d in result.diagnostics]
    return root / "output"


PACKED_BODY_HEADER = b"\x78\x9c"  # zlib's header at generator.model.BODY_COMPRESSION 6


def perturbed(value):
    """Another value of the same kind, as an edit of an article's field would make it."""
    from datetime import datetime, timedelta
    from pathlib import PurePosixPath

    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "改" * 40
    if isinstance(value, datetime):
        return value + timedelta(days=3)
    if isinstance(value, PurePosixPath):
        return value.with_name("0" + value.name)
    if isinstance(value, bytes) and value.startswith(PACKED_BODY_HEADER):  # an article's packed body?
        from generator.model import pack_body, pack_region_evidence, unpack_body

        try:
            packed = unpack_body(value)
        except Exception:  # noqa: BLE001 - other bytes (a sketch) that happen to start alike
            packed = None
        if isinstance(packed, tuple) and len(packed) == 3:  # body_html, text, removals
            return pack_body(packed[0] + "<p>" + "改" * 40 + "</p>", packed[1] + "改" * 40, ())
        if isinstance(packed, tuple) and len(packed) == 2:  # region weights and evidence
            return pack_region_evidence(packed[0] + (("改", 1.0),), packed[1] + ("改",))
    if isinstance(value, (tuple, bytes)):
        return value[:0] if value else ("改",)
    return "改" if value is None else None  # a region (or any reference) removed
