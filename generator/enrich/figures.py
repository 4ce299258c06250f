"""Key figures of a policy article: "521家 试点企业", "22亿元 失业保险费", "109% 完成年度目标".

A figure is an Arabic number with a Chinese magnitude (万/亿) and/or a unit
that policy news reports (people, money, housing, area, counts, rates).  The
exact text is kept: ``value`` is the number as written plus 余/多
("2600余"), ``unit`` the rest ("万元", "万人以上"), so ``value + unit`` is the
text as it appears.  Dates, times, ordinals (第…), identifiers (CZ6335, 5G)
and bare numbers never match because they carry no unit.

Ranking: a figure in the title beats one in the lead (first LEAD_CHARS
characters), which beats the body; within that, people and money come before
other quantities, then rates; ties keep text order.  Figures are deduplicated
by their text, and at most MAX_FIGURES are returned.

What a reader sees next to a figure is its *context*: the measured thing, a
short phrase (MIN_CONTEXT..MAX_CONTEXT characters) cut out of the figure's
clause, never the clause itself:

* after a counter (家, 个, 项, 名 …), a bare 万/亿 or a material (吨) the
  counted thing follows, up to the next number, list mark or adverb:
  "521家“倍增计划”试点企业和500家…" → "“倍增计划”试点企业";
  "123名旅客的家属" → "旅客"; "13项…标准的政策资助" → "政策资助";
* after money, people, measures and rates the subject comes first: the text
  after the last quantity before the figure, without the predicate
  (达到, 增长, 为, 超过, 稳定在 …) or the connectors in front (其中, 共,
  累计, 今年, 全市 …): "规模以上工业增加值达317.96亿元" → "规上工业增加值";
  a comparison baseline (比去年同期) and a time clause (启动后) are not it;
  "85%的行政村" names its rate after the figure;
* a bare verb takes a short noun after the figure ("投入900亿元资金" →
  "投入资金"), and is kept alone if it is all there is ("惠及3.2万人");
* a longer subject is cut after a word mark (的, a closing quote, 、, 累计,
  a verb such as 代缴) or else to its last MAX_CONTEXT characters;
* a figure left without a context ("同比增长4.6%", "另有22亿元",
  "共5章42条") is dropped.

The headline already shows its own figures: an occurrence in the title never
counts, and neither does a body clause that repeats the headline (the figure
is in the title and the rest of the clause is part of the title, or at least
REPEAT_OVERLAP of its character bigrams are).  A title figure that the body
states in a clause of its own keeps its title rank with that clause's context;
one that only the title (or a repeat of it) states is dropped.
"""

from __future__ import annotations

import re
from sys import intern

from generator.model import Figure

__all__ = ["MAX_CONTEXT", "MAX_FIGURES", "key_figures"]

LEAD_CHARS = 200
TITLE_BONUS = 6.0
LEAD_BONUS = 3.0
MAX_FIGURES = 3
MAX_CONTEXT = 12
MIN_CONTEXT = 2
REPEAT_OVERLAP = 0.6
MAX_DIGITS = 9

_PEOPLE = ("人次", "人", "名", "户")
_MONEY = ("元", "美元", "欧元", "英镑", "日元", "港元")
_RATES = ("个百分点", "个基点", "%", "％", "倍", "成")
_QUANTITIES = ("平方米", "平米", "套", "亩", "公顷", "个", "家", "项", "所", "座", "间", "条", "件", "笔", "期", "场",
               "张", "台", "辆", "艘", "架", "吨", "公里", "千米", "千瓦时", "千瓦", "立方米", "公斤", "斤", "例", "批")
_UNITS = sorted((*_PEOPLE, *_MONEY, *_RATES, *_QUANTITIES), key=len, reverse=True)
# Units after which the counted thing is named: 521家试点企业, 15个项目, 9.6万名脱贫人口.
_COUNTERS = frozenset(("名", "户", "个", "家", "项", "所", "座", "间", "条", "件", "笔", "期", "场", "张", "台",
                       "辆", "艘", "架", "例", "批", "套"))
