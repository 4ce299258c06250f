"""benchmarks/eval_agreement.py: agreement between two hand labellings, figure by figure."""
from __future__ import annotations

import pytest

from tests.conftest import load_bench

agreement = load_bench("eval_agreement").agreement


def row(region, policy, *subjects):
    return {"region": region, "policy": policy, "subjects": list(subjects)}


def test_identical_labels_agree_fully():
    pairs = [(row("广东", True, "财政、金融、审计"), row("广东", True, "财政、金融、审计"))] * 3
    assert agreement(pairs) == {"n": 3, "region": 1.0, "policy": 1.0, "subject F1": 1.0, "main": 1.0}


def test_each_figure_counts_its_own_disagreement():
    pairs = [
        (row("广东", True, "财政、金融、审计", "商贸、海关、旅游"), row("全国", True, "商贸、海关、旅游")),
        (row(None, False, "对外事务"), row(None, True, "对外事务")),
    ]
    figures = agreement(pairs)
    assert figures["region"] == 0.5 and figures["policy"] == 0.5
    # subjects: 2 shared (商贸 once, 对外事务 once) over 3 + 2 labelled in all
    assert figures["subject F1"] == pytest.approx(2 * 2 / 5)
    # main: the first pair's mains differ (财政 vs 商贸), the second's agree
    assert figures["main"] == 0.5


def test_subject_f1_is_symmetric():
    a, b = row("北京", True, "科技、教育", "文化、广电、新闻出版"), row("北京", True, "文化、广电、新闻出版")
    assert agreement([(a, b)])["subject F1"] == agreement([(b, a)])["subject F1"]
