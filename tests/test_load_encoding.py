"""Tests for generator.load.encoding: BOMs, declared vs real charsets, lossy fallbacks."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.encoding import DecodedText, decode_bytes, sniff_declared_charset

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

CHINESE = (
    "国务院办公厅印发关于进一步优化营商环境的意见，要求各地区各部门持续深化“放管服”改革，"
    "降低制度性交易成本，激发市场主体活力。意见明确，到二〇二五年，市场化法治化国际化营商环境"
    "建设取得明显进展，政务服务效率进一步提高，企业和群众办事更加便利。"
)


def _page(charset_meta: str, body: str, title: str = "测试") -> str:
    return f"<html><head>{charset_meta}<title>{title}</title></head><body><p>{body}</p></body></html>"


# --------------------------------------------------------------------------- BOMs


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_decides_and_is_stripped(bom: bytes, codec: str) -> None:
    data = bom + CHINESE.encode(codec)
    result = decode_bytes(data)
    assert result.text == CHINESE
    assert result.encoding == codec
    assert result.warning is None
    assert not result.text.startswith("\ufeff")


def test_bom_outranks_declared_charset() -> None:
    html = _page('<meta charset="gbk">', CHINESE)
    result = decode_bytes(codecs.BOM_UTF16_LE + html.encode("utf-16-le"), declared="gbk")
    assert result.text == html
    assert result.encoding == "utf-16-le"


def test_utf16_bom_with_odd_length_warns_instead_of_raising() -> None:
    data = codecs.BOM_UTF16_LE + "中文".encode("utf-16-le") + b"\x00"
    result = decode_bytes(data)
    assert result.text.startswith("中文")
    assert result.warning is not None


# --------------------------------------------------------------------------- UTF-8 first


def test_plain_utf8_is_decoded_without_warning() -> None:
    result = decode_bytes(CHINESE.encode("utf-8"))
    assert result == DecodedText(CHINESE, "utf-8", None)


def test_ascii_with_gb2312_label_has_no_warning() -> None:
    result = decode_bytes(_page('<meta charset="gb2312">', "hello", title="t").encode("ascii"))
    assert result.encoding == "utf-8"
    assert result.warning is None


def test_utf8_bytes_labelled_gb2312_decode_as_utf8() -> None:
    html = _page('<meta http-equiv="Content-Type" content="text/html; charset=GB2312">', CHINESE)
    result = decode_bytes(html.encode("utf-8"))
    assert result.text == html
    assert result.encoding == "utf-8"
    assert result.warning is not None and "gb2312" in result.warning.lower()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_real_page_mislabelled_gb2312_decodes_as_utf8() -> None:
    data = (CORPUS / "gne_tests_people_1.html").read_bytes()
    assert sniff_declared_charset(data) == "gb2312"
    result = decode_bytes(data)
    assert result.encoding == "utf-8"
    assert "郑板桥" in result.text
    assert "\ufffd" not in result.text


def test_utf8_fast_path_does_not_call_charset_normalizer(monkeypatch: pytest.MonkeyPatch) -> None:
    import charset_normalizer

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("charset-normalizer must not run for valid UTF-8")

    monkeypatch.setattr(charset_normalizer, "from_bytes", boom)
    assert decode_bytes(CHINESE.encode("utf-8")).text == CHINESE


def test_truncated_utf8_warns_instead_of_raising() -> None:
    data = CHINESE.encode("utf-8")[:-1]
    result = decode_bytes(data)
    assert result.encoding == "utf-8"
    assert result.text.startswith(CHINESE[:-1])
    assert result.warning is not None


# --------------------------------------------------------------------------- declared charsets


@pytest.mark.parametrize("label", ["gb2312", "GBK", "x-gbk", "gb18030"])
def test_gb_family_labels_decode_as_gb18030(label: str) -> None:
    text = CHINESE + "𠀀镕"  # a GB18030-only ideograph and a character outside GB2312
    html = _page(f'<meta charset="{label}">', text)
    result = decode_bytes(html.encode("gb18030"))
    assert result.text == html
    assert result.encoding == "gb18030"
    assert result.warning is None


def test_declared_argument_is_used_when_head_has_no_label() -> None:
    result = decode_bytes(CHINESE.encode("gbk"), declared="gbk")
    assert result.text == CHINESE
    assert result.encoding == "gb18030"
    assert result.warning is None


def test_gb18030_without_any_label_is_detected() -> None:
    result = decode_bytes((CHINESE * 2).encode("gb18030"))
    assert result.text == CHINESE * 2
    assert result.warning is not None  # a guess is always flagged


def test_latin1_label_decodes_western_text() -> None:
    html = _page('<meta charset="iso-8859-1">', "Café, naïve façade", title="Menu")
    result = decode_bytes(html.encode("latin-1"))
    assert result.text == html
    assert result.warning is None


def test_latin1_label_is_read_as_windows_1252_like_browsers_do() -> None:
    html = _page('<meta charset="ISO-8859-1">', "Prix — 50 € « net »", title="Prix")
    result = decode_bytes(html.encode("cp1252"))
    assert result.text == html
    assert result.encoding == "cp1252"


def test_wrong_declared_charset_falls_back_to_detection() -> None:
    data = (CHINESE * 2).encode("gb18030")
    result = decode_bytes(data, declared="shift_jis")
    assert result.text == CHINESE * 2
    assert result.warning is not None


def test_unknown_label_is_ignored() -> None:
    result = decode_bytes(CHINESE.encode("utf-8"), declared="x-no-such-charset")
    assert result.text == CHINESE


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="utf-8">', "utf-8"),
        (b"<meta charset=GBK>", "gbk"),
        (b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gb2312">', "gb2312"),
        (b"<meta content='text/html;charset=Big5' http-equiv='content-type'>", "big5"),
        (b'<?xml version="1.0" encoding="GB18030"?><html>', "gb18030"),
        (b"<html><head><title>no label</title></head>", None),
        (b"", None),
    ],
)
def test_sniff_declared_charset(head: bytes, expected: str | None) -> None:
    assert sniff_declared_charset(head) == expected


def test_sniff_only_looks_at_the_head() -> None:
    data = b"<html><head></head><body>" + b"x" * 20000 + b'<meta charset="gbk"></body></html>'
    assert sniff_declared_charset(data) is None


# --------------------------------------------------------------------------- robustness


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2048), declared=st.sampled_from([None, "gbk", "utf-8", "latin-1", "bogus", "utf-16"]))
def test_decode_bytes_never_raises(data: bytes, declared: str | None) -> None:
    result = decode_bytes(data, declared)
    assert isinstance(result, DecodedText)
    assert isinstance(result.text, str)
    assert result.encoding
    codecs.lookup(result.encoding)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=500))
def test_any_utf8_text_roundtrips(text: str) -> None:
    data = text.encode("utf-8")
    if data.startswith(codecs.BOM_UTF8):
        return
    assert decode_bytes(data).text == text