_BIG = ("万", "亿", "万亿", "千万", "百万")
_UNIT_ALT = "|".join(map(re.escape, _UNITS))

# The number starts with a plain digit and checks what precedes it only then (no letter, digit, ., -,
# /, ~ or 第 before it): a pattern that starts with a digit lets the regex engine skip to the next
# digit, where checking the lookbehinds first costs a try at every character.
_FIGURE_RE = re.compile(
    r"(?P<num>\d(?<![A-Za-z0-9._\-~～—/]\d)(?<!第\d)\d*(?:[,，]\d{3}(?!\d))*(?:\.\d+)?)(?![A-Za-z0-9.])"
    r"(?P<mod>[余多])?"
    r"(?P<mag>万亿|千万|百万|万|亿|千|百)?"
    r"(?P<mod2>[余多])?"
    r"(?P<unit>" + _UNIT_ALT + r")?"
    r"(?P<qual>以上|以下|左右|之多)?"
)
_BOUNDARIES = frozenset("。！？；;!?\n\r，：:")
# Characters that may end a clause (a comma only outside a number): found by the regex engine, not
# tested one by one.
_BOUNDARY_CHAR_RE = re.compile("[" + re.escape("".join(sorted(_BOUNDARIES | {",", "，"}))) + "]")
_SPACE_RE = re.compile(r"\s+")
# A unit character that actually starts another word: 3个月, 9成为, 5倍于 ...
_FALSE_UNIT_NEXT = {"个": "月", "成": "为员本果功立长都", "期": "间", "场": "景所地", "条": "件例"}

# --- contexts ---------------------------------------------------------------------------------------------------
# Units after which the measured thing is named, not before: 13吨危废油液, 100万吨国家钾肥储备.
_MATERIAL = frozenset(("吨", "公斤", "斤"))
_UNIT_TAILS = ("标准煤", "标煤", "油当量")  # 187.41万吨标准煤: part of the unit, not the thing
_PAREN_RE = re.compile(r"[（(][^（）()]{0,30}[）)]")
# A quantity inside the text before a figure (410家, 2022年, 1-7月); the measured thing follows the last one.
_QUANTITY_RE = re.compile(
    r"\d[\d.,，]*(?:[余多]?(?:万亿|千万|百万|万|亿|千|百)[余多]?)?"
    r"(?:" + _UNIT_ALT + r"|年度|年底|年末|年初|年来|年(?!期)|月份|月底|月末|月初|月|日电|日起|日|号|时|分|季度|届)"
    r"(?:以上|以下|左右)?"
    r"|(?<![\d.])\d{1,3}(?![\d.]|年期)[\u4e00-\u9fff]"  # any small count: 5章, 12届, 00后
)
# "…约115万平方米、" before "1.85万套": the list shares its subject.
_LIST_TAIL_RE = re.compile(
    r"(?:\d[\d.,，]*[余多]?(?:万亿|千万|百万|万|亿|千|百)?[余多]?(?:" + _UNIT_ALT + r")?(?:以上|以下|左右)?"
    r"[、和及与或]\s*)+$"
)
_LEAD_YEAR_RE = re.compile(r"^(?:19|20)\d\d(?:年)?(?=[\u4e00-\u9fff])")
_AFTER_LEAD_RE = re.compile(r"^(?:\s|[（(][^（）()]{0,12}[）)]|以上|以下|左右|之多|人民币|[）)+＋])+")
_AFTER_STOP_RE = re.compile(r"[\d\s、，,。；;：:！？!?（(和与及或等]|为主|为代表|的同时|同时")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_COMPARE_RE = re.compile(r"(?<![占对环同之好无类])(?:相比|相较|比(?![例重率值])|较(?![大高低多少快慢好强弱为]))")
# A tail cut right after a place name, unless the character starts a word: 北京[市]公民…, but 市场, 区域
_PLACE_TAILS = {"自治区": "", "自治州": "", "自治县": "", "省": "级份内外会委", "市": "场民值级政容内区委",
                "县": "城域级委", "区": "域间块级内委", "镇": "级委", "乡": "村镇级亲土"}
