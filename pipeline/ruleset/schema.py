"""The shape of every rule file, checked at load time with errors that name file and line."""

from __future__ import annotations

from typing import Any

_STR_LIST = {"type": "array", "items": {"type": "string"}}
_EXAMPLES = {"type": "array", "items": {"type": ["object", "string"]}}
_SECTION = {"type": "object", "properties": {"id": {"type": "string"}, "examples": _EXAMPLES,
                                             "negatives": _EXAMPLES}}

SCHEMAS: dict[str, dict[str, Any]] = {
    "figures": {
        "type": "object", "required": ["version", "units", "qualifiers", "masks"],
        "properties": {
            "units": {"type": "object", "minProperties": 1, "additionalProperties": {
                "type": "array", "prefixItems": [{"type": "string"}, {"type": "number"},
                                                 {"enum": ["money", "rate", "count", "measure", "scale"]}],
                "minItems": 3, "maxItems": 3}},
            "scaled_units": _STR_LIST,
            "bare_scale_after": _STR_LIST,
            "unit_not_followed_by": {"type": "object", "additionalProperties": {"type": "string"}},
            "qualifiers": {"type": "object", "required": ["before", "between", "after"]},
            "masks": {"type": "string"}, "examples": _EXAMPLES, "negatives": _EXAMPLES}},
    "cues": {
        "type": "object",
        "required": ["version", "growth", "comparison", "rank", "kind", "period", "subject", "indicator_phrase"],
        "properties": {
            "growth": {**_SECTION, "required": ["positive", "negative", "not_before", "to_level"],
                       "properties": {"positive": _STR_LIST, "negative": _STR_LIST}},
            "rank": {**_SECTION, "required": ["pattern", "cues", "by_growth", "by_value", "scope"]},
            "kind": {**_SECTION, "required": ["forecast", "target", "target_near", "modal", "past", "lead"]},
            "period": {**_SECTION, "required": ["pattern"]},
            "indicator_phrase": {**_SECTION, "required": ["strip_head", "strip_tail", "stop"]}}},
    "indicators": {
        "type": "object", "required": ["version", "indicators"],
        "properties": {"indicators": {"type": "array", "items": {
            "type": "object", "required": ["key", "names"], "additionalProperties": False,
            "properties": {"key": {"type": "string", "pattern": "^[a-z0-9_]+$"},
                           "names": {**_STR_LIST, "minItems": 1}}}}}},
    "exclusions": {
        "type": "object", "required": ["version", "counted_nouns", "threshold_attributes", "rate_attributes"],
        "properties": {"denominators": {**_SECTION, "required": ["before"]},
                       "rate_attributes": {**_SECTION, "required": ["patterns"]},
                       "threshold_attributes": {**_SECTION, "required": ["qualifiers", "before", "unit_kinds", "noun_after", "not_noun"]},
                       "counted_nouns": {**_SECTION, "required": ["nouns", "window"],
                                         "properties": {"nouns": _STR_LIST, "window": {"type": "integer"}}}}},
    "linking": {
        "type": "object", "required": ["version", "strategies"], "additionalProperties": False,
        "properties": {"version": {"const": 1}, "strategies": {"type": "array", "items": {
            "type": "object", "required": ["id", "examples"], "additionalProperties": False,
            "properties": {"id": {"type": "string", "pattern": "^link\\.[a-z_]+$"},
                           "examples": {"type": "array", "minItems": 1, "items": {
                               "type": "object", "required": ["text", "indicator"],
                               "additionalProperties": False,
                               "properties": {"text": {"type": "string"}, "indicator": {"type": "string"}}}},
                           "negatives": {"type": "array", "items": {"type": "string"}}}}}}},
    "normalize": {
        "type": "object", "required": ["version", "boilerplate", "pinyin_gloss", "star_brackets", "taiwan_phrases"],
        "properties": {"boilerplate": {**_SECTION, "required": ["line_patterns", "inline_patterns"]},
                       "taiwan_phrases": {**_SECTION, "required": ["telltales", "replace", "min_telltales"]}}},
}


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
