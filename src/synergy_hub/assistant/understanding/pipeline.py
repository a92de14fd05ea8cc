"""The offline reading of a problem statement: `understand(text, previous, today)`.

Deterministic rules and dictionaries, no model: the statement is read by rule families in
a fixed order, each marking the characters it used so a later family does not read them
again — dates, quantities, money, certifications, then resource types and industries
together (longest phrase first), regions, and other constraints. Every filled field
carries its evidence (the words it was read from).

With `previous` (the need understood so far in the conversation) the text is a follow-up:
what it names replaces the previous value ("只要浙江的" replaces the region, "next month"
the time frame), "also"/"还要" adds resource types instead of replacing them,
"cheaper"/"便宜点" sets `price_preference`, and every field it does not touch is kept.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from . import amounts, dates, region_names
from .industry_words import INDUSTRY_RULES
from .lexicon import NO_TYPE, TYPE_QUERY_WORDS, TYPE_RULES
from .need import Quantity, UnderstoodNeed
from .spans import Rule, compile_rules, find, negated

__all__ = ["CERTIFICATIONS", "detect_language", "understand"]

MAX_TEXT = 2000
"""Characters of a statement read; the rest is ignored (a statement, not a document)."""

#: Certification schemes by their canonical name, and the ways they are written.
CERTIFICATIONS: tuple[tuple[str, str], ...] = (
    ("CCC", r"(?-i:CCC|3C)(?:认证)?|中国强制性?认证|强制性产品认证"),
    ("CE", r"(?-i:CE)(?=认证|标志|标识|检测|mark|\b|[^A-Za-z])|欧盟认证"),
    ("FCC", r"(?-i:FCC)"),
    ("UL", r"(?-i:UL)(?=认证|检测|\b|[^A-Za-z])"),
    ("RoHS", r"RoHS"),
    ("REACH", r"(?-i:REACH)|reach法规"),
    ("ISO 9001", r"ISO\s*[-/]?\s*9001|质量管理体系认证"),
    ("ISO 13485", r"ISO\s*[-/]?\s*13485"),
    ("ISO 14001", r"ISO\s*[-/]?\s*14001|环境管理体系认证"),
    ("ISO 45001", r"ISO\s*[-/]?\s*45001"),
    ("ISO 27001", r"ISO\s*[-/]?\s*27001"),
    ("IATF 16949", r"(?:IATF\s*)?16949"),
    ("CB", r"(?-i:CB)(?=认证|证书|报告|scheme|\s+(?:certificate|report|scheme)|$|[^A-Za-z])"),
    ("GS", r"(?-i:GS)(?=认证|标志|mark|\s+mark)"),
    ("ETL", r"(?-i:ETL)"),
    ("FDA", r"(?-i:FDA)"),
    ("UKCA", r"(?-i:UKCA)"),
    ("PSE", r"(?-i:PSE)"),
    ("KC", r"(?-i:KC)(?=认证|\s+certif)"),
    ("CMA", r"(?-i:CMA)"),
    ("CNAS", r"(?-i:CNAS)"),
    ("EMC", r"(?-i:EMC)"),
    ("MDR", r"(?-i:MDR)"),
    ("WEEE", r"(?-i:WEEE)"),
    ("ErP", r"(?-i:ErP)"),
    ("SRRC", r"(?-i:SRRC)"),
    ("Energy Star", r"energy\s+star|能源之星"),
)
_CERT_RULES: tuple[Rule[str], ...] = compile_rules(
    (r"(?<![A-Za-z])(?:" + pattern + r")", name) for name, pattern in CERTIFICATIONS
)

_WEAK_TYPE_WORDS = re.compile(
    r"^(?:AI|人工智能|artificial\s+intelligence|数据|data|辅导|创业|推广|流量|渠道|courses?|"
    r"workshops?|tests?|服务器|servers?|计量|采购|融资|licen[cs]es?|设备|equipment|供应链|"
    r"supply[-\s]chain|产业链|外贸|亚马逊|天猫|京东|淘宝|拼多多|抖音|Amazon|Shopify|eBay|TikTok|"
    r"Temu|AliExpress|listings?)$",
    re.IGNORECASE,
)
"""Words that suggest a type only when nothing stronger was said ("AI" beside "GPU算力" is
the purpose of the compute, not a wish for a model)."""

_HELD = re.compile(
    r"(?:已经?|早就|之前就?)(?:通过|拿到|获得|取得|有|做过|办了)了?[^，,。；;]{0,12}?(?:认证|证书|认可|报告)"
    r"|(?<![A-Za-z])(?:already\s+(?:have|hold|got|passed)|we\s+hold)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:certificat\w+|certified|approval)",
    re.IGNORECASE,
)
"""A certificate the company already holds ("已通过ISO9001认证", "we already hold CE")."""

_USE_BEFORE = re.compile(
    r"(?:用|接入|调用|上个|上一个|要个|找个|部署|(?<![A-Za-z])(?:use|using|deploy|want|need|for)"
    r"(?:\s+an?)?)\s*$",
    re.IGNORECASE,
)
"""Words before a model that say the user wants to use one ("想用大模型", "want an LLM")."""

_ALSO = re.compile(
    r"还要|还需要|还想|另外|同时|以及|再加|也要|也需要|顺便|外加|(?<![A-Za-z])(?:also|too|as\s+well|"
    r"plus|in\s+addition|additionally|add)(?![A-Za-z])",
    re.IGNORECASE,
)
_CHEAPER = re.compile(
    r"便宜|更实惠|实惠点|价格低|低一点|低些|省钱|少花|预算(?:有限|不多|紧)|太贵|贵了|免费的|"
    r"(?<![A-Za-z])(?:cheap(?:er|est)?|less\s+expensive|lower\s+(?:price|cost)|too\s+expensive|"
    r"cheapest|more\s+affordable|budget\s+option|free\s+ones?)(?![A-Za-z])",
    re.IGNORECASE,
)

_CONSTRAINTS: tuple[tuple[str, str], ...] = (
    (
        r"尽快|越快越好|加急|很急|着急|紧急|马上|(?<![A-Za-z])(?:ASAP|urgent(?:ly)?|as\s+soon\s+as\s+possible|rush)(?![A-Za-z])",
        "urgent",
    ),
    (r"免费|不收费|零成本|(?<![A-Za-z])(?:free(?:\s+of\s+charge)?|no\s+cost)(?![A-Za-z])", "free"),
    (
        r"私有化部署|本地部署|数据不出|不能上云|(?<![A-Za-z])(?:on-?prem(?:ise|ises)?|private\s+deployment|data\s+must\s+stay)(?![A-Za-z])",
        "private_deployment",
    ),
    (r"中小企业(?:折扣|优惠)|(?<![A-Za-z])SME\s+discount(?![A-Za-z])", "sme_discount"),
    (r"出口|外销|(?<![A-Za-z])export(?:s|ing)?(?![A-Za-z])", "export"),
    (
        r"中文(?:界面|支持)|(?<![A-Za-z])Chinese\s+(?:interface|support)(?![A-Za-z])",
        "chinese_language",
    ),
)
_CONSTRAINT_RULES = compile_rules(_CONSTRAINTS)

_DESTINATIONS: tuple[tuple[str, str], ...] = (
    (r"德国|(?<![A-Za-z])Germany(?![A-Za-z])", "DE"),
    (r"欧盟|欧洲|(?<![A-Za-z])(?:EU|Europe(?:an)?)(?![A-Za-z])", "EU"),
    (
        r"美国|北美|(?<![A-Za-z])(?:US|USA|United\s+States|America|North\s+America)(?![A-Za-z])",
        "US",
    ),
    (r"英国|(?<![A-Za-z])(?:UK|Britain|United\s+Kingdom)(?![A-Za-z])", "GB"),
    (r"日本|(?<![A-Za-z])Japan(?![A-Za-z])", "JP"),
    (r"韩国|(?<![A-Za-z])(?:Korea|South\s+Korea)(?![A-Za-z])", "KR"),
    (r"东南亚|(?<![A-Za-z])(?:Southeast\s+Asia|ASEAN)(?![A-Za-z])", "ASEAN"),
    (r"法国|(?<![A-Za-z])France(?![A-Za-z])", "FR"),
    (r"中东|(?<![A-Za-z])Middle\s+East(?![A-Za-z])", "ME"),
)
_DESTINATION_RULES = compile_rules(_DESTINATIONS)

# Types and industries are read in one pass, so the longer phrase decides ("软件公司" is the
# company's industry, "软件" alone a wanted tool; "电子合同" an API, not electronics).
_TYPES_AND_INDUSTRIES: tuple[Rule[tuple[str, str]], ...] = tuple(
    Rule(rule.pattern, ("type", rule.value)) for rule in TYPE_RULES
) + tuple(Rule(rule.pattern, ("industry", rule.value)) for rule in INDUSTRY_RULES)

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]*[a-z][A-Za-z]*(?![A-Za-z])")


def detect_language(text: str) -> str:
    """ "zh", "en" or "mixed"; "" for a text with neither (digits only).

    Upper-case abbreviations (GPU, CE, API) do not make a Chinese text mixed; two or more
    English words with lower-case letters beside Chinese do.
    """
    cjk = len(_CJK.findall(text))
    english = [w for w in _ENGLISH_WORD.findall(text) if len(w) >= 2]
    if cjk and len(english) >= 2:
        return "mixed"
    if cjk:
        return "zh"
    if english or re.search(r"[A-Za-z]", text):
        return "en"
    return ""


_TRADITIONAL = str.maketrans(
    "檢驗測認證機構資數據設備實驗質軟體雲電腦網絡銷售貨運門東業廠場產庫價錢費預算內與擬並"
    "個們這裡裏嗎請幫們單務導訓練營孵運輸倉儲採購鏈應計劃線上開發廣語識別圖優惠歐爾開創聯關"
    "術號為製造車輛零裝藥醫療器紡織衣鞋裝飾處環標準證書報告權許歲時間週費夠檔",
    "检验测认证机构资数据设备实验质软体云电脑网络销售货运门东业厂场产库价钱费预算内与拟并"
    "个们这里里吗请帮们单务导训练营孵运输仓储采购链应计划线上开发广语识别图优惠欧尔开创联关"
    "术号为制造车辆零装药医疗器纺织衣鞋装饰处环标准证书报告权许岁时间周费够档",
)
"""The traditional forms of characters the rules read, mapped one to one to simplified."""


def _normalise(text: str) -> str:
    """Full-width ASCII to half-width, traditional characters the rules read to simplified.

    Every character maps to one character, so positions (evidence) stay those of the text.
    """
    out = []
    for ch in text[:MAX_TEXT].translate(_TRADITIONAL):
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E and ch not in "，。；：？！（）":
            ch = chr(code - 0xFEE0)
        elif ch == "\u3000":
            ch = " "
        out.append(ch)
    return "".join(out)


def _read(text: str, today: date) -> tuple[UnderstoodNeed, bool]:
    """Read one text on its own; the flag says whether it adds ("also", "还要")."""
    text = _normalise(text)
    taken: list[tuple[int, int]] = []
    evidence: dict[str, str] = {}

    frames = dates.find_time_frames(text, today, taken)
    wanted_from = wanted_until = deadline = None
    if frames:
        with_deadline = [f for f in frames if f.deadline is not None]
        periods = [f for f in frames if f.deadline is None]
        if periods:
            wanted_from, wanted_until = periods[0].start, periods[0].end
            evidence["time_frame"] = periods[0].text
        if with_deadline:
            deadline = min(f.deadline for f in with_deadline if f.deadline is not None)
            chosen = next(f for f in with_deadline if f.deadline == deadline)
            evidence["deadline"] = chosen.text
            if not periods:
                wanted_from, wanted_until = chosen.start, chosen.end
                evidence["time_frame"] = chosen.text

    # Certificates the company already holds are facts about it, not a wish.
    held: list[str] = []
    constraint_words: list[str] = []
    for match in _HELD.finditer(text):
        held.extend(f"holds:{hit.value}" for hit in find(match.group(0), _CERT_RULES))
        constraint_words.append(match.group(0))
        taken.append((match.start(), match.end()))
    certifications: list[str] = []
    cert_words: list[str] = []
    for hit in find(text, _CERT_RULES, taken):
        if hit.value not in certifications:
            certifications.append(hit.value)
            cert_words.append(hit.text)
    if certifications:
        evidence["certifications"] = "、".join(cert_words)

    # Quantities hide their numbers from money, but not their words from the types:
    # "500 GPU hours" still says compute, "实验室做5天" still says laboratory.
    before_quantities = list(taken)
    quantities = []
    for mention in amounts.find_quantities(text, taken):
        quantities.append(Quantity(mention.amount, mention.unit, mention.text))
    if quantities:
        evidence["quantities"] = "、".join(q.source_text for q in quantities)

    budget: Decimal | None = None
    unit_price: Decimal | None = None
    for money in amounts.find_money(text, taken):
        before_quantities.append((money.start, money.end))
        if money.per_unit:
            if unit_price is None:
                unit_price = money.amount
                evidence["unit_price_max_yuan"] = money.text
        elif budget is None or money.amount > budget:
            budget = money.amount
            evidence["budget_max_yuan"] = money.text

    strong: list[str] = []
    weak: list[str] = []
    type_words: dict[str, list[str]] = {}
    industries: list[str] = []
    industry_words: list[str] = []
    ai_for_own_use = False
    for found in find(text, _TYPES_AND_INDUSTRIES, before_quantities):
        family, value = found.value
        if family == "industry":
            if value not in industries:
                industries.append(value)
                industry_words.append(found.text)
            continue
        if value == NO_TYPE or negated(text, found.start):
            continue
        if value == "ai_model" and _USE_BEFORE.search(text[max(0, found.start - 8) : found.start]):
            ai_for_own_use = True
        bucket = weak if _WEAK_TYPE_WORDS.match(found.text.strip()) else strong
        if value not in bucket:
            bucket.append(value)
        type_words.setdefault(value, []).append(found.text)
    if certifications and "testing_certification" not in strong:
        # A named certification asks for testing and certification as plainly as a word.
        strong.append("testing_certification")
        type_words.setdefault("testing_certification", []).append(evidence["certifications"])
    types = list(strong) or list(weak)
    if "compute" in types and "ai_model" in types and not ai_for_own_use:
        # "训练大模型缺显卡": the model is what the compute is for, not a model wanted.
        types.remove("ai_model")
    for quantity in quantities:
        implied = _TYPE_OF_UNIT.get(quantity.unit)
        if implied and implied not in types:
            types.append(implied)
            type_words.setdefault(implied, []).append(quantity.source_text)
    if types:
        evidence["resource_types"] = "、".join(
            dict.fromkeys(word for value in types for word in type_words.get(value, []))
        ) or evidence.get("quantities", "")
    if industries:
        evidence["industry_codes"] = "、".join(industry_words)

    mentions = region_names.find_regions(text)
    mentions = [
        m for m in mentions if not any(m.start < end and start < m.end for start, end in taken)
    ]
    region_codes = region_names.narrowest([m.code for m in mentions])
    if region_codes:
        evidence["region_codes"] = "、".join(dict.fromkeys(m.text for m in mentions))

    constraints: list[str] = list(dict.fromkeys(held))
    for hit in find(text, _CONSTRAINT_RULES, []):
        constraint_words.append(hit.text)
        if hit.value not in constraints:
            constraints.append(hit.value)
    for hit in find(text, _DESTINATION_RULES, []):
        constraint_words.append(hit.text)
        label = f"destination:{hit.value}"
        if label not in constraints:
            constraints.append(label)
    if constraints:
        evidence["constraints"] = "、".join(dict.fromkeys(constraint_words))
    cheaper = _CHEAPER.search(text)
    if cheaper:
        evidence["price_preference"] = cheaper.group(0)

    need = UnderstoodNeed(
        resource_types=tuple(types),
        region_codes=region_codes,
        industry_codes=tuple(industries),
        budget_max_yuan=budget,
        unit_price_max_yuan=unit_price,
        wanted_from=wanted_from,
        wanted_until=wanted_until,
        deadline=deadline,
        quantities=tuple(quantities),
        certifications=tuple(certifications),
        constraints=tuple(constraints),
        price_preference="lower" if cheaper else "",
        query=_query_text(text, types),
        language=detect_language(text),
        evidence=evidence,
    )
    return need, bool(_ALSO.search(text))


_TYPE_OF_UNIT = {
    "gpu_hour": "compute",
    "core_hour": "compute",
    "kilotoken": "ai_model",
    "download": "dataset",
    "lab_day": "laboratory",
    "equipment_hour": "equipment",
    "test_slot": "testing_certification",
    "seat": "software_tool",
    "participant": "training_incubation",
}


def _query_text(text: str, types: list[str]) -> str:
    """The words to search the catalog with: the statement and the types' catalog words."""
    zh = bool(_CJK.search(text))
    extra = [TYPE_QUERY_WORDS[value][0 if zh else 1] for value in types]
    words = " ".join([text.strip(), *extra]).strip()
    return words[:500]


