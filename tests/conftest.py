"""Shared fixtures: paths to the test data and to ../shared when it is present."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

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