MIN_MARKED = 4  # a cut at a word mark must leave this much: not just "比例"
MAX_OWNER = 4  # 123名[旅客]的家属: a short noun before 的 is what is counted
MAX_OBJECT = 4  # 投入[900亿元]资金: a bare verb before the figure takes a short noun after it
_COUNT, _RATE = 1, 2

# The predicate before the number, not the measured thing: 务工规模[稳定在]81万人, 增加值[同比增长]8.7%.
_TRAIL = tuple(sorted((
    "达到", "达", "超过", "超", "突破", "增长", "增加", "减少", "下降", "提高", "提升", "上升", "增至", "降至", "扩大",
    "收窄", "稳定在", "保持在", "维持在", "控制在", "最高达", "最高", "最多", "最低", "高达", "多达", "长达", "已达",
    "共计", "合计", "总计", "累计", "共有", "共", "约", "近", "逾", "为", "是", "有", "在", "至", "到", "了", "的",
    "分别", "均", "同比", "环比", "仅", "只有", "不少于", "不低于", "不超过", "不高于", "不足", "力争", "预计", "将",
    "计", "拉动", "带动", "惠及", "已", "已经", "大约", "约合", "人民币", "以", "从", "由", "完成", "或", "都", "也",
    "还", "甚至", "甚", "必须", "平均", "相应", "进一步", "逐步", "确保", "每年", "每天", "每月", "全年", "今年", "又",
    "创纪录", "创新高", "创历史新高",
), key=len, reverse=True))
_SCOPE = ("全国", "我国", "各地")  # only dropped from a subject too long to show
_LOCAL = ("全市", "全省", "全区", "全县", "全州", "全镇", "本市", "本省", "我市", "我省", "我区", "我县")  # always
# Connectors, time words and pronouns in front of the measured thing: [其中，今年已累计]为企业减征失业保险费.
_LEAD = tuple(sorted((
    "其中", "共计", "合计", "总计", "累计", "共有", "共", "全年", "今年以来", "今年", "去年", "明年", "当年", "同期",
    "目前", "当前", "截至目前", "截至", "截止", "同时", "此外", "另外", "另", "并且", "并", "还", "也", "已经", "已",
    "将", "预计", "计划", "约", "近", "此次", "本次", "这次", "这里", "这些", "而", "且", "但", "仍", "都", "均",
    "又", "再", "每年", "每天", "当月", "同比", "环比", "分别", "由", "从", "对", "在", "于", "即", "以",
    "以及", "一季度", "二季度", "三季度", "四季度", "上半年", "下半年", "前三季度", "年内", "以来", "期间", "年度", "年底",
    "年末", "年初", "年来", "年", "月份", "月底", "月末", "月初", "月", "日电", "日起", "日", "号", "时", "分", "季度",
    "底", "的", "、", "”", "》", "）", ")", "了", "有", "达", "超", "和", "及", "与", "近期", "近日", "日前", "作出",
    "他们", "她们", "我们", "他", "她", "它", "其", "把", "该", "约合", "人民币", "折合", "相当于", *_LOCAL,
), key=len, reverse=True))
_TRAIL_SET, _LEAD_SET = frozenset(_TRAIL), frozenset(_LEAD)
_TRAIL_SIZES = sorted({len(w) for w in _TRAIL}, reverse=True)
_LEAD_SIZES = sorted({len(w) for w in _LEAD}, reverse=True)
# Words that merely start like a connector: 共享, 其他, 以工代赈, 超市 …
_PROTECTED = ("共享", "共同", "共产", "共建", "在校", "在职", "在建", "在线", "在岗", "在读", "在园", "对外", "超市",
              "超大", "超高", "超长", "近年", "比例", "比重", "日常", "日均", "月均", "年均", "年轻", "时间", "时期",
              "分类", "分红", "有效", "有关", "有机", "及时", "由于", "于是", "达标", "还款", "和平", "底线", "均值",
              "月薪", "年薪", "年龄", "再就业", "并购", "月饼", "号码", "分子", "分钟", "其他", "其余", "以工", "以旧",
              "他人", "把握", "该市", "该县", "该区", "该省", "该院", "该村", "对接", "对象", "对口", "在册",
              "在途", "有色", "有序", "与会", "日本", "时速", "分行", "分局", "分公司", "从业", "以上", "以下", "并网",
              "再生", "都市", "共青", "约束", "近视", "即将", "在外")
