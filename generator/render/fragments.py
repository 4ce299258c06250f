"""`remember(macro, *args, **kwargs)`: a macro's output rendered once per render process
for the same arguments, for fragments many pages repeat.

An article's card is the same on every listing that shows it (home, its region, its
subjects and topics, its month: ~6 pages); a cold build rendered each card ~6 times and a
daily publish re-renders thousands of listing pages. A template writes
`{{ remember(card, article, also=others) }}` instead of `{{ card(article, also=others) }}`:
same output, but a call whose arguments were seen before returns the first call's markup.

Arguments are compared by what they show: an article view (or any dict with a `_fp`
fingerprint, generator.render.article_view) by its fingerprint, lists of them item by item,
plain strings and numbers as they are; a call with any other argument is simply made.
The dependency keys the first call read (generator.render.reader) are noted again on every
later one, so a page that takes a remembered fragment depends on what it showed.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from generator.render.reader import note_all, recording

# Fragments kept per process: a 10,000-article site has ~10,000 distinct cards of ~1 KB.
FRAGMENTS = 20_000
_PLAIN = (str, int, float, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)
_CONTAINERS = frozenset((dict, list, tuple))


class Unkeyable(Exception):
    """An argument that cannot be compared by what it shows: the call is made, not remembered."""


class FragmentMemo:
    """The `remember` template global: one per Jinja environment (so per template set)."""

    def __init__(self, size: int = FRAGMENTS) -> None:
        self.size = size
        self._done: OrderedDict[tuple, tuple[Any, frozenset]] = OrderedDict()

    def __call__(self, macro: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            key = (_macro_key(macro), _key_of(args), tuple([(name, _key_of(kwargs[name])) for name in sorted(kwargs)]))
        except Unkeyable:
            return macro(*args, **kwargs)
        hit = self._done.get(key)
        if hit is None:
            with recording() as keys:
                markup = macro(*args, **kwargs)
            hit = self._done[key] = (markup, frozenset(keys))
            if len(self._done) > self.size:
                self._done.popitem(last=False)
        else:
            self._done.move_to_end(key)
        markup, keys = hit
        note_all(keys)  # into the page being rendered, on the first call as on the later ones
        return markup


def _macro_key(macro: Any) -> Any:
    """The macro's compiled code: the same for every render of one template source."""
    func = getattr(macro, "_func", None)
    if func is None or not hasattr(func, "__code__"):
        raise Unkeyable
    return func.__code__


def _key_of(value: Any) -> Any:
    """What `value` shows, comparable and hashable. Exact types are tested first: a card's
    arguments are plain dicts, lists and numbers, and this runs a dozen times per listing page."""
    kind = type(value)
    if kind in _PLAIN_TYPES or (kind not in _CONTAINERS and isinstance(value, _PLAIN)):
        return value  # (the isinstance: a subclass, e.g. a Markup string, compared as what it is)
    if isinstance(value, dict):
        fingerprint = value.get("_fp")
        if fingerprint is None:
            raise Unkeyable
        return ("_fp", fingerprint)
    if isinstance(value, (list, tuple)):
        return tuple([_key_of(item) for item in value])
    raise Unkeyable
