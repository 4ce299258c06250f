"""Extractive summary: the lead sentence(s) of an article.

News leads state the point, so the summary is the first sentences of the
first real paragraph, after dropping what precedes the news itself: source
and byline lines ("工人日报", "记者 | 高佳"), 原标题/来源 lines, photo
captions, lines that repeat the title, and datelines such as
"本报讯（记者王维砚）", "新华社北京6月23日电（记者 x）" or
"中新网哈尔滨7月27日电（记者 xx）".  Whole sentences (ending in 。！？) are
kept while they fit in ``max_chars``; a first sentence that is too long is
cut at the last comma-like mark that fits and ends with "…".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["summarize"]

ELLIPSIS = "…"
MIN_FILL = 0.4  # continue into the next paragraph while below this share of max_chars
BYLINE_MAX = 30  # a line this short with no sentence end is a source/byline/subhead

_SENTENCE_RE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)\"']*|[^。！？!?]+$")
_SOFT_BREAKS = "，、；：,;:"
_PUNCT_RE = re.compile(r"[\s\u3000\W_]+")
CAPTION_MAX = 8  # a one-sentence line this short is a photo caption ("被污染的江面。")
_SKIP_PREFIXES = ("原标题", "本文原标题", "（原标题", "(原标题", "来源：", "来源:", "来源 |", "来源|", "责任编辑",
                  "图为", "图：", "图/", "资料图", "相关新闻", "相关阅读", "【点击", "点击查看", "▲", "△", "（图",
                  "(图")
_CAPTION_MARKS = ("供图", "截图", "摄影", "图片来源", "摄）", "摄)")
_TIMESTAMP_RE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b")
_DATELINES = (
    # 新华社北京6月23日电（记者王维砚）  中新经纬11月26日电 （董湘依）
    re.compile(r"^[^，。；！？\s]{0,20}?\d{1,2}月\d{1,2}日(?:\d{1,2}时)?电\s*(?:[（(][^）)]{0,40}[）)])?\s*"),
    # 本报讯（记者王维砚）  【深圳商报讯】（首席记者 王海荣）  新京报快讯（记者 裴剑飞）  华龙网-新重庆客户端讯
    re.compile(r"^[【\[]?[^，。；！？\s【\[]{0,20}?讯(?![员录社息号])[】\]]?\s*(?:[（(][^）)]{0,40}[）)])?\s*[，,]?\s*"),
    # 财联社（北京，记者 张晓翀）讯，
    re.compile(r"^[^，。；！？\s（(]{1,15}[（(][^）)]{0,40}[）)]\s*讯\s*[，,]?\s*"),
    # 南方财经全媒体见习记者程浩 东莞报道
    re.compile(r"^[^，。；！？]{0,30}?(?:记者|通讯员)[^，。；！？]{0,20}?报道\s*"),
    # 【#话题#】 / [标题：#话题##话题#] Weibo hashtag blocks, 【编前语】-style labels
    re.compile(r"^[【\[][^】\]]*#[^】\]]*[】\]]\s*"),
    re.compile(r"^【[^】#]{1,6}】\s*"),
)


def summarize(title: str, text: str, max_chars: int = 120) -> str:
    """Lead sentence(s) of text, at most max_chars characters ("" if no body)."""
    if max_chars <= 0 or not text:
        return ""
    out = ""
    for paragraph in _lead_paragraphs(text, title or ""):
        for sentence in _sentences(paragraph):
            if len(out) + len(sentence) <= max_chars:
                out += sentence
            elif not out:
                return _cut(sentence, max_chars)
            else:
                return out
        if len(out) >= MIN_FILL * max_chars:
            break
    return out


def _lead_paragraphs(text: str, title: str) -> Iterator[str]:
    """Content paragraphs in order: preamble lines skipped, datelines and a
    repeated headline removed from the start of each."""
    title_key = _key(title)
    for raw in text.splitlines():
        line = _clean(raw)
        if not line or _is_preamble(line, title, title_key):
            continue
        line = _strip_title(_strip_dateline(line), title)
        if line and not _is_preamble(line, title, title_key):
            yield line


def _clean(line: str) -> str:
    """Trim spaces, table pipes and list bullets around a line."""
    return line.replace("\u00a0", " ").strip(" \t\r\u3000\ufeff|-•·*")


def _is_preamble(line: str, title: str, title_key: str) -> bool:
    """Source, byline, caption, 原标题, timestamp and title-repeat lines."""
    if line.startswith(_SKIP_PREFIXES) or line.startswith("题：") or _TIMESTAMP_RE.match(line):
        return True
    has_end = re.search(r"[。！？!?]", line) is not None
    if not has_end and ((len(line) <= BYLINE_MAX and "，" not in line) or "来源" in line[:30]):
        return True
    if len(line) <= CAPTION_MAX or (len(line) <= 40 and any(mark in line for mark in _CAPTION_MARKS)):
        return True
    return _repeats_title(line, title, title_key)


def _repeats_title(line: str, title: str, title_key: str) -> bool:
    """The line is the headline again, or a variant of it (shared characters)."""
    key = _key(line)
    if not key:
        return True
    if not title_key:
        return False
    if key == title_key or key in title_key:
        return True
    if line.endswith("。"):  # a lead sentence may well contain the headline
        return False
    if title_key in key and len(key) <= len(title_key) + 8:
        return True
    shared = len(set(key) & set(title_key)) / len(set(key) | set(title_key))
    return len(key) <= 1.5 * len(title_key) and shared >= 0.6


def _strip_title(line: str, title: str) -> str:
    """Drop a headline that opens a longer line ("监察法 《监察法》是……")."""
    title = title.strip()
    if title and line.startswith(title) and len(line) > len(title) + 8:
        return line[len(title):].lstrip(" ，,：:")
    return line


def _strip_dateline(line: str) -> str:
    """Remove leading dateline/byline/hashtag blocks (repeatedly)."""
    changed = True
    while changed and line:
        changed = False
        for pattern in _DATELINES:
            stripped = pattern.sub("", line, count=1)
            if stripped != line:
                line, changed = stripped.lstrip("，, "), True
    return line


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.findall(paragraph) if s.strip()]


def _cut(sentence: str, max_chars: int) -> str:
    """Cut an over-long sentence at the last soft break that fits, adding "…"."""
    room = max_chars - len(ELLIPSIS)
    if room <= 0:
        return sentence[:max_chars]
    head = sentence[:room]
    cut = max(head.rfind(mark) for mark in _SOFT_BREAKS)
    if cut >= room // 3:
        head = head[:cut]
    else:
        head = _back_off_word(sentence, room)
    return head.rstrip(_SOFT_BREAKS + " ") + ELLIPSIS


def _back_off_word(sentence: str, room: int) -> str:
    """Hard cut at room, but not inside a run of Latin letters/digits (e.g. 3133)."""
    end = room
    while 0 < end < len(sentence) and sentence[end - 1].isascii() and sentence[end - 1].isalnum() \
            and sentence[end].isascii() and sentence[end].isalnum():
        end -= 1
    return sentence[:end] if end > 0 else sentence[:room]


def _key(text: str) -> str:
    """Text without spaces and punctuation, for title-repeat checks."""
    return _PUNCT_RE.sub("", text)
