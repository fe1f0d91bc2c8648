"""Lists of names that share a head: 工业、服务业增加值 -> 工业增加值, 服务业增加值."""

from __future__ import annotations

import functools

import regex

from ..grammar.figures import HAN, cues
from ..ruleset.load import load_rules
from ..text.segment import base_words, is_word, tokenizer
from .phrases import phrase_rules, split_conj, word

_SHORT_HEAD = 5  # a longer tail is more than a head: 规上制造业、工业战略性新兴产业增加值


def _bounds(words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each word in the text the words join into."""
    out, at = [], 0
    for w in words:
        out.append((at, at + len(w)))
        at += len(w)
    return out


def _cuts(spans: list[tuple[int, int]], text: str, i: int, left: int = 2) -> bool:
    """``text`` may be cut at ``i``: between two of its words, or inside one that is two
    words itself (出口|总额, 第三|产业; not 天然|气), the left one at least ``left`` long."""
    for a, b in spans:
        if a == i:
            return True
        if a < i < b:
            return i - a >= left and b - i >= 2 and is_word(text[a:i]) and is_word(text[i:b])
    return False


def _measure_tail(last: str, spans: list[tuple[int, int]]) -> str:
    """The measure words that end ``last`` (产量, 增加值, 产量占比…), cut at a word boundary;
    none in a share of something (…增加值占规模以上工业增加值比重)."""
    if word("share") in last:
        return ""
    heads = phrase_rules()["list_heads"]
    i = len(last)
    while True:
        h = next((h for h in heads if last.endswith(h, 0, i) and i - len(h) > 0), None)
        if h is None or not _cuts(spans, last, i - len(h)):
            break
        i -= len(h)
    return last[i:] if i < len(last) else ""


@functools.cache
def _industry_item() -> regex.Pattern:
    """A numbered industry (二产业): rules/indicators.yaml name_test.industry_without_di."""
    return regex.compile(load_rules("indicators")["name_test"]["industry_without_di"])


def _head_for(p: str, last: str, spans: list[tuple[int, int]], short_items: bool) -> str:
    """The head that item ``p`` of a list shares with the list's last name ``last``;
    ``short_items``: every item of the list is a short noun (a measure word may be shared)."""
    pr = phrase_rules()
    w, tail = last[:len(p)], last[len(p):]
    if len(p) == 1 and _industry_item().match(p + tail):  # 一、二、三产业对经济的贡献率: 一产业…
        return tail
    # w a word, or a name jieba does not know (北|交|所): 科创板、北交所上市公司数量
    known = is_word(w) or all(b - a == 1 for a, b in spans if b <= len(p))
    if len(p) <= 5 and known and len(HAN.findall(tail)) >= 2 \
            and not is_word(p + tail[:1]) and _cuts(spans, last, len(p), min(2, len(p))):
        return tail  # items of one length: 城镇、农村居民人均可支配收入; 进口、出口总额
    if len(p) <= 8 and p[0] == w[0] and p[-1] == w[-1] and 2 <= len(HAN.findall(tail)) <= _SHORT_HEAD:
        return tail  # 基本养老保险、基本医疗保险参保率
    if p[-1] in pr["whole_ends"] or any(p.endswith(h) for h in pr["list_heads"]):
        return ""  # a whole name already: 一般公共预算收入、税收收入; 事故起数、死亡人数
    share = last.find(word("share"))
    for _, i in spans[:-1]:  # items ending alike: 装备制造业、高技术制造业增加值
        tail = last[i:]
        if last[i - 1] != p[-1] or last[:i] == p:
            continue
        if 0 < i <= share:  # a share: the whole of it (先进制造业、高技术制造业增加值占…比重)
            return tail
        if share < 0 and 2 <= len(HAN.findall(tail)) <= _SHORT_HEAD:
            return tail
    tail = _measure_tail(last, spans) if short_items else ""
    if len(HAN.findall(tail)) >= 2:
        return tail  # a measure word: 原油、天然气产量; 集成电路、工业机器人产量
    return ""


def share_head(parts: list[str]) -> list[str]:
    """Parallel modifiers share the last name's head: 城镇和农村居民人均可支配收入 ->
    城镇居民人均可支配收入, 农村…; 食品、石化等产业增加值 -> 食品产业增加值, 石化产业增加值;
    原油、天然气产量 -> 原油产量, 天然气产量 (see ``_head_for``). An item that is a name of
    the lexicon takes the head only when that makes another lexicon name: 工业、服务业增加值
    -> 工业增加值, but GDP、一般公共预算收入 stays."""
    words = tokenizer()(parts[-1])
    etc = word("etc")
    last = "".join(w for w in words if w != etc) if etc in words[1:-1] else parts[-1]
    spans = _bounds(base_words(last))
    short_items = all(len(p) <= 6 for p in parts[:-1])  # a long item is a name of its own
    out = []
    industry = _INDUSTRY_LAST.match(last)
    for p in parts[:-1]:
        if industry and _INDUSTRY_ALONE.fullmatch(p):  # 第一、二、三产业增加值: 第一产业增加值
            out.append(p + industry.group("head"))
            continue
        name = p + _head_for(p, last, spans, short_items)
        out.append(p if p in cues().canon and name not in cues().canon else name)
    return out + [last]


_INDUSTRY_LAST = regex.compile(r"第?[一二三](?P<head>产业.+)")
_INDUSTRY_ALONE = regex.compile(r"第?[一二三]")


def split_items(head: str, k: int) -> list[str]:
    """The names of a list of ``k``: split at 、和及与, or at 、 alone when that gives k
    (金融业、软件和信息服务业增加值)."""
    parts = split_conj(head)
    if len(parts) != k and "、" in head:
        alone = [p for p in head.split("、") if p]
        if len(alone) == k:
            return alone
    return parts


def share_both(parts: list[str]) -> list[str]:
    """Two names that share the first one's modifier and the last one's head:
    非化石能源发电量、用电量占比 -> 非化石能源发电量占比, 非化石能源用电量占比. The last name
    opens with a word as long as the first name's last word and ending in the same character
    (发电量 / 用电量); otherwise the parts go to ``share_head``."""
    if len(parts) != 2:
        return share_head(parts)
    a, b = parts
    words = tokenizer()(b)
    item = words[0] if len(words) >= 2 else ""
    head = b[len(item):]
    mine = a[-len(item):] if item else ""
    if len(item) < 2 or len(a) < len(item) + 2 or mine == item or mine[-1] != item[-1] \
            or not is_word(mine) or len(HAN.findall(head)) < 2:
        return share_head(parts)
    return [a + head, a[:-len(item)] + b]
