"""`remember`: a macro rendered once per process for arguments showing the same thing."""
from __future__ import annotations

import jinja2

from generator.render.fragments import FragmentMemo
from generator.render.reader import note, recording

TEMPLATES = {
    "m.html": "{% macro card(a, also=[], n=0) %}{{ count() }}|{{ a.title }}|{% for o in also %}{{ o.title }}{% endfor %}|{{ n }}{% endmacro %}",
    "page.html": "{% from 'm.html' import card %}{% for a in items %}[{{ remember(card, a, also=others, n=n) }}]{% endfor %}",
}


def _env(calls: list[int]) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)
    env.globals["remember"] = FragmentMemo()

    def count() -> str:
        calls.append(1)
        note(("a", "read-by-the-macro"))
        return str(len(calls))
    env.globals["count"] = count
    return env


def _view(title: str, fp: str | None = "fp") -> dict:
    view = {"title": title}
    if fp is not None:
        view["_fp"] = f"{fp}-{title}"
    return view


def test_a_repeated_fragment_is_rendered_once_and_its_reads_are_noted_on_every_page():
    calls: list[int] = []
    template = _env(calls).get_template("page.html")
    items = [_view("甲"), _view("乙")]
    pages = []
    for _ in range(3):
        with recording() as keys:
            pages.append(template.render(items=items, others=[_view("丙")], n=2))
        assert ("a", "read-by-the-macro") in keys
    assert pages[0] == pages[1] == pages[2] == "[1|甲|丙|2][2|乙|丙|2]"
    assert len(calls) == 2


def test_what_a_fragment_shows_is_its_key():
    calls: list[int] = []
    template = _env(calls).get_template("page.html")
    first = template.render(items=[_view("甲")], others=[], n=1)
    changed_view = template.render(items=[_view("甲", fp="edited")], others=[], n=1)
    changed_other = template.render(items=[_view("甲")], others=[_view("丙")], n=1)
    changed_number = template.render(items=[_view("甲")], others=[], n=3)
    assert (first, changed_view, changed_other, changed_number) == ("[1|甲||1]", "[2|甲||1]", "[3|甲|丙|1]", "[4|甲||3]")


def test_arguments_without_a_fingerprint_are_never_remembered():
    calls: list[int] = []
    template = _env(calls).get_template("page.html")
    for _ in range(2):
        template.render(items=[_view("甲", fp=None)], others=[], n=0)
    assert len(calls) == 2


def test_the_memo_keeps_at_most_its_size():
    memo = FragmentMemo(size=2)
    env = jinja2.Environment(loader=jinja2.DictLoader({"m.html": "{% macro f(a) %}{{ a._fp }}{% endmacro %}"}))
    macro = env.get_template("m.html").module.f
    for n in range(5):
        assert memo(macro, {"_fp": str(n)}) == str(n)
    assert len(memo._done) == 2
