"""Quick pickling (generator.pickled): the article cache and the fork pool carry model objects
through pickle; every field must come back, frozen classes included."""
from __future__ import annotations

import dataclasses
import pickle
import sys
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


def _sample_articles() -> list[model.Article]:
    pipeline = make_pipeline(load_config(None))
    files = sorted(p for p in (ROOT / "content").rglob("*") if p.is_file())[:12]
    return [a for a in (process_file(p, PurePosixPath(p.name), pipeline)[0] for p in files) if a is not None]


def test_references_and_keywords_come_back_shared_not_copied() -> None:
    """Every article comes back through pickle (fork pool, cache): equal references must be
    one object, and equal keywords one string, or 100,000 articles hold 100,000 copies."""
    articles = _sample_articles()
    again = [pickle.loads(pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL)) for a in articles]  # one by one: no memo
    assert again == articles
    refs: dict = {}
    for article in again:
        for ref in (article.region, *article.topics, *article.subjects):
            if ref is not None:
                assert refs.setdefault(ref, ref) is ref, ref
    assert any(isinstance(ref, model.TopicRef) for ref in refs)
    words: dict = {}
    for article in again:
        for word in article.keywords:
            assert words.setdefault(word, word) is word, word
    assert len(words) < sum(len(a.keywords) for a in again)  # some were shared


def test_a_packed_body_gives_back_the_cleaned_body_text_and_removals() -> None:
    removals = (model.Removal("share", "分享到：微信", 6), model.Removal("editor-line", "责任编辑：王", 0))
    html, text = "<p>重庆今年将新增城镇就业70万人。</p>" * 20, "重庆今年将新增城镇就业70万人。" * 20
    packed = model.pack_body(html, text, removals)
    assert model.unpack_body(packed) == (html, text, (("share", "分享到：微信", 6), ("editor-line", "责任编辑：王", 0)))
    article = _sample_articles()[0]
    assert (article.body_html, article.text) == model.unpack_body(article.packed_body)[:2]
    assert all(isinstance(r, model.Removal) for r in article.removed)
    # why it is packed: smaller than the strings it stands for
    assert len(packed) < (len(html) + len(text)) // 4


def test_numbers_and_figures_come_back_as_shared_strings() -> None:
    """A build holds every article until the site is written: the numbers and key figures that
    repeat across articles ("2025", "万人", "就业") are one string each, whether the article was
    made in this process or came back through pickle (from a worker or the cache)."""
    config = load_config(None)
    pipeline = make_pipeline(config)
    files = sorted(p for p in (ROOT / "content").rglob("*") if p.is_file())[:12]
    made = [a for a in (process_file(p, PurePosixPath(p.name), pipeline)[0] for p in files) if a is not None]
    again = pickle.loads(pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    strings = [s for article in made + again for s in
               (*article.numbers, *(part for f in article.figures for part in (f.value, f.unit, f.context)))]
    assert len([s for s in strings if len(s) > 1]) >= 20
    assert all(s is sys.intern(s) for s in strings)
