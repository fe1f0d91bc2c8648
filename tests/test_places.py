"""Places: a document's jurisdiction and a claim's subject are real divisions with their codes."""

from pathlib import Path

import pytest
from zhibiao import extract_text
from zhibiao.context.jurisdiction import jurisdiction_of, subject_code
from zhibiao.ruleset import divisions

ROOT = Path(__file__).resolve().parent.parent
DATELINE = ("桐城市人民政府工作报告\n——2025年1月8日在桐城市第十九届人民代表大会第四次会议上\n"
            "市长 某某\n各位代表：\n2024年，全市地区生产总值增长6.1%，全省增长5.8%。")


def test_a_dateline_gives_the_division_never_the_fragment_before_it():
    j = jurisdiction_of(["——2026年1月27日在陕西省第十四届人民代表大会第五次会议上"], "", None, None)
    assert (j.name, j.code, j.level, j.parent) == ("陕西省", "610000", "province", None)


def test_a_county_level_city_has_its_code_level_and_province():
    doc = extract_text(DATELINE, use_model=False)
    j = doc.jurisdiction
    assert (j.name, j.code, j.level, j.parent) == ("桐城市", "340881", "county", "安徽省")


def test_a_meeting_name_or_a_phrase_is_no_place():
    for line in ["县委全委会暨全县经济工作会议上的讲话", "在全市乡镇党委书记会议上的讲话", "县长在县政府全体会议上的讲话"]:
        j = jurisdiction_of([line], "", None, None)
        assert j is None or j.name is None


def test_a_masked_name_stays_masked():
    j = jurisdiction_of(["在XX县经济工作会议上的讲话"], "", None, None)
    assert (j.name, j.code, j.level, j.masked) == (None, None, "county", True)


def test_a_national_report_is_level_national():
    text = (ROOT / "corpus/national/gwr_1985.txt").read_text("utf-8")
    j = extract_text(text, use_model=False).jurisdiction
    assert (j.level, j.code) == ("national", divisions.NATIONAL_CODE)


def test_short_and_former_names_resolve_and_namesakes_need_their_province():
    assert divisions.find("桐城").name == "桐城市"
    assert divisions.find("安徽").code == "340000"
    assert divisions.find("广西").name == "广西壮族自治区"
    assert divisions.find("许昌县").former  # a 县 that became 建安区: its code of the 2020 table
    assert divisions.find("朝阳区") is None  # 北京 and 长春 both have one
    assert divisions.find("朝阳区", "220000").code == "220104"


def test_the_speakers_own_words_stand_for_its_divisions():
    tongcheng = jurisdiction_of(["——2025年1月8日在桐城市第十九届人民代表大会"], "", None, None)
    assert subject_code("全省", tongcheng) == "340000"
    assert subject_code("全市", tongcheng) == "340881"  # a county-level city's 全市 is itself
    assert subject_code("全国", tongcheng) == divisions.NATIONAL_CODE
    assert subject_code("合肥", tongcheng) == "340100"
    assert subject_code("全县", tongcheng) is None
    assert subject_code(None, tongcheng) is None


def test_a_benchmark_subject_gets_the_province_code_in_a_claim():
    claims = extract_text(DATELINE, use_model=False).claims
    assert {(c.subject, c.subject_code) for c in claims if c.subject} >= {("全省", "340000")}


@pytest.mark.parametrize("path", sorted((ROOT / "corpus/unlabeled").glob("*.txt")), ids=lambda p: p.stem)
def test_every_provincial_report_names_its_province_and_its_gdp_target_once(path):
    doc = extract_text(path.read_text("utf-8"), source={"path": str(path)}, use_model=False)
    d = divisions.find(path.stem)
    assert (doc.jurisdiction.name, doc.jurisdiction.code, doc.jurisdiction.level) == (d.name, d.code, "province")
    whole_2026 = {"from": "2026-01", "to": "2026-12"}
    targets = [c for c in doc.claims if c.indicator.canonical == "gdp" and c.kind == "target" and c.growth
               and c.period_range == whole_2026 and c.horizon is None]
    assert len(targets) == 1, [(c.indicator.name, c.sentence.text[:40]) for c in targets]


@pytest.mark.parametrize("year", ["1958", "1960", "1983"])
def test_a_heading_below_the_salutation_is_never_the_title(year):
    text = (ROOT / f"corpus/national/gwr_{year}.txt").read_text("utf-8")[:3000]
    assert extract_text(text, use_model=False).title is None


def test_a_title_above_the_salutation_stays():
    assert extract_text("2026年吉林省政府工作报告\n各位代表：\n一、过去一年工作回顾\n", use_model=False).title == \
        "2026年吉林省政府工作报告"


CORPORA = ["corpus/speeches", "corpus/national", "corpus/unlabeled", "corpus/genres/docs"]


@pytest.mark.parametrize("folder", CORPORA)
def test_no_document_of_the_corpora_names_a_place_that_is_not_a_division(folder):
    from zhibiao import extract_file

    for path in sorted((ROOT / folder).glob("*.txt")):
        j = extract_file(str(path), use_model=False).jurisdiction
        if j is None or j.name is None:
            continue
        if j.level == "national":
            assert (j.name, j.code) == ("中华人民共和国", divisions.NATIONAL_CODE), path.name
            continue
        d = divisions.by_code(j.code)
        assert d and d.name == j.name and d.level == j.level, (path.name, j)
