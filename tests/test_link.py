"""Which indicator a figure belongs to, on sentences shaped like real work reports."""

from zhibiao import extract_text


def claims(text: str) -> list[tuple]:
    """Every claim the linker makes (min_confidence=0: the scorer's drops are its own tests)."""
    out = []
    for c in extract_text(text, use_model=False, min_confidence=0).claims:
        fig = c.value or c.growth
        out.append((c.indicator.name, fig.amount if c.value else fig.rate, fig.unit))
    return out


def test_gap_that_names_its_own_rate_belongs_to_that_indicator():
    got = claims("地区生产总值增长5%，一般公共预算收入增长13.3%，一产增加值增幅高于全国0.7个百分点，"
                 "社会消费品零售总额增幅高于全国0.2个百分点。")
    assert got == [("地区生产总值", 5.0, "%"), ("一般公共预算收入", 13.3, "%"),
                   ("一产增加值", 0.7, "个百分点"), ("社会消费品零售总额", 0.2, "个百分点")]


def test_gap_without_a_name_stays_with_the_indicator_before():
    got = claims("一季度生产总值增长3%，低于全省1.2个百分点。")
    assert got == [("生产总值", 3.0, "%"), ("生产总值", -1.2, "个百分点")]


def test_parallel_modifiers_share_the_head_of_the_last_name():
    got = claims("城镇和农村居民人均可支配收入分别增长4.3%、5.5%。")
    assert [n for n, *_ in got] == ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
    got = claims("食品、石化、医药、信息等产业增加值分别增长7.5%、11.5%、17.4%、7.3%。")
    assert [n for n, *_ in got] == ["食品产业增加值", "石化产业增加值", "医药产业增加值", "信息产业增加值"]
    got = claims("新能源汽车、集成电路、工业机器人产量分别增长49.8%、11.9%、36.4%。")
    assert [n for n, *_ in got] == ["新能源汽车产量", "集成电路产量", "工业机器人产量"]  # a measure word


def test_list_items_share_a_head_only_at_a_word_boundary():
    names = [n for n, *_ in claims("原油、天然气产量分别增长72.1%、31.2%。")]
    assert names == ["原油产量", "天然气产量"]  # not 原油气产量: 天然|气 is no cut
    names = [n for n, *_ in claims("金融业、软件和信息服务业增加值分别增长9.7%、15.3%。")]
    assert names == ["金融业增加值", "软件和信息服务业增加值"]  # 和 inside an item
    names = [n for n, *_ in claims("确保肉、奶产量分别稳定在310万吨和750万吨左右。")]
    assert names == ["肉产量", "奶产量"]  # 肉 is a name only with its head


def test_lexicon_names_in_a_list_share_a_head_only_into_another_lexicon_name():
    assert [n for n, *_ in claims("工业、服务业增加值均增长5%。")] == ["工业增加值", "服务业增加值"]
    assert [n for n, *_ in claims("进口、出口总额分别增长3%、5%。")] == ["进口总额", "出口总额"]
    assert [n for n, *_ in claims("GDP、一般公共预算收入分别增长5%、3%。")] == ["GDP", "一般公共预算收入"]
    assert [n for n, *_ in claims("规上工业增加值、工业投资年均分别增长5.9%、6.7%。")] == ["规上工业增加值", "工业投资"]


def test_count_naming_the_members_of_what_grew_is_not_a_claim():
    assert claims("改造提升传统产业，17个重点传统制造业增加值增长5.3%。") == [("重点传统制造业增加值", 5.3, "%")]
    # a count of units in a state stays
    assert ("负增长镇街", 4.0, "个") in claims("从工业生产看，有4个镇街为负增长。")


def test_count_after_a_list_of_examples_counts_the_noun_after_it():
    got = claims("绍兴黄酒、金华火腿、西湖龙井茶3个历史经典产业入围国家培育名单。")
    assert got == [("历史经典产业入围国家培育名单", 3.0, "个")]


def test_bare_scale_at_clause_start_counts_the_noun_after_it():
    got = claims("脱贫地区农民收入年均增长7.9%，71.3万监测对象稳定消除返贫致贫风险。")
    assert got[0] == ("脱贫地区农民收入", 7.9, "%")
    assert got[1][0].startswith("监测对象") and got[1][1:] == (71.3, "万")


