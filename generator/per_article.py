"""A value derived from each article, made the first time it is asked for and kept.

The index stage compares every article with dozens of others: what a comparison reads (a
publication instant, a keyword vector, a decoded sketch) is derived once per article per
build, not once per pair.
"""
from __future__ import annotations

from typing import Callable, Generic, Mapping, TypeVar

from generator.model import Article

Value = TypeVar("Value")


class PerArticle(dict, Generic[Value]):
    """`make(article)` by article id, computed on first access."""

    def __init__(self, by_id: Mapping[str, Article], make: Callable[[Article], Value]) -> None:
        super().__init__()
        self._by_id, self._make = by_id, make

    def __missing__(self, article_id: str) -> Value:
        value = self[article_id] = self._make(self._by_id[article_id])
        return value
