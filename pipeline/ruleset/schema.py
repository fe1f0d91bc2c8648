"""The shape of every rule file, checked at load time with errors that name file and line.

Every section is closed (an unknown key such as a misspelled ``exampels`` is an error), and
the schema marks which strings are regular expressions (``PATTERN``): the loader expands
their ``{fragment}`` references (``rules/vocabulary.yaml``) and compiles every one of them
at load, so a broken pattern fails at start with ``rules/FILE.yaml:LINE``.
"""

from __future__ import annotations

from typing import Any

PATTERN: dict[str, Any] = {"type": "string", "x-pattern": True}
PATTERNS: dict[str, Any] = {"type": "array", "items": PATTERN}
WORDS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
WORD_MAP: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "string"}}
CASES: dict[str, Any] = {"type": "array", "items": {"type": ["object", "string"]}}
INT: dict[str, Any] = {"type": "integer"}
INT_MAP: dict[str, Any] = {"type": "object", "additionalProperties": INT}  # 十: 10
WORD: dict[str, Any] = {"type": "string"}
VERSION: dict[str, Any] = {"const": 1}
UNIT_CLASS: dict[str, Any] = {"enum": ["amount", "rate", "share", "count", "index", "price_change"]}
GENRES = ("work_report", "budget_report", "plan", "plan_report", "statistical_communique",
          "statistics_release", "speech", "news", "other")  # output-format.md ``genre``


def section(required: list[str], **props: Any) -> dict[str, Any]:
    """A rule: an ``id``, its data (``props``), its examples and near-miss negatives."""
    return {"type": "object", "additionalProperties": False, "required": ["id", *required],
            "properties": {"id": {"type": "string"}, "examples": CASES, "negatives": CASES, **props}}


def closed(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": required, "properties": props}


UNIT = {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"},
                                         {"enum": ["money", "rate", "count", "measure", "scale"]}],
        "minItems": 3, "maxItems": 3}

