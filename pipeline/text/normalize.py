"""Working text for the rules: cleaned, simplified, with an exact map back.

Steps, in order: half-width digits and punctuation (1:1), traditional to simplified
with OpenCC ``t2s`` (1:1), site boilerplate, page furniture, pinyin glosses, stray spaces,
line breaks inside a word or a figure, lost brackets written as ``***``, and Taiwan
phrasing where the document shows it.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re

import opencc
import regex

from ..ruleset.load import load_rules
from .cells import html_cells, line_cells, tab_cells
from .gate import may_match
from .offsets import OffsetText
from .rx import HOLD

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_FULLWIDTH.update({"％": "%", "．": ".", "＊": "*", "／": "/", "＋": "+", "－": "-", "～": "~",
                   "\u00a0": " ", "\u3000": " ", "\t": " ", "\r": "\n", "\u2212": "-"})
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)
# the characters the table maps: few in a page, so a scan in C and a call per one found beats
# str.translate, which looks every character of a Chinese text up in the table (20x slower)
_FULLWIDTH_RE = re.compile("[" + re.escape("".join(sorted(_FULLWIDTH))) + "]")
_ASCII_PUNCT = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_PUNCT_RE = regex.compile(r"[,;:()?!]")
_SPACE_RE = regex.compile(r"[ ]+")
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HAN_RE = regex.compile(r"\p{Han}")
# control characters, and invisible format characters and combining marks (4\u20602, 4\u03012):
# dropped from the working text, so that a number they sit in reads as one number
_CONTROL_RE = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\p{Cf}\p{Mn}\p{Me}]+")
# １，２３４ and 1，484万辆: a full-width comma between a group of 1-3 digits and groups of
# exactly three groups thousands (national reports write 10，600万吨); a decimal before it
# (增长7.8，234家), a growth verb (增长15，234家: a rate whose % was lost) or a longer group
# after it is a clause break
_FW_THOUSANDS = regex.compile(r"(?<![０-９\d.．])(?:[０-９]{1,3}(?:，[０-９]{3})+|"
                              r"(?<!增长|下降|提高|降低|回落|上升|下滑|增|降)\d{1,3}(?:，\d{3})+)(?![０-９\d.．])")


_FW_GROUP = regex.compile(r"，\d{3}")


def _thousands(text: str) -> str:
    """``_FW_THOUSANDS`` matches with their full-width commas made ASCII (１，２３４ -> １,２３４).
    A match starts one to three digits before its first ，ddd group, so only those
    positions are tried (the same matches as a scan of every position, found faster)."""
    tries = sorted({s for m in _FW_GROUP.finditer(text) for s in range(max(0, m.start() - 3), m.start())})
    out, last = [], 0
    for s in tries:
        if s < last:
            continue
        m = _FW_THOUSANDS.match(text, s)
        if m:
            out += [text[last:s], m.group(0).replace("，", ",")]
            last = m.end()
    return "".join(out) + text[last:] if out else text


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


class AnyOf:
    """Patterns of which ``search`` says whether any is found, as a search of their alternation
    (``(?:a)|(?:b)``) would, but faster: a pattern with an inline flag (``(?i)copyright``) is
    searched on its own, since in the alternation it made every position slow (three times
    slower on report lines); the others stay one alternation.

        >>> AnyOf(["版权所有", "(?i)copyright"]).search("COPYRIGHT 2026")
        True
    """

    def __init__(self, patterns: list[str]) -> None:
        alone = [p for p in patterns if "(?" in p.replace("(?:", "") or regex.search(r"\\\d", p)]
        rest = [p for p in patterns if p not in alone]
        self.patterns = [regex.compile(p) for p in alone]
        if rest:
            self.patterns.insert(0, regex.compile("|".join(f"(?:{p})" for p in rest)))

    def search(self, text: str) -> bool:
        return any(p.search(text, None, None, HOLD) for p in self.patterns)


@functools.lru_cache(maxsize=1)
def _compiled() -> dict:
    r = load_rules("normalize")
    bp = r["boilerplate"]
    tw = r["taiwan_phrases"]
    reps = tw["replace"]
    return {
        "line": AnyOf(bp["line_patterns"]),
        "inline": regex.compile("|".join(f"(?:{p})" for p in bp["inline_patterns"])),
        "pinyin": regex.compile(r["pinyin_gloss"]["pattern"]),
        "footnotes": regex.compile(r["footnote_marks"]["pattern"]),
        "stars": regex.compile(r["star_brackets"]["pattern"]),
        "decimal": regex.compile(r["decimal_marks"]["pattern"]),
        "space_row": regex.compile(r["space_columns"]["row"]),
        "space_gap": regex.compile(r["space_columns"]["gap"]),
        "flat_head": regex.compile(r["space_columns"]["flat_head"]),
        "flat_row": regex.compile(r["space_columns"]["flat_row"]),
        "decimal_map": r["decimal_marks"]["replace"],
        "telltales": regex.compile("|".join(map(regex.escape, tw["telltales"]))),
        "min_telltales": int(tw["min_telltales"]),
        "taiwan": regex.compile("|".join(map(regex.escape, sorted(reps, key=len, reverse=True)))),
        "taiwan_map": reps,
        "furniture": regex.compile("|".join(f"(?:{p})" for p in r["page_furniture"]["line_patterns"])),
        # read backwards: the pattern ends with $, and a forward search tries every 。 of the line
        "sentence_end": regex.compile(r["line_joins"]["sentence_end"], regex.REVERSE),
        "heading": regex.compile(r["line_joins"]["heading"]),
        "short_line": int(r["line_joins"]["short_line"]),
        "number_before": regex.compile(r["line_joins"]["number_before"]),
        "number_after": regex.compile(r["line_joins"]["number_after"]),
        "verb_figure": regex.compile(r["line_joins"].get("verb_figure", "(?!)")),
        "unit_after": regex.compile("|".join(map(regex.escape, sorted(
            load_rules("figures")["units"], key=len, reverse=True)))),
    }


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def _fullwidth_char(m: re.Match) -> str:
    return _FULLWIDTH[m.group()]


def halfwidth(text: str) -> str:
    """Full-width digits, letters, ％ to ASCII; ASCII clause punctuation to CJK (1:1).

    Lone surrogates (possible through the API, never from a decoded file) become U+FFFD.
    """
    text = _thousands(text)
    text = _FULLWIDTH_RE.sub(_fullwidth_char, text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)

    def punct(m: regex.Match) -> str:
        i = m.start()
        ch = m.group(0)
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in ",:" and before in _ASCII_ALNUM and after in _ASCII_ALNUM:
            return ch  # 1,234 or 3.5:49.0 or http://
        if ch == ":" and after == "/":
            return ch
        return _ASCII_PUNCT[ch]

    return _PUNCT_RE.sub(punct, text)


def to_simplified(text: str) -> str:
    """OpenCC t2s, guaranteed length-preserving (falls back line by line, then by char)."""
    conv = _t2s().convert
    out = conv(text)
    if len(out) == len(text):
        return out
    lines = []
    for line in text.split("\n"):
        c = conv(line)
        lines.append(c if len(c) == len(line) else "".join(
            (x if len(x := conv(ch)) == 1 else ch) for ch in line))
    return "\n".join(lines)


def detect_script(original: str, simplified: str) -> str:
    """``simplified``, ``traditional`` or ``mixed`` by the share of changed Han characters
    (a text OpenCC left as it was is simplified, whatever its Han characters)."""
    head, simp = original[:20000], simplified[:20000]
    if head == simp:
        return "simplified"
    changed = _changed(head, simp)
    # Han characters counted no further than 101 per change: past that the share is below 0.01
    han = sum(1 for _ in itertools.islice(_HAN_RE.finditer(head), 101 * changed))
    if not han:
        return "simplified"
    share = changed / han
    return "traditional" if share > 0.08 else "mixed" if share > 0.01 else "simplified"


def _changed(a: str, b: str) -> int:
    """How many positions of ``a`` and ``b`` (up to the shorter's end) hold other characters:
    equal halves are skipped by comparing them whole (a page OpenCC changes in 1-3 places
    is compared in a few dozen slices, not 20,000 characters one by one)."""
    n, stack = 0, [(0, min(len(a), len(b)))]
    while stack:
        lo, hi = stack.pop()
        if a[lo:hi] == b[lo:hi]:
            continue
        if hi - lo <= 64:
            n += sum(map(operator.ne, a[lo:hi], b[lo:hi]))
            continue
        mid = (lo + hi) // 2
        stack += [(lo, mid), (mid, hi)]
    return n


def drop_boilerplate(ot: OffsetText) -> OffsetText:
    """Delete site furniture lines (keeping the newline) and inline paywall inserts."""
    c = _compiled()
    edits = []
    pos = 0
    text = ot.text
    for line in text.split("\n"):
        end = pos + len(line)
        inline = list(c["inline"].finditer(line)) if line else []
        rest = c["inline"].sub("", line) if inline else line
        if rest and c["line"].search(rest):
            edits.append((pos, end, ""))
        else:
            edits.extend((pos + m.start(), pos + m.end(), "") for m in inline)
        pos = end + 1
    return ot.apply(edits) if edits else ot


_BREAK_RE = regex.compile(r"\n[\n ]*")


def _furniture_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive furniture lines, the break before included."""
    fur = _compiled()["furniture"]
    runs: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip() and fur.fullmatch(line.strip(), None, None, HOLD):
            start = max(pos - 1, 0)
            if runs and runs[-1][1] == start:
                start = runs.pop()[0]
            runs.append((start, end))
        pos = end + 1
    return runs


def drop_page_furniture(ot: OffsetText) -> OffsetText:
    """Delete page furniture lines (第3页共21页, - 3 -, 仅展示600字，全文共8000字) with the
    break before them; when the page break split a sentence (the line before reads on,
    ``_may_join``: a page is full, so even a short line reads on), the break after them
    too: the text before and after joins."""
    text = ot.text
    edits = []
    for a, b in _furniture_runs(text):
        joins = b < len(text) and _may_join(_line_before(text, a), _line_after(text, b + 1))
        edits.append((a, b + 1 if joins else b, ""))
    return ot.apply(edits) if edits else ot


def _line_before(text: str, at: int) -> str:
    return text[text.rfind("\n", 0, at) + 1:at]


def _line_after(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[at:end if end >= 0 else len(text)]


def _splits_figure(before: str, after: str, short: bool = False) -> bool:
    """2.7|5%, 7|232亿元, 26.473|亿元, 8097万标|箱: the break falls between two parts of a
    number or inside its unit. After a short line (a heading could end in a digit: 附件1)
    the digits must run on into a unit."""
    c = _compiled()
    if c["number_before"].search(before):
        if c["unit_after"].match(after):
            return True
        m = c["number_after"].match(after)
        return bool(m) and (not short or bool(c["unit_after"].match(after, m.end())))
    m = _UNIT_START.search(before)
    if not m:
        return False
    u = c["unit_after"].match(m.group(1) + after)
    return bool(u) and u.end() > len(m.group(1))


_UNIT_START = regex.compile(r"\d(\p{Han}{1,3})$")


def _whole_word(piece: str) -> bool:
    from .segment import is_word

    return len(piece) > 1 and is_word(piece)


def _splits_word(before: str, after: str, short: bool = False) -> bool:
    """固定资产投|资: with the break removed, a word of the lexicon spans it. After a short
    line the break must cut a word, not fall between two words that also make one
    (2025年工作回顾|过去一年: 回顾过去 is a word, 回顾 and 过去 are too), and the line must
    hold more than the word's first part (a menu of 大|中|小 is three lines)."""
    from .segment import is_word, tokenizer

    left, right = before[-6:], after[:6]
    pos = 0
    for w in tokenizer("jieba")(left + right):
        if pos < len(left) < pos + len(w):
            if len(w) < 2 or not is_word(w):
                return False
            cut = len(left) - pos
            if not short:
                return True
            return len(before) > cut and not (_whole_word(w[:cut]) and _whole_word(w[cut:]))
        pos += len(w)
    return False


def _may_join(before: str, after: str) -> bool:
    """The line ``before`` may read on into ``after``: it ends no sentence and is no
    numbered heading (一、2025年工作回顾, （三）, 附件1; a numbered paragraph, with a
    sentence ended in it, reads on: （一）经济实力显著增强。全面落实…)."""
    c = _compiled()
    before, after = before.strip(), after.strip()
    if not before or not after or c["sentence_end"].search(before, None, None, HOLD):
        return False
    return not c["heading"].match(before) or bool(_ENDS_SENTENCE.search(before))


_ENDS_SENTENCE = regex.compile(r"[。！？；]")


def breaks_inside(before: str, after: str, blank: bool = False) -> bool:
    """The line break between ``before`` (the line it ends) and ``after`` (the line it
    starts) is layout damage: the line may read on (``_may_join``) and the break falls
    inside a figure or a word. A short line (a heading such as 上半年经济形势分析 may
    stand alone unnumbered) needs the stricter reading of both; across a ``blank`` line
    (a paragraph break) only a figure reads on (26.473\n\n亿元)."""
    if not _may_join(before, after) or "|" in before:
        return False  # a table's row ends its line (…|19.5 / 个人所得税|24100|…, …|15.1 / 2011年…)
    before, after = before.strip(), after.strip()
    short = len(before) <= _compiled()["short_line"]
    return _splits_figure(before, after, short) or (not blank and _splits_word(before, after, short)) \
        or (not blank and not short and bool(_compiled()["verb_figure"].match(after)))


def join_lines(ot: OffsetText) -> OffsetText:
    """Remove the line breaks that fall inside a word or a figure (``breaks_inside``)."""
    text = ot.text
    edits = [(m.start(), m.end(), "") for m in _BREAK_RE.finditer(text)
             if breaks_inside(_line_before(text, m.start()), _line_after(text, m.end()),
                              m.group(0).count("\n") > 1)]
    return ot.apply(edits) if edits else ot


def strip_pinyin(ot: OffsetText) -> OffsetText:
    return ot.sub(_compiled()["pinyin"], "")


def strip_footnotes(ot: OffsetText) -> OffsetText:
    return ot.sub(_compiled()["footnotes"], "")


def strip_spaces(ot: OffsetText) -> OffsetText:
    """Remove spaces except between two ASCII letters of different words."""
    text = ot.text

    def rep(m: regex.Match) -> str:
        a, b = m.start(), m.end()
        before = text[a - 1] if a else ""
        after = text[b] if b < len(text) else ""
        if before.isascii() and before.isalpha() and after.isascii() and after.isalpha():
            return " "
        return ""

    return ot.sub(_SPACE_RE, rep)


def star_brackets(ot: OffsetText) -> OffsetText:
    return ot.sub(_compiled()["stars"], lambda m: "（" + m.group(1) + "）")


def _space_table_lines(lines: list[str], row: regex.Pattern, gap: regex.Pattern) -> list[int]:
    """The lines of tables laid out with spaces: runs of two rows or more with as many
    columns each (or one fewer: a row's last cell left empty), and the header line above a run
    when it has as many words."""
    out: list[int] = []
    i = 0
    while i < len(lines):
        if not (may_match(row, lines[i]) and row.match(lines[i])):
            i += 1  # no row starts here (most lines: a paragraph has no run of spaced figures)
            continue
        n = len(gap.split(lines[i].strip()))
        j = i
        while j < len(lines) and row.match(lines[j]) and len(gap.split(lines[j].strip())) in (n, n - 1):
            j += 1
        if j - i >= 2:
            head = i - 1
            if head >= 0 and not row.match(lines[head]) and len(gap.split(lines[head].strip())) == n:
                out.append(head)
            out.extend(range(i, j))
        i = max(j, i + 1)
    return out


_FLAT_HEADER = 200  # the header words of a flattened table stand within this many characters


def _flat_rows(text: str, at: int, k: int, row: regex.Pattern) -> list[regex.Match]:
    """The rows of ``k`` figures each that follow one another from ``at``."""
    out = []
    while (m := row.match(text, at)) is not None and len(m.group("cells").split()) == k:
        out.append(m)
        at = m.end()
    return out


def _flat_table(text: str, head: regex.Match, c: dict) -> list[tuple[int, int, str]]:
    """The edits that put one flattened table back in lines (see ``flat_tables``), or none."""
    first = c["flat_row"].search(text, head.end(), min(len(text), head.end() + _FLAT_HEADER))
    if first is None:
        return []
    cols = list(c["space_gap"].finditer(text, head.end(), first.start("name")))
    k = len(first.group("cells").split())
    rows = _flat_rows(text, first.start(), k, c["flat_row"])
    words = [w for w in c["space_gap"].split(text[head.end():first.start("name")]) if w]
    if len(rows) < 2 or len(words) != k or not cols or cols[-1].end() != first.start("name"):
        return []
    before = head.start()
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    edits = [(before, head.start(), "|")] if before < head.start() else []
    edits += [(g.start(), g.end(), "|") for g in cols[:-1]]
    for r in rows:
        edits.append((r.start(), r.start("name"), "|"))
        edits += [(g.start(), g.end(), "|") for g in c["space_gap"].finditer(text, r.end("name"), r.end())]
    end = c["space_gap"].match(text, rows[-1].end())
    if end:
        edits.append((end.start(), end.end(), "|"))
    return edits


def flat_tables(ot: OffsetText) -> OffsetText:
    """A table a PDF's text ran into its paragraph (… 指 标 绝对量(亿元) 比上年增长(%) 地区生产总值
    2060.35 6.0 第一产业 8.43 2.3 …) gets pipe cells in its line, when two rows or more of a name
    and as many figures as the header has words follow its 指标 cell: the table reader cuts the
    rows (grammar/tables.py), and the lines stay as they were (the date and the jurisdiction
    read the first lines)."""
    c = _compiled()
    text = ot.text
    edits: list[tuple[int, int, str]] = []
    for head in c["flat_head"].finditer(text):
        if not edits or head.start() >= edits[-1][1]:
            edits += _flat_table(text, head, c)
    return ot.apply(edits) if edits else ot


def space_columns(ot: OffsetText) -> OffsetText:
    """产品名称 产量 比上年增长% / 粮食 21774 0.99 -> 产品名称|产量|比上年增长% / 粮食|21774|0.99:
    a table laid out with spaces gets pipe cells before spaces go."""
    c = _compiled()
    text = ot.text
    if " " not in text and "\t" not in text and "\u3000" not in text:
        return ot
    ot = flat_tables(ot)
    text = ot.text
    lines = text.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    edits = []
    for k in _space_table_lines(lines, c["space_row"], c["space_gap"]):
        ln = lines[k]
        lo, hi = len(ln) - len(ln.lstrip()), len(ln.rstrip())
        for m in c["space_gap"].finditer(ln, lo, hi):
            edits.append((starts[k] + m.start(), starts[k] + m.end(), "|"))
    return ot.apply(edits) if edits else ot


def decimal_marks(ot: OffsetText) -> OffsetText:
    """A look-alike point or per-cent sign after a digit: 270·4亿元 -> 270.4亿元, 15℅ -> 15%."""
    c = _compiled()
    return ot.sub(c["decimal"], lambda m: c["decimal_map"][m.group(0)])


def is_taiwan_phrased(text: str) -> bool:
    """Enough tell-tales: ``min_telltales`` different ones, or one said again and again (a
    report whose only Taiwan phrase is 專案, many times)."""
    c = _compiled()
    found = c["telltales"].findall(text)
    return len(set(found)) >= c["min_telltales"] or len(found) >= c["min_telltales"] + 1


def reverse_taiwan(ot: OffsetText, force: bool = False) -> OffsetText:
    """Reverse Taiwan phrasing, only in documents that show enough tell-tales."""
    c = _compiled()
    if not force and not is_taiwan_phrased(ot.text):
        return ot
    return ot.sub(c["taiwan"], lambda m: c["taiwan_map"][m.group(0)])


def normalize(text: str) -> tuple[OffsetText, str]:
    """Return the working text (with its map) and the detected script."""
    ot = tab_cells(OffsetText(text))  # before tabs become spaces
    ot = ot.translate_1to1(halfwidth(ot.text))
    simp = to_simplified(ot.text)
    script = detect_script(text, simp)
    ot = ot.translate_1to1(simp)
    ot = ot.sub(_CONTROL_RE, "")
    ot = decimal_marks(ot)
    ot = line_cells(html_cells(ot))
    ot = space_columns(ot)
    ot = drop_boilerplate(ot)
    ot = drop_page_furniture(ot)
    ot = strip_pinyin(ot)
    ot = strip_spaces(ot)
    ot = join_lines(ot)
    ot = strip_footnotes(ot)
    ot = star_brackets(ot)
    if script != "simplified":
        ot = reverse_taiwan(ot)
    return ot, script