# Inside a long subject, what follows these is the measured thing: 围绕…[累计]投入资金.
_MARKS = ("的", "”", "》", "、", " ", "累计", "共计", "合计", "共有", "其中", "已", "将", "均", "近期", "处",
          # the verb of a long subject: what follows is its object, the measured thing
          "代缴", "减征", "减免", "发放", "提供", "投入", "开展", "举办", "设立", "组织", "募集", "兑现", "新建",
          "建成", "开发", "安置", "吸纳", "带动", "惠及", "支付", "拨付", "下达", "筹集", "落实", "实现", "完成")
_ADVERBS = ("共有", "累计", "共计", "合计", "其中")
# Words that end the counted noun after a figure: 31个省市区[已经]发布…, 6名被告人[将]…
_ENDS_NOUN = ("已", "将", "被", "正在", "分别", "均", "都", "也", "还", "按", "把", "向", "通过", "由", "从", "在",
              "有可能", "可能")
# ... and, in a phrase too long to show, these verbs too: 1000多家企业[受益]…
_VERBS = ("上榜", "入列", "入选", "入围", "受益", "获得", "获批", "获刑", "实现", "完成", "开工", "落地", "签约",
          "达到", "超过", "突破", "增长", "下降", "提高", "提升", "位居", "位列", "参加", "参与", "纳入", "享受",
          "进入", "投产", "建成", "覆盖", "涉及", "开展", "围绕", "取得")
_JUNK_AFTER_OF = ("同时", "时候", "基础上", "情况下", "前提下", "过程中")


def key_figures(text: str, limit: int = MAX_FIGURES, *, title: str = "") -> tuple[Figure, ...]:
    """The ``limit`` (at most MAX_FIGURES) most salient figures with short contexts, none repeating the title."""
    limit = min(limit, MAX_FIGURES)
    if limit <= 0:
        return ()
    title = title or ""
    text = text or ""
    # figure -> [best salience, first position, body occurrences (start, end, kind) in text order]
    groups: dict[tuple[str, str], list] = {}
    _scan(title, groups, bonus=TITLE_BONUS, lead_end=0, offset=0, body=False)
    _scan(text, groups, bonus=0.0, lead_end=len(text) - len(text.lstrip()) + LEAD_CHARS, offset=len(title) + 1,
          body=True)
    # A figure ranks by its best occurrence (the title's, if it is in the title) ...
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    headline = None
    out: list[Figure] = []
    for (value, unit), (_, _, occurrences) in ranked:
        # ... but is shown with the context of its first body occurrence (lead ones rank higher and come
        # first) that does not repeat the headline.
        display = value + unit
        for start, end, kind in occurrences:
            left, right = _clause_start(text, start), _clause_end(text, end)
            if title and display in title:
                headline = headline or _Headline(title)
                if headline.repeated_by(text[left:right], display):
                    continue
            context = _context(text[left:start], text[end:right], kind)
            if context:
                # Interned: every article's figures are held until the site is written, and
                # values, units and measured things repeat (30,207 figures of 10,000 synthetic
                # articles: 462 distinct contexts; 0.9 KB an article as fresh strings).
                out.append(Figure(intern(value), intern(unit), intern(context)))
                break
        if len(out) >= limit:
            break
    return tuple(out)