SCHEMAS: dict[str, dict[str, Any]] = {
    "vocabulary": closed(["version", "fragments"], version=VERSION, fragments={
        "type": "object", "propertyNames": {"pattern": "^[a-z_]+$"}, "additionalProperties": PATTERN}),
    "figures": closed(
        ["version", "id", "units", "qualifiers", "masks"], version=VERSION, id={"type": "string"},
        units={"type": "object", "minProperties": 1, "additionalProperties": UNIT},
        scaled_units=WORDS, bare_scale_after=WORDS, scale_counts=section(["people"], people=PATTERN, person_times=PATTERN),
        spoken_scale=PATTERN,
        numerals=closed(["digits", "multipliers", "scales", "point", "percent_of", "range_words", "money_units",
                         "not_after", "number_before"],
                        digits=INT_MAP, multipliers=INT_MAP, scales=INT_MAP, point=WORD, percent_of=WORD,
                        range_words=WORDS, money_units=WORDS, not_after=PATTERN, number_before=PATTERN),
        unit_not_followed_by={"type": "object", "additionalProperties": PATTERN},
        qualifiers=closed(["before", "between", "after"], before=WORD_MAP, between=WORD_MAP, after=WORD_MAP),
        masks=PATTERN, examples=CASES, negatives=CASES,
        mask_forms=section(["not_mask"], not_mask=PATTERN),
        blank_masks=section(["after"], after=PATTERN, not_units=WORDS),
        lost_units=section(["after", "unit"], after=PATTERN, unit={"type": "string"}),
        compound_units=section(["per", "alternative"], per=WORDS, alternative=PATTERN, per_followed_by=PATTERN,
                               per_before=PATTERN),
        tables=section(["unit_line", "header_unit", "growth_header", "share_header", "row_drop", "cell", "min_rows"],
                       unit_line=PATTERN, header_unit=PATTERN, growth_header=PATTERN, share_header=PATTERN,
                       row_drop=PATTERN, cell=PATTERN, min_rows=INT, rows=section([]), period_header=PATTERN,
                       flat_head=PATTERN, unit_header=PATTERN, cumulative_header=PATTERN,
                       cell_qualifiers=WORD_MAP, goal_header=PATTERN, category_header=PATTERN,
                       budget_header=PATTERN, completion_header=PATTERN)),
    "cues": closed(
        ["version", "growth", "comparison", "rank", "kind", "period", "subject", "indicator_phrase"],
        version=VERSION,
        growth=section(["positive", "negative", "not_before", "to_level"], positive=WORDS, negative=WORDS,
                       not_before=PATTERN, to_level=PATTERN, decline_change=PATTERN,
                       multiple=PATTERN, rate_level=PATTERN, rate_from=PATTERN, growth_after=PATTERN, growth_after_verb=PATTERN),
        comparison=section(["cues", "negative"], cues=WORDS, negative=WORDS, bounds=WORD_MAP,
                           bound_not_after=PATTERN),
        rank=section(["pattern", "cues", "by_growth", "by_value", "scope"], pattern=PATTERN, cues=PATTERN,
                     leagues=WORDS, by_growth=WORDS, by_value=WORDS, scope=PATTERN),
        kind=section(["forecast", "goal_compare", "target", "target_near", "modal", "done", "completion", "lead"],
                     forecast=WORDS, goal_compare=PATTERN, target_near=PATTERN, target=PATTERN, modal=PATTERN, continues=PATTERN,
                     done=PATTERN, completion=PATTERN, budget_figure=PATTERN, lead=PATTERN, lead_in_review=PATTERN, lead_reach=INT,
                     done_in_review=PATTERN, strive=PATTERN, base_before=PATTERN, base_after=PATTERN,
                     forecast_lead=PATTERN, plan_heading=PATTERN, review_heading=PATTERN,
                     review_opening=PATTERN, plan_opening=PATTERN, past_period=PATTERN, actual_genres=WORDS, target_genres=WORDS,
                     plan_year_genres=WORDS),
        horizon=section(["average", "cumulative", "span"], average=PATTERN, cumulative=PATTERN, span=PATTERN),
        kind_rules={"type": "array", "items": closed(["id", "examples"], id={"type": "string", "pattern": r"^kind\.[a-z_]+$"},
                                                         examples=CASES, negatives=CASES)},
        period=section(["pattern"], pattern=PATTERN, context_lead=PATTERN, local_only=PATTERN,
                       carried_local=PATTERN, event=PATTERN, to_date=PATTERN, part_of_year=PATTERN, since=PATTERN,
                       point_of_year=PATTERN),
        calendar=section(["spans", "deictic", "months", "plan", "plan_end", "past_years"],
                         spans={"type": "object", "additionalProperties": {
                             "type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12},
                             "minItems": 2, "maxItems": 2}},
                         deictic={"type": "object", "additionalProperties": {"type": "integer"}},
                         months=PATTERN, plan=PATTERN, plan_end=PATTERN, past_years=PATTERN, year_span=PATTERN,
                         one_past_year=PATTERN,
                         next_years=PATTERN),
        subject=section(["jurisdictions", "speaker_level"], jurisdictions=WORD_MAP, speaker_level=PATTERN),
        sections=section(["heading", "top_heading", "short_line"], heading=PATTERN, top_heading=PATTERN,
                         short_line=INT),
        indicator_phrase=section(
            ["strip_head", "strip_tail", "stop"], strip_head=WORDS, strip_tail=WORDS, drop_inside=PATTERNS,
            parallel_words=WORDS, list_heads=WORDS, list_whole_ends=WORDS, locatives=WORDS,
            duration_tail=PATTERN, enumerator_head=PATTERN, venue_head=PATTERN, basis_head=PATTERN, min_chars=INT, max_chars=INT,
            single_products=WORDS, stop=WORDS, refers_back=PATTERN, count_verbs=WORDS),
        roles=closed(
            ["list_sep", "point_units", "growth_single_tail", "comparison_tail", "jurisdiction_before", "bi_gap",
             "gap_negative", "basis", "compared", "compared_before", "goal_after", "average_after", "threshold",
             "list_end", "count_label", "of_count", "league_verb", "rank_list_marks", "scope_strong",
             "bare_list_item", "price_base_after", "from_words", "to_level"],
            list_sep=PATTERN, point_units=WORDS, growth_single_tail=PATTERN, comparison_tail=PATTERN,
            jurisdiction_before=PATTERN, benchmark_list=PATTERN, bi_gap=PATTERN, gap_negative=WORDS, basis=WORD_MAP, compared=PATTERN,
            compared_before=WORDS, goal_after=PATTERN, average_after=PATTERN, threshold=PATTERN, threshold_counts=WORDS,
            list_end=PATTERN, count_label=PATTERN, of_count=PATTERN, league_verb=PATTERN,
            rank_list_marks=WORDS, scope_strong=WORD, bare_list_item=PATTERN, price_base_after=PATTERN, multiple_base_after=PATTERN, decided_after=PATTERN,
            from_words=WORDS, to_level=PATTERN)),
    "indicators": closed(
        ["version", "lexicon", "matching", "name_test", "measures", "indicators"], version=VERSION, examples=CASES,
        negatives=CASES,
        lexicon={**WORDS, "minItems": 1},
        matching=section(["before", "after", "skip_inside"], before=PATTERN, after=PATTERN, skip_inside=PATTERN),
        name_test=section(["strip_head", "strip_tail", "reject", "min_chars", "bare_heads", "leans",
                           "subject_verb", "not_subject", "industries_together", "industry_without_di"],
                          strip_head=PATTERN, strip_tail=PATTERN, reject=PATTERN, min_chars=INT,
                          bare_heads=WORDS, leans=PATTERN, lean_back=PATTERN, lean_skip=PATTERN, budget_tail=PATTERN, inner_verb=PATTERN, lean_keep=WORDS, subject_verb=PATTERN, not_subject=PATTERN,
                          industries_together=PATTERN, industry_without_di=PATTERN, bare_industry=PATTERN,
                          industry_measures={"type": "object", "additionalProperties": PATTERN}),
        measures=section(["list", "physical_unit"], physical_unit=PATTERN, list={"type": "array", "items": closed(
            ["key", "zh", "en", "unit", "after"], key={"type": "string", "pattern": "^[a-z0-9_]+$"},
            zh={"type": "string"}, en={"type": "string"}, unit=UNIT_CLASS, after=PATTERN)}),
        indicators={"type": "array", "items": closed(
            ["key", "zh", "en", "unit", "names"], key={"type": "string", "pattern": "^[a-z0-9_]+$"},
            zh={"type": "string"}, en={"type": "string"}, unit=UNIT_CLASS,
            names={**WORDS, "minItems": 1}, bare=WORDS,
            derived={"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9_]+\\.[a-z0-9_]+$"}},
            of=PATTERN)}),
    "exclusions": closed(
        ["version", "counted_nouns", "threshold_attributes", "rate_attributes"], version=VERSION,
        counted_nouns=section(["nouns", "window"], nouns=WORDS, window=INT),
        threshold_attributes=section(["qualifiers", "before", "unit_kinds", "noun_after", "not_noun"],
                                     qualifiers=WORDS, before=PATTERN, unit_kinds=WORDS, noun_after=PATTERN,
                                     not_noun=PATTERN),
        denominators=section(["before"], before=PATTERN),
        quoted_labels=section(["pattern"], pattern=PATTERN),
        rate_attributes=section(["patterns"], patterns={"type": "array", "items": closed(
            ["before", "after"], before=PATTERN, after=PATTERN)}),
        count_contexts=section(["patterns"], patterns={"type": "array", "items": closed(
            ["before", "after"], before=PATTERN, after=PATTERN, figure=PATTERN)})),
    "normalize": closed(
        ["version", "boilerplate", "page_furniture", "line_joins", "pinyin_gloss", "star_brackets",
         "taiwan_phrases"], version=VERSION,
        boilerplate=section(["line_patterns", "inline_patterns"], line_patterns=PATTERNS,
                            inline_patterns=PATTERNS),
        page_furniture=section(["line_patterns"], line_patterns=PATTERNS),
        line_joins=section(["sentence_end", "heading", "short_line", "number_before", "number_after"],
                           sentence_end=PATTERN, heading=PATTERN, short_line=INT, number_before=PATTERN,
                           number_after=PATTERN, verb_figure=PATTERN),
        pinyin_gloss=section(["pattern"], pattern=PATTERN),
        footnote_marks=section(["pattern"], pattern=PATTERN),
        space_columns=section(["row", "gap"], row=PATTERN, gap=PATTERN, flat_head=PATTERN, flat_row=PATTERN),
        decimal_marks=section(["pattern", "replace"], pattern=PATTERN, replace=WORD_MAP),
        html_cells=section(["row", "drop", "cell_open"], row=PATTERN, drop=PATTERN, cell_open=PATTERN),
        line_cells=section(["head", "unit", "cell", "name"], head=PATTERN, unit=PATTERN, cell=PATTERN, name=PATTERN),
        tab_cells=section(["row"], row=PATTERN),
        star_brackets=section(["pattern"], pattern=PATTERN),
        taiwan_phrases=section(["telltales", "replace", "min_telltales"], min_telltales=INT, telltales=WORDS,
                               replace=WORD_MAP)),
    "document": closed(
        ["version", "title", "date", "jurisdiction"], version=VERSION,
        title=section(["skip", "cue", "max_chars", "lines"], skip=PATTERN, cue=PATTERN, max_chars=INT, lines=INT,
                      body_start=PATTERN),
        genre=section(["min_score", "cues"], min_score=INT, cues={"type": "array", "items": closed(
            ["genre", "where", "weight", "pattern"],
            genre={"enum": list(GENRES)}, where={"enum": ["title", "head", "body"]}, weight=INT,
            pattern=PATTERN)}),
        date=section(["title_year", "two_years", "year_after", "title_plan", "published", "stamp", "dateline",
                      "report", "review_year", "filename_year", "mentioned_year"],
                     title_year=PATTERN, two_years=PATTERN, year_after=PATTERN, title_plan=PATTERN,
                     published=PATTERN, stamp=PATTERN, dateline=PATTERN, report=PATTERN,
                     review_year=PATTERN, filename_year=PATTERN, mentioned_year=PATTERN),
        jurisdiction=section(["named", "masked", "national", "levels", "municipalities", "speaker_levels"],
                             named=PATTERN, masked=PATTERN, national=PATTERN, place_cue=PATTERN, place_before=PATTERN, levels=WORD_MAP,
                             municipalities=WORDS, speaker_levels=WORD_MAP,
                             subject_words=closed(["national", "own"], national=WORDS, own=PATTERN))),
    "linking": closed(
        ["version", "strategies"], version=VERSION,
        patterns={"type": "object", "additionalProperties": PATTERN},
        words=closed(["respectively", "each", "share", "etc", "of"],
                     respectively={"type": "string"}, each={"type": "string"}, share={"type": "string"},
                     etc={"type": "string"}, of={"type": "string"}),
        counterparts=WORD_MAP,
        derived_names=closed(["completion", "change_of", "share_of", "contribution_to"], completion=WORD_MAP,
                             change_of=WORD_MAP,
                             share_of={**WORDS, "minItems": 2, "maxItems": 2},
                             contribution_to={**WORDS, "minItems": 2, "maxItems": 2}),
        pairs={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"},
                                                          "minItems": 2, "maxItems": 2}},
        strategies={"type": "array", "items": closed(
            ["id", "examples"], id={"type": "string", "pattern": r"^link\.[a-z_]+$"},
            examples={"type": "array", "minItems": 1, "items": closed(
                ["text", "indicator"], text={"type": "string"}, indicator={"type": "string"},
                kept={"type": "boolean"}, subject={"type": "string"})},
            negatives={"type": "array", "items": {"type": "string"}})}),
}


def pattern_paths(schema: dict[str, Any], data: Any, path: list | None = None):
    """(path, string) of every value the schema marks as a pattern."""
    path = path or []
    if schema.get("x-pattern"):
        if isinstance(data, str):
            yield path, data
        return
    if isinstance(data, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for k, v in data.items():
            sub = props.get(k, extra if isinstance(extra, dict) else None)
            if sub:
                yield from pattern_paths(sub, v, path + [k])
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for i, v in enumerate(data):
            yield from pattern_paths(schema["items"], v, path + [i])


def line_of(text: str, path: list[Any]) -> int | None:
    """1-based line of the YAML node at ``path`` (keys and list indices), as far as it exists."""
    import yaml

    node = yaml.compose(text)
    line = node.start_mark.line + 1 if node else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            nxt = node.value[step]
        else:
            nxt = None
        if nxt is None:
            break
        node, line = nxt, nxt.start_mark.line + 1
    return line
