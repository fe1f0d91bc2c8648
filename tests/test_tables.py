"""Tables read as tables (issue 20 item 5): the row header names the indicator, the column
header the measure and the unit; a cell never joins its neighbour; hidden text is not read."""

from zhibiao import extract_file, extract_text
from zhibiao.text.ingest import html_to_text


def facts(text: str) -> list[tuple]:
    out = []
    for c in extract_text(text, use_model=False).claims:
        for kind, x in (("value", c.value), ("growth", c.growth)):
            if x is not None:
                out.append((c.indicator.name, kind, x.amount if kind == "value" else x.rate, x.unit))
    return out


def test_html_cells_never_fuse_into_one_number(tmp_path):
    page = tmp_path / "t.html"
    page.write_text("<html><body><p>单位：亿元</p><table><tr><th>指标</th><th>数值</th><th>增长（%）</th></tr>"
                    "<tr><td>地区生产总值</td><td>120</td><td>5</td></tr>"
                    "<tr><td>财政收入</td><td>131.2</td><td>4</td></tr></table></body></html>", encoding="utf-8")
    doc = extract_file(str(page), use_model=False)
    got = {(c.indicator.name, c.value.amount, c.growth.rate) for c in doc.claims}
    assert got == {("地区生产总值", 120, 5), ("财政收入", 131.2, 4)}
    numbers = {x for c in doc.claims for x in (c.value.amount, c.growth.rate)}
    assert not numbers & {120131.2, 54, 1205, 131.24}


def test_adjacent_cells_with_units_stay_apart():
    text = html_to_text("<table><tr><td>120</td><td>131.2亿元</td></tr><tr><td>5</td><td>4%</td></tr></table>")
    assert "120131.2" not in text and "54%" not in text


def test_struck_and_hidden_text_is_not_read():
    text = html_to_text('<p>全年完成投资<del>50亿元</del>60亿元。<span style="display:none">财政收入99亿元</span>'
                        '<s>增长9%</s><div hidden>税收收入7亿元</div></p>')
    assert text == "全年完成投资60亿元。"


def test_a_table_laid_out_with_spaces_reads_cell_by_cell():
    got = facts("表2主要农产品产量及其增长速度\n单位：吨\n产品名称 产量 比上年增长%\n粮食 21774 0.99\n"
                "其中：稻谷 19179 1.02\n蔬菜 50523 -1.7\n")
    assert got == [("粮食", "value", 21774, "吨"), ("粮食", "growth", 0.99, "%"), ("稻谷", "value", 19179, "吨"),
                   ("稻谷", "growth", 1.02, "%"), ("蔬菜", "value", 50523, "吨"), ("蔬菜", "growth", -1.7, "%")]


def test_a_header_row_gives_no_figure_and_a_column_without_unit_gives_none():
    got = facts("指标|数值|比上年增长%|\n地区生产总值|153|8.1|\n工业|59|7.4|\n")
    assert got == [("地区生产总值", "growth", 8.1, "%"), ("工业", "growth", 7.4, "%")]


def test_a_column_headed_by_a_period_gives_its_figures_that_period_and_a_running_totals_growth_its_level():
    doc = extract_text("2023年6月主要统计数据\n指标|计量单位|6月|1-6月|累计比上年同期增长(%)|\n"
                       "规模以上工业增加值|亿元|6.1|35.2|7.1|\n社会消费品零售总额|亿元|8.3|48.9|6.0|", use_model=False)
    got = [(c.value.amount, c.growth.rate if c.growth else None, c.period) for c in doc.claims][:2]
    assert got == [(6.1, None, "6月"), (35.2, 7.1, "1-6月")]


def test_a_growth_beside_two_years_goes_to_the_current_one():
    doc = extract_text("单位：亿元\n项目|2023年|2022年|增长%|\n一般公共预算收入|45.6|42.1|8.3|\n税收收入|30.2|28.0|7.9|",
                       use_model=False)
    got = [(c.value.amount, c.growth.rate if c.growth else None, c.period) for c in doc.claims][:2]
    assert got == [(45.6, 8.3, "2023年"), (42.1, None, "2022年")]


def test_a_plans_table_reads_its_base_year_as_done_its_last_as_a_goal_and_its_average_growth_apart():
    doc = extract_text("某县国民经济和社会发展第十四个五年规划纲要\n指标|2020年|2025年|年均增长（%）|属性|\n"
                       "地区生产总值（亿元）|120|170|7|预期性|\n一般公共预算收入（亿元）|10|14|7|预期性|", use_model=False)
    got = [(c.value.amount if c.value else None, c.growth.rate if c.growth else None, c.kind, c.horizon)
           for c in doc.claims][:3]
    assert got == [(120, None, "actual", None), (170, None, "target", None), (None, 7, "target", "average")]


def test_a_budget_column_is_a_goal_and_what_the_row_came_to_an_outcome():
    doc = extract_text("2011年全区财政决算。\n表1　一般预算收入决算情况表　　单位：万元\n"
                       "项目|调整预算数|决算数|为调整预算%|比上年增长%\n"
                       "增值税|98600|101275|102.7|16.8\n营业税|215000|221836|103.2|28.4\n", use_model=False)
    kinds = {(c.indicator.name, c.value.amount if c.value else None): c.kind for c in doc.claims}
    assert kinds[("增值税调整预算数", 98600)] == "target"
    assert kinds[("增值税", 101275)] == "actual"


def test_cells_with_thousands_commas_one_a_line_under_a_subject_head():
    doc = extract_text("表2　支出决算表\n单位：元\n科目\n决算数\n占比%\n一般公共服务支出\n9,846,215.30\n16.1\n"
                       "公共安全支出\n1,287,460.00\n2.1\n", use_model=False)
    got = {(c.indicator.name, c.value.amount, c.value.unit) for c in doc.claims}
    assert ("一般公共服务支出", 9846215.3, "元") in got and ("公共安全支出", 1287460.0, "元") in got


def test_a_goal_column_is_a_goal_whatever_the_genre():
    doc = extract_text("类别\t指标\t2020年\t2025年目标\t年均增长（%）\n经济发展\t地区生产总值（亿元）\t792.6\t1140\t7.5左右\n"
                       "\t人均地区生产总值（万元）\t10.2\t13.5\t—\n", use_model=False)
    kinds = {(c.value.amount if c.value else None): c.kind for c in doc.claims if c.indicator.name == "地区生产总值"}
    assert kinds[1140] == "target"