def test_scaled_units_and_amount_thresholds():
    assert claims("综合交通网总规模29.5万公里，高速公路通车里程突破1万公里。") == [
        ("综合交通网总规模", 29.5, "万公里"), ("高速公路通车里程", 1.0, "万公里")]
    assert claims("开工建设10亿元以上重大产业项目47个。") == [("10亿元以上重大产业项目", 47.0, "个")]


def test_per_capita_base_stays_inside_the_name():
    assert claims("新增普通高校7所，每10万人口高等教育平均在校生增长27%。") == [
        ("新增普通高校", 7.0, "所"), ("每10万人口高等教育平均在校生", 27.0, "%")]
    assert claims("学前教育毛入园率、义务教育巩固率、高中阶段和高等教育毛入学率分别达到93.5%、98.3%、98.1%、64.3%。") == [
        ("学前教育毛入园率", 93.5, "%"), ("义务教育巩固率", 98.3, "%"), ("高中阶段毛入学率", 98.1, "%"),
        ("高等教育毛入学率", 64.3, "%")]


def test_count_of_a_class_inside_another_class():
    # 20项重大工程的150个项目: the first count names the class, the second is counted
    assert claims("纳入国家20项重大工程的150个计划新开工项目全部开工。") == [("计划新开工项目", 150.0, "个")]
    assert claims("1.4万余家企业实施改造，34个项目进入全国5G工厂名录。")[1] == ("项目进入全国5G工厂名录", 34.0, "个")


def test_one_position_in_two_leagues():
    doc = extract_text("实现地区生产总值6000亿元，增长5%，总量和增速均居全国第8位。", use_model=False, min_confidence=0)
    (c,) = doc.claims
    assert [(r.position, r.by, r.scope) for r in c.ranks] == [(8, "value", "全国"), (8, "growth", "全国")]


def test_town_and_country_in_one_name_split_over_two_figures():
    assert claims("城乡居民人均可支配收入分别增长4.4%、5.6%。") == [
        ("城镇居民人均可支配收入", 4.4, "%"), ("农村居民人均可支配收入", 5.6, "%")]
    assert claims("城乡居民人均可支配收入增长5%。") == [("城乡居民人均可支配收入", 5.0, "%")]


def test_labels_and_bare_scales():
    ((name, amount, unit),) = claims("在鄂投资世界500强企业325家。")
    assert name.endswith("投资世界500强企业") and (amount, unit) == (325.0, "家")
    assert claims("旅游综合收入突破万亿元。") == [("旅游综合收入", 1.0, "万亿元")]
    assert claims("武汉跨入地区生产总值两万亿级城市行列。") == []
    assert claims("100多项改革经验受到肯定和推广。") == []


def test_names_joined_before_jun_each_hold_the_figure():
    """A、B…均 + one figure: a claim per name, sharing the modifier and the head."""
    got = claims("全员劳动生产率持续提升，非化石能源发电量、用电量占比均超过30%。")
    assert [n for n, *_ in got][-2:] == ["非化石能源发电量占比", "非化石能源用电量占比"]
    assert [n for n, *_ in claims("基本养老保险、基本医疗保险参保率均稳定在98%以上。")] == \
        ["基本养老保险参保率", "基本医疗保险参保率"]
    assert claims("城镇新增就业261.6万人，退役军人、残疾人新增就业均超7.3万人。")[1:] == \
        [("退役军人新增就业", 7.3, "万人"), ("残疾人新增就业", 7.3, "万人")]
    # 人均 is no 均 of a list
    assert [n for n, *_ in claims("城镇、农村人均收入6万元。")] == ["城镇、农村人均收入"]


def test_a_bare_scale_in_a_list_takes_the_unit_at_its_end():
    got = claims("广州、深圳地铁线网单日最高客运量分别达1409万、1305万人次，均创历史新高。")
    assert [(a, u) for _, a, u in got] == [(1409.0, "万人次"), (1305.0, "万人次")]
    got = claims("力争电子信息、有色金属、装备制造业产业规模分别达1.28万亿、1.18万亿、8200亿元。")
    # kept as written, never rescaled (annotation guideline): 1.28万亿 of the list's 元
    assert [(a, u) for _, a, u in got] == [(1.28, "万亿元"), (1.18, "万亿元"), (8200.0, "亿元")]


