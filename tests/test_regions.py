"""Tests for generator.enrich.regions (province / nationwide / foreign detection)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from generator.enrich.regions import (
    NATIONAL,
    Province,
    RegionGuess,
    detect_region,
    province_by_name,
    province_by_slug,
    provinces,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL_DIR = SHARED / "corpus" / "real"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"

# Measured with benchmarks/eval_regions.py: real 0.973 (html_page reader; 0.947
# with the trafilatura fallback), sina_* 1.000; synthetic 1.000 (seeds 1-5).
REAL_MIN_ACCURACY = 0.93
REAL_SINA_MIN_ACCURACY = 0.95
SYNTHETIC_MIN_ACCURACY = 0.97


def _weights(guess: RegionGuess) -> dict[str, float]:
    return dict(guess.weights)


def _load_eval_module():
    """benchmarks/eval_regions.py holds the corpus readers the benchmark uses."""
    spec = importlib.util.spec_from_file_location("eval_regions", ROOT / "benchmarks" / "eval_regions.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_regions"] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- #
# Data and lookups
# --------------------------------------------------------------------------- #


def test_data_files_are_package_resources() -> None:
    data = resources.files("generator.data")
    for name in ("provinces.toml", "adcodes.csv", "ADCODES-LICENSE.txt"):
        assert data.joinpath(name).is_file(), name
    license_text = data.joinpath("ADCODES-LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT" in license_text and "cpca" in license_text and "0.5.5" in license_text


def test_thirty_four_provinces_with_unique_slugs_and_names() -> None:
    items = provinces()
    assert len(items) == 34
    assert all(isinstance(p, Province) for p in items)
    assert len({p.slug for p in items}) == 34
    assert len({p.short for p in items}) == 34
    assert all(p.slug.isascii() and p.slug.islower() for p in items)
    assert provinces() is items  # cached


@pytest.mark.parametrize(
    ("slug", "short", "full"),
    [
        ("shanxi", "山西", "山西省"),
        ("shaanxi", "陕西", "陕西省"),
        ("neimenggu", "内蒙古", "内蒙古自治区"),
        ("guangxi", "广西", "广西壮族自治区"),
        ("xizang", "西藏", "西藏自治区"),
        ("chongqing", "重庆", "重庆市"),
        ("hongkong", "香港", "香港特别行政区"),
        ("macau", "澳门", "澳门特别行政区"),
        ("taiwan", "台湾", "台湾省"),
    ],
)
def test_slugs_and_names(slug: str, short: str, full: str) -> None:
    by_slug = province_by_slug(slug)
    assert by_slug is not None and by_slug.short == short and by_slug.full == full
    assert province_by_name(short) == by_slug
    assert province_by_name(full) == by_slug


def test_unknown_lookups_return_none() -> None:
    assert province_by_slug("atlantis") is None
    assert province_by_name("火星") is None


def test_abbreviations() -> None:
    assert province_by_name("重庆").abbreviations == ("渝",)
    assert set(province_by_name("四川").abbreviations) == {"川", "蜀"}
    assert set(province_by_name("陕西").abbreviations) == {"陕", "秦"}


# --------------------------------------------------------------------------- #
# Traps
# --------------------------------------------------------------------------- #


def test_chaoyang_district_is_beijing_and_chaoyang_city_is_liaoning() -> None:
    beijing = detect_region("北京市朝阳区推出稳就业新举措", "朝阳区人社局在望京举办招聘会，北京市朝阳区新增岗位2万个。")
    assert beijing.primary == "北京"
    liaoning = detect_region("朝阳市推出稳就业新举措", "朝阳市人社局举办招聘会，朝阳市今年新增就业岗位2万个。")
    assert liaoning.primary == "辽宁"
    alone = detect_region("朝阳区举办招聘会", "朝阳区人社局日前举办招聘会。")
    assert "辽宁" not in _weights(alone) and _weights(alone).get("北京", 0) > 0


def test_sunrise_industry_is_not_a_place() -> None:
    guess = detect_region("发展朝阳产业", "各地积极发展朝阳产业，培育新动能，促进长治久安。")
    assert "辽宁" not in _weights(guess) and "山西" not in _weights(guess)


def test_jilin_city_and_province() -> None:
    assert detect_region("吉林市推进就业帮扶", "吉林市人社局表示，今年吉林市将新增就业1万人。").primary == "吉林"
    assert detect_region("吉林省新增就业", "吉林省长春市、延边州新增就业岗位。").primary == "吉林"


def test_hainan_tibetan_prefecture_is_qinghai() -> None:
    guess = detect_region("海南藏族自治州推进就业帮扶", "海南藏族自治州共和县今年新增就业岗位3000个，海南州人社局表示将继续努力。")
    assert guess.primary == "青海"
    assert "海南" not in _weights(guess)


def test_street_named_after_a_province_is_not_the_province() -> None:
    guess = detect_region("南京市山西路街道开展招聘", "南京市鼓楼区山西路街道日前举办招聘会，南京市人社局参加。")
    assert guess.primary == "江苏"
    assert "山西" not in _weights(guess)


def test_taiwan_themed_street_is_not_taiwan() -> None:
    guess = detect_region("厦门台湾风情街开街", "厦门市台湾风情街日前开街，厦门市商务局表示将吸引更多游客。")
    assert guess.primary == "福建"
    assert "台湾" not in _weights(guess)


def test_stock_name_beijing_renli_is_not_beijing() -> None:
    text = "安徽省人社厅日前举办招聘会。北京人力、外服控股等人力资源服务企业积极参与岗位对接。安徽省今年新增就业50万人。"
    guess = detect_region("安徽省举办招聘会", text)
    assert guess.primary == "安徽"
    assert "北京" not in _weights(guess)


def test_beijing_time_is_not_beijing() -> None:
    guess = detect_region("苹果发布新手机", "北京时间9月11日凌晨，苹果公司在美国发布新款手机，售价699美元。")
    assert guess.primary is None
    assert "北京" not in _weights(guess)


def test_comparison_with_national_average_stays_regional() -> None:
    text = "江西省脱贫人口工资性收入占比超70%，高于全国平均水平，居全国前列。江西省将继续推进。"
    guess = detect_region("江西省脱贫人口收入持续增长", text)
    assert guess.primary == "江西"
    assert NATIONAL not in _weights(guess)


def test_east_west_partner_province_does_not_win() -> None:
    text = (
        "广西壮族自治区今年组织脱贫劳动力外出务工。深化与广东的东西部协作，今年以来5万名脱贫劳动力赴广东务工。"
        "广东对口支援广西，共建帮扶车间200个。南宁市、柳州市积极推进。"
    )
    guess = detect_region("广西深化东西部劳务协作", text)
    assert guess.primary == "广西"
    assert _weights(guess)["广西"] > 2 * _weights(guess).get("广东", 0)


def test_one_character_abbreviations_only_in_compounds() -> None:
    assert detect_region("巴渝大地掀起招聘热潮", "巴渝大地各区县积极开展招聘活动，渝东北地区新增岗位1万个。").primary == "重庆"
    assert detect_region("夏伯渝担任火炬手", "登山运动员夏伯渝担任火炬手。").primary is None  # 渝 inside a name
    chuanyu = detect_region("川渝合作共建经济圈", "川渝两地签署合作协议，推动成渝地区双城经济圈建设。")
    assert chuanyu.primary == "四川"
    assert _weights(chuanyu).get("重庆", 0) > 0


def test_multi_province_areas() -> None:
    jjj = detect_region("京津冀协同发展取得新进展", "京津冀三地签署协议，推动交通一体化。")
    assert jjj.primary == "北京"
    assert {"北京", "天津", "河北"} <= set(_weights(jjj))
    csj = detect_region("长三角一体化发展", "长三角一体化示范区建设持续推进。")
    assert {"上海", "江苏", "浙江", "安徽"} <= set(_weights(csj))


def test_ambiguous_district_ignored_unless_context() -> None:
    alone = detect_region("鼓楼区举办招聘会", "鼓楼区人社局日前举办招聘会，新增就业岗位2万个。")
    assert alone.primary is None
    assert any("鼓楼区" in e and "ambiguous" in e for e in alone.evidence)
    assert detect_region("福州市鼓楼区举办招聘会", "福州市鼓楼区人社局日前举办招聘会。").primary == "福建"
    tongzhou = detect_region("南通市通州区举办招聘会", "南通市通州区人社局日前举办招聘会，江苏省新增就业岗位2万个。")
    assert tongzhou.primary == "江苏" and "北京" not in _weights(tongzhou)


def test_prefecture_and_county_names_map_to_province() -> None:
    assert detect_region("1-10月德清县固定资产投资结构趋稳趋优", "全县固定资产投资完成246亿元。").primary == "浙江"
    assert detect_region("江门七旬阿婆被骗", "江门警方接到报警，江门市公安局蓬江区分局立案侦查。").primary == "广东"
    assert detect_region("喀什地区推进就业", "喀什地区今年新增就业，喀什市、疏附县积极推进。").primary == "新疆"


# --------------------------------------------------------------------------- #
# Nationwide, datelines, outlets, hints, foreign
# --------------------------------------------------------------------------- #


def test_nationwide_signals() -> None:
    assert detect_region("国务院常务会议部署稳就业", "国务院常务会议部署稳就业举措。").primary == NATIONAL
    assert detect_region("人社部：做好高校毕业生就业工作", "人力资源社会保障部近日印发通知。").primary == NATIONAL
    many = detect_region(
        "31个省份公布最低工资标准",
        "截至目前，31个省份已公布最低工资标准。其中，上海、北京、广东、天津、江苏等地月最低工资标准超过2000元。",
    )
    assert many.primary == NATIONAL
    assert any("list of" in e for e in many.evidence)


def test_example_provinces_in_a_national_story() -> None:
    text = "城乡居民基础养老金最低标准提高。天津、内蒙古等地探索形成了一批可复制可推广的经验做法。"
    assert detect_region("城乡居民基础养老金再提标", text).primary == NATIONAL


def test_beijing_dateline_on_national_wire_is_weak() -> None:
    text = "新华社北京3月5日电 人力资源社会保障部、财政部近日印发通知，调整退休人员基本养老金。"
    guess = detect_region("养老金调整方案公布", text)
    assert guess.primary == NATIONAL
    assert any("dateline" in e and "weak" in e for e in guess.evidence)


def test_regional_dateline() -> None:
    guess = detect_region("冰雪旅游火爆", "中新网哈尔滨7月27日电 记者从市文旅局获悉，今年冰雪旅游人数大幅增长。")
    assert guess.primary == "黑龙江"
    assert any(e.startswith("dateline 中新网哈尔滨") and "黑龙江" in e for e in guess.evidence)


def test_outlet_maps_to_province() -> None:
    guess = detect_region("招聘会举办", "江津区今年新增就业岗位2万个。", outlet="重庆日报")
    assert guess.primary == "重庆"
    assert any(e.startswith("outlet 重庆日报 → 重庆") for e in guess.evidence)
    national = detect_region("招聘会举办", "新增就业岗位2万个。", outlet="新华社")
    assert "重庆" not in _weights(national) and all(w[0] != "北京" for w in national.weights)


def test_outlet_in_first_lines_counts_like_a_byline() -> None:
    guess = detect_region("1-7月全区重大项目推进情况", "来源：宁夏日报\n1—7月，全区重大项目加速推进，固原市开工率100%。")
    assert guess.primary == "宁夏"


def test_breadcrumb_hint() -> None:
    guess = detect_region("招聘会举办", "新增就业岗位2万个。", hints=("首页", "地方频道-重庆", "重庆要闻"))
    assert guess.primary == "重庆"
    assert any(e.startswith("hint 地方频道-重庆") for e in guess.evidence)


def test_foreign_story_is_none() -> None:
    text = "新华社巴黎12月9日电 法国9日再次爆发全国跨行业大罢工，巴黎交通几乎完全瘫痪。法国总理表示将推进改革。"
    guess = detect_region("法国全国大罢工再次严重影响交通", text)
    assert guess.primary is None
    assert any("abroad" in e for e in guess.evidence)


def test_company_story_without_place_is_none() -> None:
    guess = detect_region("华为发布新款手机", "华为今天发布新款折叠屏手机，搭载最新芯片，售价9999元。苹果和三星也将推出新品。")
    assert guess.primary is None


# --------------------------------------------------------------------------- #
# Override, result shape
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("override", "expected"),
    [("重庆", "重庆"), ("重庆市", "重庆"), ("shaanxi", "陕西"), ("shanxi", "山西"), ("全国", NATIONAL), ("national", NATIONAL)],
)
def test_override_wins(override: str, expected: str) -> None:
    guess = detect_region("广东省推进就业", "广东省今年新增就业岗位。", override=override)
    assert guess.primary == expected
    assert guess.evidence[0].startswith("override region:")


def test_unknown_override_keeps_detection() -> None:
    guess = detect_region("广东省推进就业", "广东省今年新增就业岗位。", override="atlantis")
    assert guess.primary == "广东"
    assert any("not recognised" in e for e in guess.evidence)


def test_result_shape_and_evidence() -> None:
    guess = detect_region("重庆市推进就业", "重庆市江津区今年新增就业岗位，重庆日报报道。")
    assert guess.primary == "重庆"
    assert guess.evidence and any(e.startswith("title: 重庆市") for e in guess.evidence)
    values = [w for _, w in guess.weights]
    assert values == sorted(values, reverse=True)
    assert guess.weights[0][0] == "重庆"


def test_empty_input() -> None:
    guess = detect_region("", "")
    assert guess == RegionGuess(None, (), ())


# --------------------------------------------------------------------------- #
# Corpora
# --------------------------------------------------------------------------- #


@pytest.mark.skipif(not (REAL_DIR / "labels.jsonl").is_file(), reason="real labelled corpus not present")
def test_real_corpus_accuracy() -> None:
    ev = _load_eval_module()
    items = list(ev.real_items(REAL_DIR))
    sina = [i for i in items if i.name.startswith("sina_")]
    errors: list[str] = []
    overall = ev.accuracy(items, errors=errors)
    assert overall >= REAL_MIN_ACCURACY, "\n".join(errors)
    assert ev.accuracy(sina) >= REAL_SINA_MIN_ACCURACY


@pytest.mark.skipif(not MAKE_CORPUS.is_file(), reason="shared/bench/make_corpus.py not present")
def test_synthetic_corpus_accuracy(tmp_path: Path) -> None:
    ev = _load_eval_module()
    out = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), str(out), "--count", "300", "--seed", "1", "--raw-fraction", "0.1"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    items = list(ev.synthetic_items(out))
    assert len(items) == 300
    errors: list[str] = []
    assert ev.accuracy(items, errors=errors) >= SYNTHETIC_MIN_ACCURACY, "\n".join(errors[:10])