class _Headline:
    """The title as a set of character bigrams, to tell whether a clause merely repeats it."""

    __slots__ = ("flat", "bigrams")

    def __init__(self, title: str) -> None:
        self.flat = _flat(title)
        self.bigrams = {self.flat[i:i + 2] for i in range(len(self.flat) - 1)}

    def repeated_by(self, clause: str, figure: str) -> bool:
        """The clause without the figure is part of the title, or mostly made of the title's bigrams."""
        rest = _flat(clause.replace(figure, "", 1))
        if len(rest) < 2 or rest in self.flat:
            return True
        pairs = [rest[i:i + 2] for i in range(len(rest) - 1)]
        return sum(pair in self.bigrams for pair in pairs) >= REPEAT_OVERLAP * len(pairs)


def _flat(text: str) -> str:
    """Letters, digits and ideographs only: punctuation, spaces and the _ of mangled titles do not count."""
    return "".join(ch for ch in text if ch.isalnum())


def _scan(text: str, groups: dict, *, bonus: float, lead_end: int, offset: int, body: bool) -> None:
    """Add every figure in text to groups with its salience (lead figures get LEAD_BONUS).

    Runs once per number in the article, so per-unit facts come from tables, not tests."""
    for match in _FIGURE_RE.finditer(text):
        num, mod, mag, mod2, unit, qual = match.groups("")
        start, end = match.span()
        if not _is_key_figure(num, mag, unit, text, end):
            continue
        key = (num + mod, mag + mod2 + unit + qual)  # (value as written, magnitude + unit)
        salience = bonus + (LEAD_BONUS if start < lead_end else 0.0) + _SALIENCE[unit, mag in _BIG]
        group = groups.get(key)
        if group is None:
            group = groups[key] = [salience, offset + start, []]
        elif salience > group[0]:
            group[0] = salience
        if body:
            group[2].append((start, end, _KIND[unit]))


def _is_key_figure(num: str, mag: str, unit: str, text: str, end: int) -> bool:
    """False for a bare number, an over-long one, or a unit character that starts another word."""
    if not unit and mag not in _BIG:
        return False
    if len(num) > MAX_DIGITS and len(num.replace(",", "").replace("，", "").split(".")[0]) > MAX_DIGITS:
        return False
    if unit in _FALSE_UNIT_NEXT:
        following = text[end:end + 1]
        if following and following in _FALSE_UNIT_NEXT[unit]:
            return False
    return True


def _unit_salience(unit: str, mag: str | None) -> float:
    bonus = 0.5 if mag in _BIG else 0.0
    if unit in _PEOPLE or unit in _MONEY:
        return 2.0 + bonus
    if unit in _RATES:
        return 0.5
    return 1.0 + bonus


# Per unit ("" for none): salience (with or without a big magnitude) and the kind of context it takes.
_SALIENCE = {(unit, big): _unit_salience(unit, "万" if big else None) for unit in ("", *_UNITS) for big in (False, True)}
_KIND = {unit: _COUNT if not unit or unit in _COUNTERS or unit in _MATERIAL else _RATE if unit in _RATES else 0
         for unit in ("", *_UNITS)}


# --- contexts ---------------------------------------------------------------------------------------------------

def _context(before: str, after: str, kind: int) -> str:
    """The measured thing: the noun after a counter, else the subject before the figure ('' if none)."""
    if kind == _COUNT:
        return _noun_after(after, counter=True) or _subject(before)
    if kind == _RATE and _AFTER_LEAD_RE.sub("", after, count=1).startswith("的"):  # 79%的毕业生
        return _noun_after(after, counter=False) or _subject(before)
    subject = _subject(before)
    if len(subject) <= MIN_CONTEXT:  # 已经投入[900亿元]资金: 投入资金
        noun = _noun_after(after, counter=False)
        if noun and len(noun) <= MAX_OBJECT:
            return subject + noun
    context = subject or _noun_after(after, counter=False)
    if not context and kind != _RATE:  # 惠及3.2万人: the verb is all there is (a bare rate means nothing)
        context = _verb_before(before)
    return context


