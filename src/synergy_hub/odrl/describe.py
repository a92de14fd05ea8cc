"""Plain-language descriptions of a policy for an SME owner, in English or Simplified Chinese.

``describe(combine(research_only(), time_limited(end=date(2027, 12, 31)), count_limited(10000)))``
reads "You may use this resource for research purposes only, until 31 Dec 2027, at most
10,000 times." and, with ``lang="zh"``,
"您可在2027年12月31日前仅以科研目的使用本资源，最多10000次。"
Pass `labels` to name codes the package does not know (prefectures, industries, parties).

Party and asset collections are explained from the reader's side: a permission whose
assignee is a PartyCollection reads "If you belong to small enterprises and are located in
Guangdong (440000), you may …" ("若您属于小型企业且位于广东省（440000），您可……"), a
target AssetCollection becomes the object ("each resource in …", "……中的各项资源"), an
assigner collection gets a sentence of its own. `labels` is asked for a collection's name
with the left operand ``"partOf"``; without a name the collection is shown by its IRI.
A deprecated action is worded as the action the vocabulary says it is (``write`` as
``modify``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from synergy_hub.eligibility.regions import is_region_code, region_name

from .model import (
    AssetCollection,
    Constraint,
    ConstraintLike,
    Duty,
    LogicalConstraint,
    PartyCollection,
    Permission,
    Policy,
    Prohibition,
)
from .values import IRI, Duration, Quantity, TypedLiteral, Value
from .vocabulary import ODRL_ACTIONS, POLICY_USAGE

__all__ = ["Labels", "describe", "describe_rules"]

#: ``labels(left_operand, value, lang)`` returns a display name for a value, or None.
Labels = Callable[[str, str, str], str | None]

# action -> (English, Chinese) phrase; {obj} is "this resource" / "本资源".
_ACTIONS: dict[str, tuple[str, str]] = {
    "use": ("use {obj}", "使用{obj}"),
    "read": ("read {obj}", "读取{obj}"),
    "reproduce": ("make copies of {obj}", "复制{obj}"),
    "distribute": ("distribute {obj}", "分发{obj}"),
    "derive": ("create derived works from {obj}", "基于{obj}制作衍生成果"),
    "commercialize": ("use {obj} commercially", "将{obj}用于商业用途"),
    "display": ("display {obj}", "展示{obj}"),
    "print": ("print {obj}", "打印{obj}"),
    "play": ("play {obj}", "播放{obj}"),
    "present": ("present {obj}", "呈现{obj}"),
    "modify": ("modify {obj}", "修改{obj}"),
    "transform": ("convert {obj} to another format", "转换{obj}的格式"),
    "translate": ("translate {obj}", "翻译{obj}"),
    "aggregate": ("combine {obj} with other data", "将{obj}与其他数据汇集"),
    "annotate": ("annotate {obj}", "标注{obj}"),
    "anonymize": ("anonymise {obj}", "对{obj}进行匿名化处理"),
    "archive": ("archive {obj}", "存档{obj}"),
    "extract": ("extract parts of {obj}", "提取{obj}的部分内容"),
    "index": ("index {obj}", "为{obj}建立索引"),
    "execute": ("run {obj}", "运行{obj}"),
    "install": ("install {obj}", "安装{obj}"),
    "stream": ("stream {obj}", "流式传输{obj}"),
    "move": ("move {obj}", "移动{obj}"),
    "delete": ("delete {obj}", "删除{obj}"),
    "transfer": ("transfer ownership of {obj}", "转让{obj}的所有权"),
    "sell": ("sell {obj}", "出售{obj}"),
    "give": ("give {obj} away", "赠与{obj}"),
    "grantUse": ("let others use {obj}", "授权他人使用{obj}"),
    "concurrentUse": ("use {obj} on several devices at once", "同时在多台设备上使用{obj}"),
    "attribute": ("credit the provider as the source of {obj}", "注明{obj}的来源"),
    "inform": ("inform the provider", "告知资源提供方"),
    "compensate": ("pay the agreed fee", "支付约定费用"),
    "obtainConsent": ("obtain consent", "取得同意"),
    "acceptTracking": ("accept usage tracking", "接受使用跟踪"),
    "watermark": ("add a watermark to {obj}", "为{obj}添加水印"),
    "reviewPolicy": ("review these terms", "审阅本使用策略"),
    "nextPolicy": ("pass these terms on to recipients", "将本使用策略传递给接收方"),
    "ensureExclusivity": ("keep {obj} exclusive", "确保{obj}的排他性"),
    "include": ("include {obj} in other works", "将{obj}包含于其他作品中"),
    "synchronize": ("synchronise {obj} with other media", "将{obj}与其他媒体同步"),
    "textToSpeech": ("read {obj} aloud by speech synthesis", "以语音合成朗读{obj}"),
    "uninstall": ("uninstall {obj}", "卸载{obj}"),
    "digitize": ("digitise {obj}", "数字化{obj}"),
}

_PURPOSES: dict[str, tuple[str, str]] = {
    "research": ("research", "科研"),
    "education": ("education", "教学"),
    "commercial": ("commercial", "商业"),
    "non_commercial": ("non-commercial", "非商业"),
    "internal": ("internal", "内部"),
    "public_service": ("public-service", "公共服务"),
}

_CURRENCIES: dict[str, tuple[str, str]] = {
    "CNY": ("CNY", "元"),
    "RMB": ("CNY", "元"),
    "EUR": ("EUR", "欧元"),
    "Euro": ("EUR", "欧元"),
    "USD": ("USD", "美元"),
}

_OPERATOR_WORDS: dict[str, tuple[str, str]] = {
    "eq": ("is", "为"),
    "neq": ("is not", "不为"),
    "lt": ("is less than", "小于"),
    "lteq": ("is at most", "不超过"),
    "gt": ("is more than", "大于"),
    "gteq": ("is at least", "不少于"),
    "isA": ("is a", "属于"),
    "isPartOf": ("is within", "属于"),
    "hasPart": ("includes", "包含"),
    "isAllOf": ("is all of", "同时为"),
    "isAnyOf": ("is one of", "为以下之一："),
    "isNoneOf": ("is none of", "不属于以下任何一项："),
}

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_POSITIVE = {"eq", "isA", "isPartOf", "isAnyOf", "isAllOf", "hasPart"}
_NEGATIVE = {"neq", "isNoneOf"}


def _lang(lang: str) -> str:
    code = lang.lower().replace("_", "-")
    if code == "en" or code.startswith("en-"):
        return "en"
    if code == "zh" or code.startswith(("zh-hans", "zh-cn", "zh-sg")):
        return "zh"
    raise ValueError(f"describe() speaks 'en' and 'zh' (Simplified Chinese), not {lang!r}")


def _local(text: str) -> str:
    for sep in ("#", "/", ":"):
        text = text.rsplit(sep, 1)[-1]
    return text


_OPERAND_NAMES_ZH: dict[str, str] = {
    "absoluteSize": "大小",
    "count": "使用次数",
    "dateTime": "日期时间",
    "deliveryChannel": "交付渠道",
    "elapsedTime": "已用时长",
    "event": "事件",
    "fileFormat": "文件格式",
    "language": "语言",
    "media": "媒介",
    "meteredTime": "计量时长",
    "payAmount": "支付金额",
    "percentage": "百分比",
    "product": "产品",
    "resolution": "分辨率",
    "systemDevice": "设备",
    "version": "版本",
    "virtualLocation": "虚拟位置",
}


def _words(term: str) -> str:
    """Turn a term or IRI into plain words: ``dayOfWeek`` reads "day of week"."""
    name = _local(term).replace("_", " ")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


@dataclass(frozen=True)
class _Clause:
    """One condition rendered for a sentence; `kind` fixes where it goes."""

    kind: str
    text: str


class _Writer:
    """Renders rules as sentences in one language."""

    def __init__(self, lang: str, labels: Labels | None, policy: Policy | None = None) -> None:
        self.lang = lang
        self.en = lang == "en"
        self.labels = labels
        self.policy = policy

    # -- values -----------------------------------------------------------------------------

    def join(self, items: Sequence[str], word: str = "or") -> str:
        if self.en:
            if len(items) <= 2:
                return f" {word} ".join(items)
            return ", ".join(items[:-1]) + f" {word} " + items[-1]
        zh_word = "或" if word == "or" else "和"
        if len(items) <= 2:
            return zh_word.join(items)
        return "、".join(items[:-1]) + zh_word + items[-1]

    def day(self, value: date) -> str:
        if self.en:
            return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
        return f"{value.year}年{value.month}月{value.day}日"

    def moment(self, value: datetime) -> str:
        offset = value.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        clock = f"{value.hour:02d}:{value.minute:02d}"
        if self.en:
            return f"{self.day(value.date())}, {clock} ({zone})"
        return f"{self.day(value.date())}{clock}（{zone}）"

    def span(self, value: Duration | timedelta) -> str:
        duration = value if isinstance(value, Duration) else Duration.from_timedelta(value)
        years, months, days, hours, minutes, seconds = duration.parts()
        parts = [
            (years, "year", "年"),
            (months, "month", "个月"),
            (days, "day", "天"),
            (hours, "hour", "小时"),
            (minutes, "minute", "分钟"),
            (int(seconds), "second", "秒"),
        ]
        shown = [(n, en, zh) for n, en, zh in parts if n]
        if not shown:
            return "0 days" if self.en else "0天"
        if self.en:
            words = [f"{n} {en}{'' if n == 1 else 's'}" for n, en, _ in shown]
            return self.join(words, "and")
        return "".join(f"{n}{zh}" for n, _, zh in shown)

    def number(self, value: int | Decimal | float) -> str:
        if self.en and isinstance(value, int):
            return f"{value:,}"
        return str(value)

    def label(self, left: str, value: Value) -> str:
        if isinstance(value, tuple):
            return self.join([self.label(left, v) for v in value])
        if isinstance(value, datetime):
            return self.moment(value)
        if isinstance(value, date):
            return self.day(value)
        if isinstance(value, Duration | timedelta):
            return self.span(value)
        if isinstance(value, bool):
            return ("yes" if value else "no") if self.en else ("是" if value else "否")
        if isinstance(value, int | Decimal | float):
            return self.number(value)
        if isinstance(value, Quantity):
            return self.amount(value.amount, value.unit)
        text = value.lexical if isinstance(value, TypedLiteral) else str(value)
        if self.labels is not None:
            named = self.labels(left, text, self.lang)
            if named:
                return named
        if left == "spatial":
            return self.region(text)
        if left == "purpose":
            known = _PURPOSES.get(_local(text))
            if known:
                return known[0] if self.en else known[1]
        if left == "industry" and not isinstance(value, IRI):
            return f"industry {text}" if self.en else f"行业{text}"
        return _local(text) if isinstance(value, IRI) else text

    def region(self, code: str) -> str:
        name = region_name(code, self.lang)
        if name:
            return f"{name} ({code})" if self.en else f"{name}（{code}）"
        if is_region_code(code):
            return f"region {code}" if self.en else f"行政区划{code}"
        return _local(code)

    def amount(self, amount: Value, unit: str | None) -> str:
        number = str(amount)
        if not unit:
            return number
        code = _CURRENCIES.get(_local(unit))
        if code:
            return f"{number} {code[0]}" if self.en else f"{number}{code[1]}"
        return f"{number} {_words(unit)}"

    def verb(self, action: str, obj: str | None = None) -> str:
        known = _ACTIONS.get(action) or _ACTIONS.get(ODRL_ACTIONS.current(action))
        if obj is None:
            obj = "this resource" if self.en else "本资源"
        if known:
            return (known[0] if self.en else known[1]).format(obj=obj)
        name = _local(action)
        return f"exercise “{name}” on {obj}" if self.en else f"对{obj}执行“{name}”"

    # -- constraints ------------------------------------------------------------------------

    def clauses(self, items: Sequence[ConstraintLike], only: bool) -> list[_Clause]:
        return [self.clause(item, only) for item in items if not _is_timing(item)]

    def clause(self, item: ConstraintLike, only: bool) -> _Clause:
        if isinstance(item, LogicalConstraint):
            merged = _merge_alternatives(item)
            if merged is not None:
                return self.clause(merged, only)
            return self.logical(item)
        left, op, value = item.left_operand, item.operator, item.right_operand
        positive = op in _POSITIVE
        negative = op in _NEGATIVE
        if left == "purpose" and (positive or negative):
            names = self.label(left, value)
            if self.en:
                text = f"not for {names} purposes" if negative else f"for {names} purposes"
                return _Clause("purpose", text + (" only" if only and positive else ""))
            lead = "不以" if negative else ("仅以" if only else "以")
            tail = "为目的" if negative else "目的"
            return _Clause("purpose", f"{lead}{names}{tail}")
        if left == "spatial" and (positive or negative):
            names = self.label(left, value)
            if self.en:
                if negative:
                    return _Clause("region", f"anywhere except {names}")
                return _Clause("region", f"{'only ' if only else ''}in {names}")
            if negative:
                return _Clause("region", f"在{names}以外")
            return _Clause("region", f"{'仅' if only else ''}在{names}范围内")
        if left == "industry" and (positive or negative):
            names = self.label(left, value)
            if self.en:
                if negative:
                    return _Clause("industry", f"not by enterprises in {names}")
                return _Clause("industry", f"{'only ' if only else ''}by enterprises in {names}")
            if negative:
                return _Clause("industry", f"不适用于{names}的企业")
            return _Clause("industry", f"{'仅限' if only else '限'}{names}的企业")
        if left in {"recipient", "assignee"} and (positive or negative):
            names = self.label(left, value)
            if self.en:
                return _Clause(
                    "recipient",
                    f"{'not' if negative else 'only' if only else ''} to {names}".strip(),
                )
            return _Clause(
                "recipient", f"{'不得向' if negative else '仅向' if only else '向'}{names}"
            )
        if left == "dateTime" and isinstance(value, date):
            clause = self.time(op, value)
            if clause is not None:
                return clause
        if left == "elapsedTime" and isinstance(value, Duration) and op in {"lt", "lteq"}:
            span = self.span(value)
            if self.en:
                return _Clause("period", f"within {span} of the start of the agreement")
            return _Clause("period", f"在协议生效后{span}内")
        if left == "count" and isinstance(value, int) and op in {"lt", "lteq"}:
            limit = value - 1 if op == "lt" else value
            if self.en:
                return _Clause(
                    "count", f"at most {self.number(limit)} time{'s' if limit != 1 else ''}"
                )
            return _Clause("count", f"最多{limit}次")
        return self.generic(item, only)

    def time(self, op: str, value: date) -> _Clause | None:
        if isinstance(value, datetime):
            shown = self.moment(value)
            en = {"lt": "before", "lteq": "until", "gt": "after", "gteq": "from"}.get(op)
            zh = {"lt": "在{}之前", "lteq": "在{}前", "gt": "在{}之后", "gteq": "自{}起"}.get(op)
            if en is None or zh is None:
                return None
            return _Clause("time", f"{en} {shown}" if self.en else zh.format(shown))
        # Whole days: "lt D" is "until the day before D", "gt D" is "from the day after D".
        if op in {"lt", "lteq"}:
            last = value - timedelta(days=1) if op == "lt" else value
            text = f"until {self.day(last)}" if self.en else f"在{self.day(last)}前"
            return _Clause("time", text)
        if op in {"gt", "gteq"}:
            first = value + timedelta(days=1) if op == "gt" else value
            text = f"from {self.day(first)}" if self.en else f"自{self.day(first)}起"
            return _Clause("time", text)
        if op == "eq":
            text = f"only on {self.day(value)}" if self.en else f"仅在{self.day(value)}当天"
            return _Clause("time", text)
        return None

    def condition(self, item: ConstraintLike) -> str:
        """Render a constraint as a bare condition ("purpose is research")."""
        if isinstance(item, LogicalConstraint):
            return self.logical(item).text
        words = _OPERATOR_WORDS.get(item.operator)
        left = _words(item.left_operand)
        if not self.en:
            left = _OPERAND_NAMES_ZH.get(item.left_operand, left)
        value = self.label(item.left_operand, item.right_operand)
        if item.unit and not isinstance(item.right_operand, tuple):
            value = self.amount(item.right_operand, item.unit)
        if words is None:
            op = _local(item.operator)
            return f"{left} {op} {value}" if self.en else f"{left}{op}{value}"
        return f"{left} {words[0]} {value}" if self.en else f"{left}{words[1]}{value}"

    def generic(self, item: Constraint, only: bool) -> _Clause:
        text = self.condition(item)
        if self.en:
            return _Clause("other", f"{'only ' if only else ''}if {text}")
        return _Clause("other", f"{'仅当' if only else '当'}{text}时")

    def logical(self, item: LogicalConstraint) -> _Clause:
        parts = [self.condition(c) for c in item.constraints]
        if self.en:
            lead = {
                "or": "provided that at least one of these holds",
                "xone": "provided that exactly one of these holds",
            }.get(item.operator, "provided that all of these hold")
            return _Clause("other", f"{lead}: " + "; ".join(parts))
        lead = {"or": "须满足以下任一条件", "xone": "须恰好满足以下一项条件"}.get(
            item.operator, "须同时满足以下条件"
        )
        return _Clause("other", f"{lead}：" + "；".join(parts))

    # -- collections ------------------------------------------------------------------------

    def collection(self, node: PartyCollection | AssetCollection) -> str:
        """Name a collection: by `labels` (``"partOf"``), else by its IRI."""
        if self.labels is not None:
            named = self.labels("partOf", node.iri, self.lang)
            if named:
                return named
        return f"the collection {node.iri}" if self.en else f"集合{node.iri}"

    def trait(self, item: ConstraintLike) -> str:
        """Render a party collection's refinement as something the reader is ("are located in…")."""
        if isinstance(item, Constraint) and item.left_operand in {"spatial", "industry"}:
            names = self.label(item.left_operand, item.right_operand)
            negative = item.operator in _NEGATIVE
            if item.operator in _POSITIVE or negative:
                if item.left_operand == "spatial":
                    if self.en:
                        return f"are {'not ' if negative else ''}located in {names}"
                    return f"{'不' if negative else ''}位于{names}"
                if self.en:
                    return f"{'do not work' if negative else 'work'} in {names}"
                return f"{'不' if negative else ''}属于{names}"
        text = self.condition(item)
        return f"your {text}" if self.en else f"您的{text}"

    def lead(self, rule: Permission | Prohibition, en: str, zh: str) -> str:
        """The start of a rule's sentence; a party collection as assignee makes it conditional."""
        assignee = rule.assignee or (self.policy.assignee if self.policy else None)
        if not isinstance(assignee, PartyCollection):
            return en if self.en else zh
        traits = [self.trait(item) for item in assignee.refinements]
        name = self.collection(assignee)
        if self.en:
            parts = [f"belong to {name}", *traits]
            return f"If you {self.join(parts, 'and')}, {en[0].lower()}{en[1:]}"
        return f"若您属于{name}{''.join('且' + t for t in traits)}，{zh}"

    def obj(self, rule: Permission | Prohibition) -> str | None:
        """The object of a rule's verb: this resource, or each member of a target collection."""
        target = rule.target or (self.policy.target if self.policy else None)
        if not isinstance(target, AssetCollection):
            return None
        name = self.collection(target)
        conditions = [self.condition(item) for item in target.refinements]
        if self.en:
            whose = f" whose {self.join(conditions, 'and')}" if conditions else ""
            return f"each resource in {name}{whose}"
        return f"{name}中{'且'.join(conditions)}的各项资源"

    def granted_by(self, node: object, kind: str) -> str | None:
        """A sentence saying that every member of an assigner collection sets the terms."""
        if not isinstance(node, PartyCollection):
            return None
        name = self.collection(node)
        if self.en:
            subject = {
                "policy": "These terms are given",
                "permission": "This permission is given",
                "prohibition": "This prohibition is set",
            }[kind]
            return f"{subject} by each member of {name}."
        subject_zh = {"policy": "本使用条款", "permission": "此项许可", "prohibition": "此项禁止"}
        verb = "设定" if kind == "prohibition" else "给出"
        return f"{subject_zh[kind]}由{name}的各成员{verb}。"

    # -- sentences --------------------------------------------------------------------------

    def sentence(self, lead: str, verb: str, clauses: list[_Clause]) -> str:
        if self.en:
            order = [
                "purpose",
                "region",
                "industry",
                "recipient",
                "time",
                "period",
                "count",
                "other",
            ]
            ranked = sorted(clauses, key=lambda c: order.index(c.kind))
            text = f"{lead} {verb}"
            for i, clause in enumerate(ranked):
                text += (" " if i == 0 else ", ") + clause.text
            return text + "."

        def of(*kinds: str) -> list[str]:
            return [c.text for kind in kinds for c in clauses if c.kind == kind]

        text = (
            lead + "".join(of("time", "period")) + "、".join(of("region", "recipient", "purpose"))
        )
        text += verb
        after = of("count", "industry", "other")
        return text + "".join("，" + t for t in after) + "。"

    def permission(self, rule: Permission) -> list[str]:
        lead = self.lead(rule, "You may", "您可")
        verb = self.verb(rule.action.name, self.obj(rule))
        sentences = [self.sentence(lead, verb, self.rule_clauses(rule, only=True))]
        sentences.extend(self.duty(d, _duty_lead(d, self.en)) for d in rule.duties)
        granted = self.granted_by(rule.assigner, "permission")
        return sentences + ([granted] if granted else [])

    def prohibition(self, rule: Prohibition) -> list[str]:
        lead = self.lead(rule, "You may not", "您不得")
        verb = self.verb(rule.action.name, self.obj(rule))
        sentences = [self.sentence(lead, verb, self.rule_clauses(rule, only=False))]
        granted = self.granted_by(rule.assigner, "prohibition")
        return sentences + ([granted] if granted else [])

    def rule_clauses(self, rule: Permission | Prohibition, only: bool) -> list[_Clause]:
        return self.clauses(rule.constraints, only) + self.clauses(rule.action.refinements, only)

    def duty(self, duty: Duty, lead: str) -> str:
        action = duty.action
        phrase = self.verb(action.name)
        refinements = list(action.refinements)
        if action.name in {"compensate", "pay"}:
            pay = next(
                (
                    r
                    for r in refinements
                    if isinstance(r, Constraint)
                    and r.left_operand == "payAmount"
                    and r.operator in {"eq", "lteq", "gteq"}
                ),
                None,
            )
            if pay is not None:
                refinements.remove(pay)
                amount = self.amount(pay.right_operand, pay.unit)
                phrase = f"pay {amount}" if self.en else f"支付{amount}"
        clauses = self.clauses(duty.constraints, only=True) + self.clauses(refinements, True)
        return self.sentence(lead, phrase, clauses)


