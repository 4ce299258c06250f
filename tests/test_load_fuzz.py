"""Every loader, fed arbitrary bytes or text: an article or a LoadError, never a traceback."""
from pathlib import PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.clean import clean_doc
from generator.clean.rules import default_rules
from generator.diagnostics import LoadError
from generator.enrich import enrich
from generator.enrich.taxonomy import default_taxonomy
from generator.load import load_bytes
from tests.conftest import SHANGHAI

SUFFIXES = [".md", ".txt", ".html", ".htm", ".markdown"]
FRONT = st.sampled_from(["", "---\n", "\n---\ntitle: t\n---\n", "---\ntitle: [\n---\n", "---\ndate: x\ntitle: a\n---\n"])


def survive(data: bytes, suffix: str) -> None:
    try:
        raw = load_bytes(data, PurePosixPath("f" + suffix), SHANGHAI)
    except LoadError as exc:
        assert exc.message
        return
    assert raw.title
    enrich(clean_doc(raw, default_rules()), default_taxonomy())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(SUFFIXES))
def test_arbitrary_bytes(data: bytes, suffix: str):
    survive(data, suffix)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRONT, st.text(max_size=300), st.sampled_from(SUFFIXES))
def test_arbitrary_text_after_plausible_openings(opening: str, text: str, suffix: str):
    survive((opening + text).encode("utf-8", "surrogatepass"), suffix)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030", "latin-1"])
def test_encodings_of_a_valid_article(encoding: str):
    text = "---\ntitle: 标题 title\ndate: 2022-06-23\n---\n<p>正文 text</p>\n"
    if encoding == "latin-1":
        text = text.replace("标题", "Titre é").replace("正文", "Corps é")
    raw = load_bytes(text.encode(encoding), PurePosixPath("a.md"), SHANGHAI)
    assert raw.title.endswith("title") and "text" in raw.body_html