def _follow_up_query(previous: UnderstoodNeed, new: UnderstoodNeed, types: tuple[str, ...]) -> str:
    """The search words after a follow-up: the earlier words, refreshed by what is new.

    The earlier statement's words stay (its trade and product words still rank); the
    catalog words of types no longer wanted go; the new turn's type and industry words
    come first. Repeated words are said once.
    """
    if not previous.query:
        return new.query
    if not (new.resource_types or new.industry_codes):
        return previous.query
    zh = previous.language != "en"
    kept = previous.query
    for value in previous.resource_types:
        if value not in types:
            kept = kept.replace(TYPE_QUERY_WORDS[value][0 if zh else 1], " ")
    parts = [
        new.evidence.get("resource_types", ""),
        new.evidence.get("industry_codes", ""),
        *(TYPE_QUERY_WORDS[value][0 if zh else 1] for value in new.resource_types),
        kept,
    ]
    words = " ".join(part for part in parts if part).replace("、", " ").split()
    return " ".join(dict.fromkeys(words))[:500]


def _merge(previous: UnderstoodNeed, new: UnderstoodNeed, adds: bool) -> UnderstoodNeed:
    """A follow-up: what the new text names replaces or adds to the previous need."""
    evidence = dict(previous.evidence)
    evidence.update(new.evidence)
    if new.resource_types:
        if adds:
            types = tuple(dict.fromkeys(previous.resource_types + new.resource_types))
        else:
            types = new.resource_types
    else:
        types = previous.resource_types
    quantities = (
        tuple(q for q in previous.quantities if q.unit not in {n.unit for n in new.quantities})
        + new.quantities
    )
    has_frame = new.wanted_from is not None or new.wanted_until is not None
    query = _follow_up_query(previous, new, types)
    return UnderstoodNeed(
        resource_types=types,
        region_codes=new.region_codes or previous.region_codes,
        industry_codes=new.industry_codes or previous.industry_codes,
        budget_max_yuan=new.budget_max_yuan
        if new.budget_max_yuan is not None
        else previous.budget_max_yuan,
        unit_price_max_yuan=new.unit_price_max_yuan
        if new.unit_price_max_yuan is not None
        else previous.unit_price_max_yuan,
        wanted_from=new.wanted_from if has_frame else previous.wanted_from,
        wanted_until=new.wanted_until if has_frame else previous.wanted_until,
        deadline=new.deadline if has_frame else previous.deadline,
        quantities=quantities,
        certifications=tuple(dict.fromkeys(previous.certifications + new.certifications)),
        constraints=tuple(dict.fromkeys(previous.constraints + new.constraints)),
        price_preference=new.price_preference or previous.price_preference,
        query=query,
        language=previous.language or new.language,
        evidence=evidence,
    )


def understand(
    text: str, previous: UnderstoodNeed | None = None, today: date | None = None
) -> UnderstoodNeed:
    """Read a problem statement (or, with `previous`, a follow-up) into a structured need.

    `today` anchors relative dates ("下个月", "by 15 March"); it defaults to the machine's
    date, so callers that know the user's local date should pass it.
    """
    today = today or date.today()  # noqa: DTZ011 - a calendar day; callers pass the local one
    need, adds = _read(text or "", today)
    if previous is None:
        return need
    merged = _merge(previous, need, adds)
    return replace(merged, evidence=dict(merged.evidence))