def _is_timing(item: ConstraintLike) -> bool:
    if not isinstance(item, Constraint) or item.left_operand != "event":
        return False
    value = item.right_operand
    text = value.value if isinstance(value, IRI) else value
    return text in {POLICY_USAGE, "policyUsage"}


def _duty_timing(duty: Duty) -> str:
    for item in duty.constraints:
        if _is_timing(item) and isinstance(item, Constraint):
            return "after" if item.operator in {"gt", "gteq", "eq"} else "before"
    return "before"


def _duty_lead(duty: Duty, en: bool) -> str:
    if _duty_timing(duty) == "after":
        return "After each use, you must" if en else "每次使用后，您须"
    return "Before using it, you must" if en else "使用前，您须"


def _merge_alternatives(item: LogicalConstraint) -> Constraint | None:
    """Read ``or(x isPartOf a, x isPartOf b)`` as ``x isAnyOf [a, b]`` for wording."""
    parts = item.constraints
    if item.operator != "or" or not parts or not all(isinstance(p, Constraint) for p in parts):
        return None
    atoms = [p for p in parts if isinstance(p, Constraint)]
    lefts = {a.left_operand for a in atoms}
    ops = {a.operator for a in atoms}
    if len(lefts) != 1 or not ops <= {"eq", "isPartOf", "isA", "isAnyOf"}:
        return None
    values: list[Value] = []
    for atom in atoms:
        values.extend(
            atom.right_operand if isinstance(atom.right_operand, tuple) else [atom.right_operand]
        )
    return Constraint(atoms[0].left_operand, "isAnyOf", tuple(values))


def describe_rules(policy: Policy, lang: str = "en", *, labels: Labels | None = None) -> list[str]:
    """Return one plain-language sentence per rule and duty of the policy."""
    writer = _Writer(_lang(lang), labels, policy)
    sentences: list[str] = []
    granted = writer.granted_by(policy.assigner, "policy")
    if granted:
        sentences.append(granted)
    for permission in policy.permissions:
        sentences.extend(writer.permission(permission))
    for prohibition in policy.prohibitions:
        sentences.extend(writer.prohibition(prohibition))
    for obligation in policy.obligations:
        sentences.append(writer.duty(obligation, "You must" if writer.en else "您须"))
    return sentences


def describe(policy: Policy, lang: str = "en", *, labels: Labels | None = None) -> str:
    """Describe a policy in plain English ("en") or Simplified Chinese ("zh") for an SME owner."""
    sentences = describe_rules(policy, lang, labels=labels)
    return (" " if _lang(lang) == "en" else "").join(sentences)