def _noun_after(after: str, *, counter: bool) -> str:
    """'“倍增计划”试点企业' out of '“倍增计划”试点企业和500家…' (up to the next number, list mark or clause end)."""
    phrase = _AFTER_LEAD_RE.sub("", after.replace("\u3000", ""), count=1).lstrip("的")
    if phrase.startswith(_UNIT_TAILS):
        return ""
    stop = _AFTER_STOP_RE.search(phrase)
    if stop:
        phrase = phrase[:stop.start()]
    phrase = _cut_at(phrase, _ENDS_NOUN)
    if "的" in phrase:
        owner, _, owned = phrase.partition("的")
        owned = owned[owned.rfind("的") + 1:]
        if (counter and MIN_CONTEXT <= len(owner) <= MAX_OWNER) or len(owned) < MIN_CONTEXT or owned in _JUNK_AFTER_OF:
            phrase = owner  # 123名[旅客]的家属, 10条[纾困措施]的同时
        else:
            phrase = owned  # 13项高于…标准的[政策资助], 90%的[在巴中国移民]
    while len(phrase) > MIN_CONTEXT and phrase[-1] in "中里内约近超达共逾有":
        phrase = phrase[:-1]
    if not phrase or phrase[-1] in "至到为于":  # 从214家扩充至…: a verb, not a noun
        return ""
    if len(phrase) > MAX_CONTEXT:
        phrase = _cut_at(phrase, _VERBS)[:MAX_CONTEXT]
    return _tidy(phrase)


def _cut_at(phrase: str, words: tuple[str, ...]) -> str:
    """phrase up to the first of words that leaves at least MIN_CONTEXT characters before it."""
    cut = len(phrase)
    for word in words:
        at = phrase.find(word, MIN_CONTEXT)
        if 0 <= at < cut:
            cut = at
    return phrase[:cut]


def _subject(before: str) -> str:
    """'规上工业增加值' out of '东莞410家“倍增计划”规模以上工业企业（含名誉企业）增加值'."""
    phrase = _PAREN_RE.sub("", before.replace("\u3000", "")).strip()
    space = phrase.rfind(" ")
    if space > 0 and len(phrase) - space > MIN_CONTEXT and _CJK_RE.match(phrase[space - 1]):
        phrase = phrase[space + 1:]  # 今年以来 [重庆市脱贫人口务工规模]
    phrase = _LIST_TAIL_RE.sub("", phrase)
    for _ in range(3):  # the measured thing follows the last quantity: 东莞410家[“倍增计划”…增加值]
        last = None
        for last in _QUANTITY_RE.finditer(phrase):
            pass
        if last is None:
            break
        head, tail = phrase[:last.start()], _trim(phrase[last.end():])
        if head.endswith(("从", "由")):  # 企业数量从214家扩充至457家: the subject comes before 从
            phrase = head[:-1]
            continue
        if len(tail) < MIN_CONTEXT:  # 5日80万多人: a date or a list right before the figure
            return ""
        phrase = tail
        break
    phrase = _trim(_LEAD_YEAR_RE.sub("", phrase)).replace("规模以上", "规上")
    if phrase.endswith(("后", "前", "时")):  # 预计启动后将每年拉动: when, not what
        return ""
    compare = _COMPARE_RE.search(phrase)
    if compare:  # 降幅[比去年同期]扩大…: the baseline is not what is measured
        phrase = _trim(phrase[:compare.start()])
    for mark in _ADVERBS:  # 西藏共有[邮政普遍服务网点], 5G芯片累计[研发投入]
        at = phrase.rfind(mark)
        if at > 0:
            if len(phrase) - at - len(mark) >= MIN_MARKED:
                phrase = phrase[at + len(mark):]
            elif len(phrase) > MAX_CONTEXT and at >= MIN_MARKED:  # [高校毕业生就业服务专区]累计服务
                phrase = phrase[:at]
    if len(phrase) > MAX_CONTEXT:
        phrase = _shorten(phrase)
    return _tidy(phrase)


