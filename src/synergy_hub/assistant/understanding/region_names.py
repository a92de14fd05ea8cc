"""Region names → GB/T 2260 codes, from the shipped table, in the forms people write them.

Built once from `synergy_hub.eligibility.regions`: every province and prefecture by its full
name ("浙江省", "宁波市") and its short form ("浙江", "宁波"), its English name ("Zhejiang",
"Ningbo"), a few conventional English names the table does not use ("Inner Mongolia",
"Tibet", "Hong Kong", "Canton" is not one: it is ambiguous), county-level units by their
full name when it is unique in the country ("鄞州区", "义乌市"), and the short form of a
curated list of county-level cities SMEs often name ("义乌", "昆山"). Two-character short
forms of counties are left out on purpose: too many are ordinary words ("东方", "开平").
When two regions share a short form the higher level wins ("吉林" is the province).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from synergy_hub.eligibility import regions

__all__ = ["RegionMention", "find_regions", "narrowest"]

_PROVINCE_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_ETHNIC = "朝鲜|土家|苗|藏|羌|彝|布依|侗|哈尼|壮|傣|景颇|白|傈僳|回|蒙古|柯尔克孜|哈萨克"
_PREFECTURE_SUFFIX = re.compile(r"(?:(?:" + _ETHNIC + r")族?)*(?:自治州|地区|盟|市)$")

#: County-level cities whose short name an SME commonly uses (manufacturing clusters).
_COUNTY_SHORT = (
    "义乌",
    "昆山",
    "慈溪",
    "余姚",
    "江阴",
    "常熟",
    "张家港",
    "太仓",
    "晋江",
    "石狮",
    "东阳",
    "永康",
    "乐清",
    "瑞安",
    "诸暨",
    "海宁",
    "桐乡",
    "宜兴",
    "温岭",
    "玉环",
    "平湖",
    "嵊州",
    "丹阳",
    "南安",
    "福清",
    "顺德",
    "南海",
    "龙岗",
    "宝安",
    "萧山",
    "余杭",
    "鄞州",
    "北仑",
    "滨江",
    "浦东",
    "闵行",
    "嘉定",
    "松江",
    "海淀",
    "亦庄",
)

_ENGLISH_ALIASES = {
    "inner mongolia": "150000",
    "tibet": "540000",
    "hong kong": "810000",
    "macau": "820000",
    "macao": "820000",
    "shaanxi": "610000",
    "pudong": "310115",
    "shunde": "440606",
    "yiwu": "330782",
    "kunshan": "320583",
    "xian": "610100",
    # English names two prefectures share: the one SMEs mean far more often.
    "suzhou": "320500",
    "taizhou": "331000",
    "fuzhou": "350100",
}

#: Frequent misspellings seen in SME messages (homophones typed by pinyin input).
_CHINESE_TYPOS = {
    "宁坡": "330200",
    "杭洲": "330100",
    "苏洲": "320500",
    "广洲": "440100",
    "深川": "440300",
    "温洲": "330300",
    "台洲": "331000",
    "福洲": "350100",
}

_NOT_A_REGION = re.compile(r"三明治|大同小异|长治久安|安康(?:码|快乐)")


@dataclass(frozen=True)
class RegionMention:
    """A region named in the text: its code, where, and the words."""

    code: str
    start: int
    end: int
    text: str


def _short_province(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


_LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}


@cache
def _chinese_names() -> dict[str, str]:
    """Chinese name or short form → code; the higher level wins on a clash."""
    names: dict[str, tuple[int, str]] = {}
    county_counts: dict[str, int] = {}
    for region in regions.all_regions():
        if region.level == "county":
            county_counts[region.name_zh] = county_counts.get(region.name_zh, 0) + 1

    def put(name: str, code: str, rank: int) -> None:
        if len(name) < 2:
            return
        current = names.get(name)
        if current is None or rank < current[0]:
            names[name] = (rank, code)

    for region in regions.all_regions():
        rank = _LEVEL_RANK[region.level]
        if region.level == "province":
            put(region.name_zh, region.code, rank)
            put(_short_province(region.name_zh), region.code, rank)
        elif region.level == "prefecture":
            put(region.name_zh, region.code, rank)
            short = _PREFECTURE_SUFFIX.sub("", region.name_zh)
            put(short, region.code, rank)
        elif len(region.name_zh) >= 3 and county_counts[region.name_zh] == 1:
            put(region.name_zh, region.code, rank)
            short = region.name_zh[:-1]
            if short in _COUNTY_SHORT:
                put(short, region.code, rank)
    for typo, code in _CHINESE_TYPOS.items():
        names.setdefault(typo, (1, code))
    return {name: code for name, (_rank, code) in names.items()}


@cache
def _english_names() -> dict[str, str]:
    """Lower-case English name → code, for provinces and prefectures with a unique name."""
    seen: dict[str, list[tuple[int, str]]] = {}
    for region in regions.all_regions():
        if region.level == "county":
            continue
        name = region.name_en.lower()
        for generic in (" city", " prefecture", " league", " autonomous prefecture"):
            name = name.removesuffix(generic)
        seen.setdefault(name, []).append((_LEVEL_RANK[region.level], region.code))
    names = {}
    for name, found in seen.items():
        found.sort()
        if len(found) == 1 or found[0][0] < found[1][0]:
            names[name] = found[0][1]
    # County-level cities of the curated list, by their English name (Jinjiang, Cixi …).
    for region in regions.all_regions():
        if region.level == "county" and region.name_zh[:-1] in _COUNTY_SHORT:
            name = region.name_en.lower().rsplit(" ", 1)[0]
            if name not in names and name not in seen:
                names[name] = region.code
    names.update(_ENGLISH_ALIASES)
    return names


@cache
def _chinese_pattern() -> re.Pattern[str]:
    words = sorted(_chinese_names(), key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in words))


@cache
def _english_pattern() -> re.Pattern[str]:
    words = sorted(_english_names(), key=len, reverse=True)
    return re.compile(
        r"(?<![A-Za-z])(?:"
        + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        + r")(?![A-Za-z])",
        re.IGNORECASE,
    )


def _close(word: str, name: str) -> bool:
    """One edit apart (a typo): substitution, insertion, deletion or swap of neighbours."""
    if abs(len(word) - len(name)) > 1 or word == name:
        return False
    if len(word) == len(name):
        diff = [i for i in range(len(word)) if word[i] != name[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and word[diff[0]] == name[diff[1]]
            and word[diff[1]] == name[diff[0]]
        )
    short, long_ = (word, name) if len(word) < len(name) else (name, word)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def find_regions(text: str) -> list[RegionMention]:
    """Every region named in the text, in order, without overlaps."""
    blocked = [(m.start(), m.end()) for m in _NOT_A_REGION.finditer(text)]
    found: list[RegionMention] = []
    chinese = _chinese_names()
    for match in _chinese_pattern().finditer(text):
        if any(match.start() < end and start < match.end() for start, end in blocked):
            continue
        found.append(
            RegionMention(chinese[match.group(0)], match.start(), match.end(), match.group(0))
        )
    english = _english_names()
    for match in _english_pattern().finditer(text):
        key = re.sub(r"\s+", " ", match.group(0).lower())
        found.append(RegionMention(english[key], match.start(), match.end(), match.group(0)))
    # Misspelt English names: a capitalised word one edit from a name of 6+ letters
    # ("Shenzen", "Hangzou").
    for match in re.finditer(r"(?<![A-Za-z])[A-Z][a-z]{4,}(?![A-Za-z])", text):
        word = match.group(0).lower()
        if word in english or any(m.start <= match.start() < m.end for m in found):
            continue
        for name, code in english.items():
            # The first two letters must agree: "Mining" is not a misspelt "Jining".
            if len(name) >= 6 and name[:2] == word[:2] and " " not in name and _close(word, name):
                found.append(RegionMention(code, match.start(), match.end(), match.group(0)))
                break
    found.sort(key=lambda mention: mention.start)
    return found


def narrowest(codes: list[str]) -> tuple[str, ...]:
    """The named codes without any that contains another named one, in order, unique."""
    unique = list(dict.fromkeys(codes))
    return tuple(
        code
        for code in unique
        if not any(other != code and regions.region_part_of(other, code) for other in unique)
    )
