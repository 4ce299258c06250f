"""Taxonomy loading, validation messages and extend/replace merging."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich.taxonomy import (
    Taxonomy,
    TaxonomyError,
    Topic,
    check_taxonomy,
    default_taxonomy,
    load_taxonomy,
    make_taxonomy,
    parse_taxonomy,
)

REQUIRED = {
    "employment-aid": "就业帮扶",
    "poverty-rural": "脱贫攻坚/乡村振兴",
    "social-security": "社会保障",
    "medical-insurance": "医疗保障",
    "skills-training": "技能培训",
    "labor-cooperation": "劳务协作",
    "public-welfare-jobs": "公益性岗位",
    "wage-arrears": "欠薪治理",
    "graduate-employment": "高校毕业生就业",
    "entrepreneurship": "创业扶持",
    "flexible-employment": "灵活就业/零工市场",
    "disabled-employment": "残疾人就业",
    "migrant-workers": "农民工",
    "housing-security": "住房保障",
    "fiscal-tax": "财税政策",
}

SITE_EXTEND = """
[[topic]]
slug = "elderly-care"
keywords = ["老年食堂"]

[[topic]]
slug = "rural-roads"
name = "农村公路"
min_score = 2
[topic.keywords]
"四好农村路" = 3
"农村公路" = 2
"""


def test_default_has_required_topics() -> None:
    tax = default_taxonomy()
    names = {t.slug: t.name for t in tax.topics}
    assert len(tax.topics) >= 15
    for slug, name in REQUIRED.items():
        assert names.get(slug) == name
    for topic in tax.topics:
        assert topic.keywords and topic.min_score > 0
        assert all(isinstance(w, float) for _, w in topic.keywords)


def test_default_is_cached_and_versioned() -> None:
    tax = default_taxonomy()
    assert default_taxonomy() is tax
    assert load_taxonomy() is tax
    assert len(tax.version) == 16 and int(tax.version, 16) >= 0


def test_version_is_a_content_hash() -> None:
    topic = Topic("a", "甲", (("甲", 1.0),), (), 3.0)
    assert make_taxonomy([topic]).version == make_taxonomy([topic]).version
    changed = Topic("a", "甲", (("甲", 2.0),), (), 3.0)
    assert make_taxonomy([topic]).version != make_taxonomy([changed]).version


def test_extend_adds_topics_and_keywords() -> None:
    base = default_taxonomy()
    tax = parse_taxonomy(SITE_EXTEND, base=base)
    assert len(tax.topics) == len(base.topics) + 1
    elderly = tax.get("elderly-care")
    assert elderly is not None and ("老年食堂", 1.0) in elderly.keywords
    assert elderly.name == base.get("elderly-care").name  # type: ignore[union-attr]
    assert len(elderly.keywords) == len(base.get("elderly-care").keywords) + 1  # type: ignore[union-attr]
    roads = tax.get("rural-roads")
    assert roads == Topic("rural-roads", "农村公路", (("四好农村路", 3.0), ("农村公路", 2.0)), (), 2.0)
    assert tax.version != base.version


def test_extend_overrides_weight_and_adds_exclusions() -> None:
    base = default_taxonomy()
    tax = parse_taxonomy('[[topic]]\nslug = "social-security"\nexclusions = ["社保基金会"]\n'
                         '[topic.keywords]\n"养老金" = 1.5\n', base=base)
    social = tax.get("social-security")
    assert social is not None
    assert dict(social.keywords)["养老金"] == 1.5
    assert social.exclusions[-1] == "社保基金会"
    assert social.name == "社会保障"


def test_replace_drops_default_topics() -> None:
    tax = parse_taxonomy('mode = "replace"\n' + SITE_EXTEND.replace('keywords = ["老年食堂"]',
                                                                    'name = "养老"\nkeywords = ["老年食堂"]'),
                         base=default_taxonomy())
    assert [t.slug for t in tax.topics] == ["elderly-care", "rural-roads"]


def test_load_taxonomy_from_file(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.toml"
    path.write_text(SITE_EXTEND, encoding="utf-8")
    assert load_taxonomy(path).get("rural-roads") is not None


def test_load_taxonomy_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(tmp_path / "nope.toml")
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith(f"{tmp_path / 'nope.toml'}: cannot read:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[topic]]\nslug = "Bad Slug"\nname = "x"\nkeywords = ["x"]\n',
         ["taxonomy.toml: topic[0].slug: must be ASCII lowercase letters, digits and '-'"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x"]\n[[topic]]\nslug = "b"\nkeywords = ["y"]\n',
         ["taxonomy.toml: topic[1].name: missing"]),
        ('[[topic]]\nslug = "a"\nname = "x"\n',
         ["taxonomy.toml: topic[0].keywords: missing"]),
        ('[[topic]]\nslug = "a"\nname = "x"\n[topic.keywords]\n"养老金" = 0\n',
         ['taxonomy.toml: topic[0].keywords."养老金": weight must be a non-zero number between -100 and 100',
          "taxonomy.toml: topic[0].keywords: needs at least one keyword with a positive weight"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x", ""]\n',
         ["taxonomy.toml: topic[0].keywords[1]: must be a non-empty string"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x", "a\\nb", " y"]\n',
         ["taxonomy.toml: topic[0].keywords[1]: must not contain line breaks or tabs",
          "taxonomy.toml: topic[0].keywords[2]: must not start or end with whitespace"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x", "X"]\n',
         ["taxonomy.toml: topic[0].keywords: duplicate keyword 'X'"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = 3\n',
         ['taxonomy.toml: topic[0].keywords: must be a list of strings or a table of "keyword" = weight']),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x"]\nmin_score = -1\n',
         ["taxonomy.toml: topic[0].min_score: must be a number >= 0"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x"]\nmin_score = true\n',
         ["taxonomy.toml: topic[0].min_score: must be a number >= 0"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x"]\nexclusions = "y"\n',
         ["taxonomy.toml: topic[0].exclusions: must be a list of strings"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x"]\nkeyword = "y"\n',
         ["taxonomy.toml: topic[0]: unknown key 'keyword' (expected exclusions, keywords, min_score, name, slug, subject)"]),
        ('[[topic]]\nslug = "a"\nname = "x"\nkeywords = ["x"]\n[[topic]]\nslug = "a"\nname = "y"\nkeywords = ["y"]\n',
         ["taxonomy.toml: topic[1].slug: duplicate of topic[0] ('a')"]),
        ('mode = "merge"\n', ['taxonomy.toml: mode: must be "extend" or "replace"']),
        ('topics = []\n', ["taxonomy.toml: unknown key 'topics' (expected mode, topic)"]),
        ('topic = "x"\n', ["taxonomy.toml: topic: must be an array of tables ([[topic]])"]),
        ('mode = "replace"\n', ["taxonomy.toml: topic: at least one [[topic]] is needed"]),
    ],
)
def test_validation_messages(text: str, expected: list[str]) -> None:
    base = default_taxonomy()
    assert check_taxonomy(text, base=base) == expected
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(text, base=base)
    assert info.value.problems == expected
    assert str(info.value) == "\n".join(expected)


def test_all_problems_reported_at_once() -> None:
    text = '[[topic]]\nslug = "X"\n[[topic]]\nslug = "ok"\nname = ""\nkeywords = ["a"]\n'
    assert check_taxonomy(text, base=default_taxonomy()) == [
        "taxonomy.toml: topic[0].slug: must be ASCII lowercase letters, digits and '-'",
        "taxonomy.toml: topic[0].name: missing",
        "taxonomy.toml: topic[0].keywords: missing",
        "taxonomy.toml: topic[1].name: must be a non-empty string",
    ]


def test_invalid_toml_message_names_source() -> None:
    problems = check_taxonomy("[[topic]\n", source="site/taxonomy.toml")
    assert len(problems) == 1 and problems[0].startswith("site/taxonomy.toml: invalid TOML: ")


def test_extend_of_known_slug_needs_no_name_or_keywords() -> None:
    assert check_taxonomy('[[topic]]\nslug = "fiscal-tax"\nmin_score = 5\n', base=default_taxonomy()) == []
    tax = parse_taxonomy('[[topic]]\nslug = "fiscal-tax"\nmin_score = 5\n', base=default_taxonomy())
    assert tax.get("fiscal-tax").min_score == 5.0  # type: ignore[union-attr]


def test_empty_extend_is_the_base() -> None:
    base = default_taxonomy()
    assert parse_taxonomy("", base=base) == base


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_check_never_raises_on_arbitrary_text(text: str) -> None:
    problems = check_taxonomy(text, base=default_taxonomy())
    assert all(isinstance(p, str) for p in problems)
    if not problems:
        assert isinstance(parse_taxonomy(text, base=default_taxonomy()), Taxonomy)


_toml_values = st.one_of(st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=5), st.booleans(),
                         st.lists(st.text(max_size=4), max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["slug", "name", "keywords", "exclusions", "min_score", "x"]),
                                _toml_values, max_size=5), max_size=4))
def test_validation_never_raises_on_odd_structures(topics: list[dict]) -> None:
    import tomllib  # noqa: F401  (structures below are what tomllib can produce)

    from generator.enrich import taxonomy as module

    problems = module._validate({"topic": topics}, "t.toml", default_taxonomy())
    assert all(p.startswith("t.toml: ") for p in problems)
    if not problems:
        module._build({"topic": topics}, default_taxonomy())