def _verb_before(before: str) -> str:
    """The last words before the figure without the connectors: 惠及 out of '另外还惠及'."""
    phrase = _PAREN_RE.sub("", before.replace("\u3000", "")).strip()
    last = None
    for last in _QUANTITY_RE.finditer(phrase):
        pass
    if last is not None:
        phrase = phrase[last.end():]
    changed = True
    while changed and phrase:
        changed = False
        phrase = phrase.lstrip(" ，,、（(“")
        for size in _LEAD_SIZES:
            if phrase[:size] in _LEAD_SET:
                phrase, changed = phrase[size:], True
                break
    return _tidy(phrase[-MAX_CONTEXT:])


def _trim(phrase: str) -> str:
    """Drop the predicate before the number (达到, 增长, 约 …) and the connectors in front (其中, 今年, 累计 …)."""
    changed = True
    while changed and phrase:
        changed = False
        phrase = phrase.strip(" ，,、（(")
        if phrase in _TRAIL_SET or phrase in _LEAD_SET:
            return ""
        for size in _TRAIL_SIZES:
            if phrase[-size:] in _TRAIL_SET:
                phrase, changed = phrase[:-size], True
                break
        if phrase.startswith(_PROTECTED):
            continue
        for size in _LEAD_SIZES:
            if phrase[:size] in _LEAD_SET:
                phrase, changed = phrase[size:], True
                break
    return phrase


def _shorten(phrase: str) -> str:
    """An over-long subject: from the first word mark that leaves at most MAX_CONTEXT characters, else its tail."""
    for scope in _SCOPE:
        if phrase.startswith(scope):
            phrase = phrase[len(scope):]
            break
    if len(phrase) <= MAX_CONTEXT:
        return phrase
    floor = len(phrase) - MAX_CONTEXT
    best = -1
    for mark in _MARKS:
        at = phrase.find(mark, max(0, floor - len(mark)))
        while at >= 0:
            cut = at + len(mark)
            if cut >= floor:
                if len(phrase) - cut >= MIN_MARKED and (best < 0 or cut < best):
                    best = cut
                break
            at = phrase.find(mark, at + 1)
    if best >= 0:
        return phrase[best:]
    tail = phrase[floor:]
    for place, words in _PLACE_TAILS.items():  # [壮族]自治区脱贫劳动力务工规模, [六安]市高校毕业生…
        if tail.startswith(place) and len(tail) - len(place) >= MIN_MARKED and tail[len(place)] not in words:
            return tail[len(place):]
    return tail


def _tidy(phrase: str) -> str:
    """Balanced quotes, no stray punctuation at the ends; '' unless it names something (a CJK character)."""
    for left, right in (("“", "”"), ("《", "》")):
        if phrase.count(left) != phrase.count(right):
            phrase = phrase.replace(left, "").replace(right, "")
    if phrase.count('"') % 2:
        phrase = phrase.replace('"', "")
    phrase = _SPACE_RE.sub(" ", phrase).strip(" ，,、：:（）()-—_+＋")
    if len(phrase) < MIN_CONTEXT or not _CJK_RE.search(phrase):
        return ""
    return phrase


def _clause_start(text: str, pos: int) -> int:
    """Index just after the clause boundary before pos (looks back 200 chars)."""
    floor = max(0, pos - 200)
    candidates = [match.start() for match in _BOUNDARY_CHAR_RE.finditer(text, floor, pos)]
    for i in reversed(candidates):
        if _is_boundary(text, i):
            return i + 1
    return floor


def _clause_end(text: str, pos: int) -> int:
    """Index of the first clause boundary at or after pos (looks ahead 200 chars)."""
    limit = min(len(text), pos + 200)
    for candidate in _BOUNDARY_CHAR_RE.finditer(text, pos, limit):
        if _is_boundary(text, candidate.start()):
            return candidate.start()
    return limit


def _is_boundary(text: str, i: int) -> bool:
    char = text[i]
    if char in ",，":  # "4,000" and "1，135.77" are numbers, "a, b" a boundary
        return not (0 < i and text[i - 1].isdigit() and i + 1 < len(text) and text[i + 1].isdigit())
    return char in _BOUNDARIES
