"""Working text for the rules: cleaned, simplified, with an exact map back.

Steps, in order: half-width digits and punctuation (1:1), traditional to simplified
with OpenCC ``t2s`` (1:1), site boilerplate, pinyin glosses, stray spaces, lost
brackets written as ``***``, and Taiwan phrasing where the document shows it.
"""

from __future__ import annotations

import functools

import opencc
import regex

from ..ruleset.load import load_rules
from .offsets import OffsetText

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_FULLWIDTH.update({"％": "%", "．": ".", "＊": "*", "／": "/", "＋": "+", "－": "-", "～": "~",
                   "\u00a0": " ", "\u3000": " ", "\t": " ", "\r": "\n", "\u2212": "-"})
_ASCII_PUNCT = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_PUNCT_RE = regex.compile(r"[,;:()?!]")
_SPACE_RE = regex.compile(r"[ ]+")
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HAN_RE = regex.compile(r"\p{Han}")
# control characters, and invisible format characters and combining marks (4\u20602, 4\u03012):
# dropped from the working text, so that a number they sit in reads as one number
_CONTROL_RE = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\p{Cf}\p{Mn}\p{Me}]+")
# １，２３４: a full-width comma between full-width digits groups thousands (never after ASCII
# digits, where ，is the clause break of a Chinese writer: 完成15，234个项目…)
_FW_THOUSANDS = regex.compile(r"(?<![０-９])[０-９]{1,3}(?:，[０-９]{3})+(?![０-９])")


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _compiled() -> dict:
    r = load_rules("normalize")
    bp = r["boilerplate"]
    tw = r["taiwan_phrases"]
    reps = tw["replace"]
    return {
        "line": regex.compile("|".join(f"(?:{p})" for p in bp["line_patterns"])),
        "inline": regex.compile("|".join(f"(?:{p})" for p in bp["inline_patterns"])),
        "pinyin": regex.compile(r["pinyin_gloss"]["pattern"]),
        "footnotes": regex.compile(r["footnote_marks"]["pattern"]),
        "stars": regex.compile(r["star_brackets"]["pattern"]),
        "telltales": regex.compile("|".join(map(regex.escape, tw["telltales"]))),
        "min_telltales": int(tw["min_telltales"]),
        "taiwan": regex.compile("|".join(map(regex.escape, sorted(reps, key=len, reverse=True)))),
        "taiwan_map": reps,
    }


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def halfwidth(text: str) -> str:
    """Full-width digits, letters, ％ to ASCII; ASCII clause punctuation to CJK (1:1).

    Lone surrogates (possible through the API, never from a decoded file) become U+FFFD.
    """
    text = _FW_THOUSANDS.sub(lambda m: m.group(0).replace("，", ","), text)
    text = text.translate(str.maketrans(_FULLWIDTH))
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
    """``simplified``, ``traditional`` or ``mixed`` by the share of changed Han characters."""
    han = len(_HAN_RE.findall(original[:20000]))
    if not han:
        return "simplified"
    changed = sum(1 for a, b in zip(original[:20000], simplified[:20000], strict=False) if a != b)
    share = changed / han
    return "traditional" if share > 0.08 else "mixed" if share > 0.01 else "simplified"


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


def is_taiwan_phrased(text: str) -> bool:
    c = _compiled()
    return len(set(c["telltales"].findall(text))) >= c["min_telltales"]


def reverse_taiwan(ot: OffsetText, force: bool = False) -> OffsetText:
    """Reverse Taiwan phrasing, only in documents that show enough tell-tales."""
    c = _compiled()
    if not force and not is_taiwan_phrased(ot.text):
        return ot
    return ot.sub(c["taiwan"], lambda m: c["taiwan_map"][m.group(0)])


def normalize(text: str) -> tuple[OffsetText, str]:
    """Return the working text (with its map) and the detected script."""
    ot = OffsetText(text)
    ot = ot.translate_1to1(halfwidth(text))
    simp = to_simplified(ot.text)
    script = detect_script(text, simp)
    ot = ot.translate_1to1(simp)
    ot = ot.sub(_CONTROL_RE, "")
    ot = drop_boilerplate(ot)
    ot = strip_pinyin(ot)
    ot = strip_spaces(ot)
    ot = strip_footnotes(ot)
    ot = star_brackets(ot)
    if script != "simplified":
        ot = reverse_taiwan(ot)
    return ot, script