def test_the_bi_of_a_share_is_no_comparison():
    got = claims("投资结构持续优化，高技术制造业投资增长11.5%，民间投资占比提高2.2个百分点。")
    assert got == [("高技术制造业投资", 11.5, "%"), ("民间投资占比", 2.2, "个百分点")]
    assert claims("民间投资比重提高2.2个百分点。") == [("民间投资比重", 2.2, "个百分点")]


def test_from_to_names_both_figures_after_inner_years_go():
    got = claims("常住人口城镇化率从2020年的53.2%提升到2025年的57.7%。")
    assert got == [("常住人口城镇化率", 53.2, "%"), ("常住人口城镇化率", 57.7, "%")]
    got = claims("2025年外国人来琼工作人数较2020年增长90%。")
    assert got == [("外国人来琼工作人数", 90.0, "%")]  # 较 leaves with the year


def test_footnote_marks_and_top_shares_stay_out_of_the_figures():
    assert claims("2025年四大主导产业［2］占GDP比重较2020年提高约14个百分点。") == [
        ("主导产业占GDP比重", 14.0, "个百分点")]
    assert claims("ESI［5］全球排名前1%的学科数量增长两倍。") == [("ESI全球排名前1%的学科数量", 2.0, "倍")]
    assert claims("新增ESI全球前1‰学科1个、前1%学科24个。") == [
        ("新增ESI全球前1‰学科", 1.0, "个"), ("前1%学科", 24.0, "个")]


def test_a_venue_opening_the_phrase_and_a_count_of_medals():
    text = "在第12届世界运动会上金牌贡献率位居全国第5，在第15届全国运动会上冬夏项目共获得48枚金牌、位列全国第3。"
    doc = extract_text(text, use_model=False, min_confidence=0)
    got = [(c.indicator.name, c.value.amount if c.value else None, [r.position for r in c.ranks]) for c in doc.claims]
    assert got == [("金牌贡献率", None, [5]), ("金牌", 48.0, [3])]


def test_a_bare_league_ranks_the_name_right_before_it():
    doc = extract_text("杂交水稻制种面积连续8年全国第一，深远海养殖规模全国第一。", use_model=False, min_confidence=0)
    assert [(c.indicator.name, [r.position for r in c.ranks]) for c in doc.claims] == [
        ("杂交水稻制种面积", [1]), ("深远海养殖规模", [1])]
    doc = extract_text("规上工业增加值年均增长7%，稀土化合物、功能材料等80多种产品产能全国第一。", use_model=False, min_confidence=0)
    assert [c.ranks for c in doc.claims] == [[]]  # no name of its own: the rank is not the growth's


def test_growth_contribution_rate_is_a_level_and_policy_lists_are_no_claims():
    assert claims("规上高技术制造业对工业增长贡献率达36.5%。") == [("规上高技术制造业对工业增长贡献率", 36.5, "%")]
    assert claims("制定实施稳增长惠民生27条、金融支持民营经济发展12条等政策举措。") == []


def test_a_count_followed_by_a_noun_counts_that_noun():
    assert claims("主动对接首都各类资源，中资环5家二级公司有序展业。") == [("中资环二级公司", 5.0, "家")]
    assert claims("生物医药等重点产业链36项卡点攻关取得突破。") == [("卡点攻关", 36.0, "项")]
    assert claims("今年建设校企联合实验室20个，打通断头路50条。") == [
        ("建设校企联合实验室", 20.0, "个"), ("打通断头路", 50.0, "条")]
    assert claims("有力推进“117项目”司法出清、全面复建。") == []  # 项目 is a noun, not 项
    assert claims("生物医药产值超千亿元。") == [("生物医药产值", 1000.0, "亿元")]


def test_a_respectively_list_of_160_names_longer_than_a_sentence_keeps_every_name_with_its_figure():
    digits = "甲乙丙丁戊己庚辛壬癸"
    names = [f"{digits[i % 10]}{digits[i // 10 % 10]}{digits[i // 100]}产品产量" for i in range(160)]
    rates = [(i % 50) + 1 + (i % 10) / 10 for i in range(160)]
    text = "全年" + "、".join(names) + "分别增长" + "、".join(f"{r:g}%" for r in rates) + "。"
    assert len(text) > 2000
    got = {(c.indicator.name, c.growth.rate) for c in extract_text(text, use_model=False, min_confidence=0).claims}
    assert got == set(zip(names, rates, strict=True))


