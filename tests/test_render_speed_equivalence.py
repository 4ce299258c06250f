"""The render stage's fast paths give what the plain versions gave: the same template values
as Jinja's own lookup, the same fragment keys as the isinstance tests, the same dependency
digests."""
from __future__ import annotations

import hashlib
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.render import ViewEnvironment
from generator.render.fragments import Unkeyable, _key_of
from generator.render.reader import KeyValues


_TEMPLATE = ("{{ v.title }}|{{ v.missing is defined }}|{{ v.items is defined }}|{{ v.get('title') }}"
             "|{{ v.keys()|list|length }}|{{ w.title }}|{{ n.real }}")


class _View(dict):
    """A dict subclass with an attribute of its own: looked up as Jinja always did."""
    title = "attribute"


@pytest.mark.parametrize("view", [{"title": "<标题>", "items": 3}, {"title": None}, {}])
def test_view_environment_reads_plain_dicts_as_jinja_does(view: dict) -> None:
    values = {"v": view, "w": _View(title="item"), "n": 5}
    plain = jinja2.Environment(autoescape=True).from_string(_TEMPLATE).render(values)
    assert ViewEnvironment(autoescape=True).from_string(_TEMPLATE).render(values) == plain


def test_view_environment_keeps_strict_undefined() -> None:
    env = ViewEnvironment(undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        env.from_string("{{ v.missing }}").render(v={"title": "x"})


def _key_as_before(value: Any) -> Any:
    """`fragments._key_of` as it was: isinstance tests all the way down."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, dict):
        fingerprint = value.get("_fp")
        if fingerprint is None:
            raise Unkeyable
        return ("_fp", fingerprint)
    if isinstance(value, (list, tuple)):
        return tuple(_key_as_before(item) for item in value)
    raise Unkeyable


def _outcome(key_of, value: Any) -> Any:
    try:
        return ("key", key_of(value))
    except Unkeyable:
        return ("unkeyable",)


class _Count(int):
    """An int subclass (like an IntEnum): compared as the number it is."""


class _Items(list):
    """A list subclass: compared item by item, as a list."""


_FRAGMENT_ARGS = st.recursive(
    st.one_of(st.text(max_size=6), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
              st.text(max_size=5).map(Markup), st.integers().map(_Count), st.dates(),
              st.text(min_size=1, max_size=6).map(lambda fp: {"_fp": fp, "title": "x"}),
              st.text(min_size=1, max_size=6).map(lambda fp: _View(_fp=fp)),
              st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),  # no `_fp`: unkeyable
              st.just(object())),  # neither: unkeyable
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
                            st.lists(inner, max_size=3).map(_Items)),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(_FRAGMENT_ARGS)
def test_fragment_keys_are_what_the_isinstance_version_gave(value: Any) -> None:
    assert _outcome(_key_of, value) == _outcome(_key_as_before, value)


def test_key_values_digest_is_one_update_per_key_in_sorted_order() -> None:
    """The joined digest equals the digest fed one key's value at a time (what the manifests
    of earlier builds hold), so published pages stay trusted across the change."""
    values = KeyValues.__new__(KeyValues)
    values._digests = {}
    values.value = lambda key: {"k": key, "v": [key[-1]] * 3}  # type: ignore[method-assign]
    keys = [("a", "甲"), ("t", "region", "beijing"), ("A",), ("p", "month", "2024-01", 2)]
    streamed = hashlib.blake2b(digest_size=16)
    for key in sorted(keys):
        streamed.update(hashlib.blake2b(repr(values.value(key)).encode(), digest_size=12).hexdigest().encode())
    assert values.digest(keys) == streamed.hexdigest()
    assert values.digest(reversed(keys)) == streamed.hexdigest()
    assert values.digest([]) == hashlib.blake2b(digest_size=16).hexdigest()
