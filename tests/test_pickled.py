"""Quick pickling (generator.pickled): the article cache and the fork pool carry model objects
through pickle; every field must come back, frozen classes included."""
from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path, PurePosixPath

import pytest

from generator import model
from generator.build.cache import Entry
from generator.build.process import make_pipeline, process_file
from generator.config import load_config
from generator.diagnostics import Diagnostic
from generator.pickled import quick_pickle

ROOT = Path(__file__).resolve().parents[1]


def _model_classes() -> list[type]:
    return [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
            and c.__module__ == model.__name__]


@pytest.mark.parametrize("cls", _model_classes(), ids=lambda c: c.__name__)
def test_every_model_class_pickles_by_its_fields_named_once(cls: type) -> None:
    assert cls.__getstate__.__qualname__.startswith("quick_pickle"), f"{cls.__name__} lacks @quick_pickle"


def test_the_sample_articles_round_trip_whole() -> None:
    config = load_config(None)
    pipeline = make_pipeline(config)
    files = sorted(p for p in (ROOT / "content").rglob("*") if p.is_file())[:12]
    articles = [process_file(p, PurePosixPath(p.name), pipeline)[0] for p in files]
    articles = [a for a in articles if a is not None]
    assert len(articles) >= 8
    again = pickle.loads(pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == articles
    for before, after in zip(articles, again):  # every field, nested records included
        assert all(getattr(before, f.name) == getattr(after, f.name) for f in dataclasses.fields(before))
    with pytest.raises(dataclasses.FrozenInstanceError):
        again[0].title = "x"  # type: ignore[misc]


def test_entries_and_diagnostics_round_trip() -> None:
    diagnostic = Diagnostic("content/a.md", 3, "error", "date is not a date")
    entry = Entry((10, 20, 30), "d" * 64, None, (diagnostic,))
    again = pickle.loads(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == entry and again.diagnostics[0] == diagnostic


@quick_pickle
@dataclasses.dataclass(frozen=True, slots=True)
class One:
    value: int = 7


def test_a_class_with_one_field() -> None:
    assert pickle.loads(pickle.dumps(One(3))) == One(3) != One()