def test_names_and_figures_that_differ_in_number_give_no_figure_to_a_wrong_name():
    claims = extract_text("工业、服务业增加值分别增长5%、6%、7%。", use_model=False, min_confidence=0).claims
    assert [(c.indicator.name, c.growth.rate) for c in claims] == [("工业、服务业增加值", r) for r in (5, 6, 7)]


def test_three_bare_numbers_of_a_list_share_the_unit_of_the_last():
    doc = extract_text("农村卫生户厕覆盖率、生活污水治理率、生活垃圾处理设施覆盖率分别提高20.9、36.2、54个百分点。",
                       use_model=False)
    got = [(c.indicator.name, c.growth.rate, c.growth.unit) for c in doc.claims]
    assert got == [("农村卫生户厕覆盖率", 20.9, "个百分点"), ("生活污水治理率", 36.2, "个百分点"),
                   ("生活垃圾处理设施覆盖率", 54.0, "个百分点")]


def test_a_count_names_the_item_before_the_mark_when_the_next_item_has_a_figure_of_its_own():
    got = claims("新增1个国家级优势特色产业集群、新入规加工企业20家以上。")
    assert got == [("国家级优势特色产业集群", 1.0, "个"), ("新入规加工企业", 20.0, "家")]
    # the list runs on to the next figure: the count is of both
    assert claims("43所高校、职业院校和538所中小学结对办学。")[0] == ("高校、职业院校", 43.0, "所")


def test_a_benchmark_the_bracket_opens_with_its_place_is_that_places():
    doc = extract_text("在全县经济工作会议上的讲话\n今年全县规上工业增加值同比增长10.2%（全省平均增速为6.8%）。", use_model=False)
    assert [(c.growth.rate, c.subject) for c in doc.claims] == [(10.2, None), (6.8, "全省")]


def test_a_leagues_size_is_no_part_of_its_scope():
    doc = extract_text("全市地区生产总值同比增长5.8%，增速在全省16个市中排第4位。", use_model=False)
    assert [(r.position, r.scope, r.by) for r in doc.claims[0].ranks] == [(4, "全省", "growth")]


def test_a_colon_labels_a_product_but_not_a_way_of_looking_or_a_heading():
    assert claims("钢：从一百三十五万吨增加到四百十二万吨。")[0][0] == "钢"
    assert {c[0] for c in claims("全年全省地区生产总值增长5.5%。分季度看：一季度增长5.2%，二季度增长5.6%。")} \
        == {"地区生产总值"}
    assert claims("主要目标：增长6%左右。") == []


def test_a_bracket_after_a_whole_name_is_a_note_and_the_key_stays():
    doc = extract_text("城镇居民人均可支配收入（扣除价格因素）实际增长5%。新增高速（一级）公路2600公里。",
                       use_model=False)
    got = [(c.indicator.name, c.indicator.canonical) for c in doc.claims]
    assert got == [("城镇居民人均可支配收入", "urban_income"), ("新增高速（一级）公路", None)]


def test_a_bare_head_in_a_detail_sentence_takes_the_measure_of_the_sentence_before():
    from zhibiao import extract_text

    doc = extract_text("一季度，全县规模以上工业企业完成增加值15.04亿元，增长15.2%。其中，3月份当月完成增加值5.61亿元，增长16.0%。",
                       use_model=False)
    assert [c.indicator.name for c in doc.claims] == ["规模以上工业企业增加值"] * 2
    doc = extract_text("工业增加值增长5%。服务业支撑作用更加明显，增加值跨上3万亿元台阶。", use_model=False)
    assert doc.claims[-1].indicator.name != "工业增加值"  # no detail sentence: not the sentence before's


def test_the_own_level_follows_the_documents_name_not_the_benchmark_said_most():
    from zhibiao import extract_text

    doc = extract_text("2022年仁寿县政府工作报告\n初步核算，全县实现地区生产总值560.3亿元，增长8.6%，高于全省0.4个百分点。"
                       "全省增长8.2%。全省增速居全国第5位。\n", use_model=False)
    assert doc.claims[0].subject is None  # 全县 is the county's own
    doc = extract_text("2022年全镇一般公共预算收入决算数为38652417.36元。年末全镇户籍人口7.86万人。", use_model=False)
    assert [c.subject for c in doc.claims] == [None, None]  # 年全镇, 年末全镇 are no towns
