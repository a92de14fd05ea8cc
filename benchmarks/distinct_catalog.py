"""Distinct resource texts for measuring indexing cost: no two resources say the same thing.

    python -m benchmarks.distinct_catalog --count 100000 [--seed 2026] [--show 5]

The scaled demo catalogs (`synergy demo-data --scale N`) fill 17 templates with 13
domains, so their 10^5 and 10^6 resources have 663 distinct texts between them and the
embedding cache hides what encoding real, different texts costs. `compose` writes one text
per resource instead, for the resource's own type, reproducibly from a seed, and redraws
until every text differs from all the others. A text is put together from:

* parts written here for each resource type: offerings, features, units, prices and
  capacities, hardware and standards (the real names SMEs search for), brand names made of
  two syllables, and title and sentence patterns in Chinese and English;
* the real reference tables the product ships: the 3,200 regions of GB/T 2260 and the 97
  industry divisions of GB/T 4754, both languages (`synergy_hub.eligibility`);
* sentences of the bilingual development collection (`relevance/sme-bilingual-dev`, CC0:
  400 SME catalog entries written for this project), one extra sentence in the text's
  language in about half the texts;
* titles and first sentences of the real datasets described by the public catalogs under
  `catalogs/` (CKAN `package_search`, data.json, DCAT files; English only, fixtures and
  placeholder text left out), used for some English dataset entries.

The shared data is read at run time from `SYNERGY_SHARED_DATA` (see `benchmarks.datasets`);
without it the texts are composed from the first two sources alone. Languages follow the
development collection roughly: 40 % Chinese only, 30 % English only, 30 % both, like a
bilingual resource's titles and descriptions; lengths stay within about 80-400 characters.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from benchmarks.datasets import SHARED_DATA

__all__ = ["ResourceText", "compose"]

MIN_CHARS = 80
MAX_CHARS = 400
LANGUAGES = (("zh", 0.4), ("en", 0.3), ("both", 0.3))


@dataclass(frozen=True, slots=True)
class ResourceText:
    """The searchable fields of one resource, as the catalog stores them."""

    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    keywords: tuple[str, ...]

    def text(self) -> str:
        """The fields joined as the index joins them (without the resource type's label)."""
        parts = [
            self.title_zh,
            self.title_en,
            self.description_zh,
            self.description_en,
            " ".join(self.keywords),
        ]
        return "\n".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class _Offering:
    zh: str
    en: str
    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]


def _offerings(rows: Iterable[tuple[str, str, str, str]]) -> tuple[_Offering, ...]:
    return tuple(
        _Offering(zh, en, tuple(kzh.split("|")), tuple(ken.split("|"))) for zh, en, kzh, ken in rows
    )


# Per resource type: what is offered, (zh, en, keywords zh, keywords en).
OFFERINGS: dict[str, tuple[_Offering, ...]] = {
    "compute": _offerings(
        [
            ("GPU算力租用", "GPU compute rental", "算力|GPU|租用", "compute|GPU|rental"),
            ("智算中心训练集群", "AI training cluster", "智算|训练|集群", "AI computing|training"),
            ("大模型推理算力", "LLM inference capacity", "推理|大模型|算力", "inference|LLM"),
            (
                "高性能计算集群",
                "high-performance computing cluster",
                "高性能计算|HPC",
                "HPC|cluster",
            ),
            (
                "云主机与存储资源包",
                "cloud server and storage bundle",
                "云主机|存储",
                "cloud|storage",
            ),
            ("影视动画渲染农场", "rendering farm", "渲染|云渲染", "rendering|render farm"),
            ("边缘计算节点", "edge computing nodes", "边缘计算|物联网", "edge computing|IoT"),
            ("仿真计算资源", "simulation computing time", "仿真|CAE|CFD", "simulation|CAE|CFD"),
        ]
    ),
    "ai_model": _offerings(
        [
            ("行业大模型接口", "industry LLM API", "大模型|知识问答", "LLM|question answering"),
            (
                "视觉质检模型",
                "visual inspection model",
                "机器视觉|缺陷检测",
                "machine vision|defects",
            ),
            (
                "语音识别与合成模型",
                "speech recognition and synthesis model",
                "语音识别|TTS",
                "ASR|TTS",
            ),
            ("文档智能解析模型", "document understanding model", "OCR|文档解析", "OCR|documents"),
            (
                "智能客服机器人",
                "customer-service chatbot",
                "智能客服|对话",
                "chatbot|customer service",
            ),
            (
                "时序预测模型",
                "time-series forecasting model",
                "预测|时序",
                "forecasting|time series",
            ),
            ("多语言翻译模型", "multilingual translation model", "翻译|多语言", "translation"),
            ("代码生成助手", "code generation assistant", "代码生成|编程", "code generation"),
            (
                "商品图文生成模型",
                "product image and copy generator",
                "AIGC|电商",
                "AIGC|e-commerce",
            ),
        ]
    ),
    "dataset": _offerings(
        [
            (
                "产业链企业数据集",
                "supply-chain company dataset",
                "产业链|企业数据",
                "supply chain|firms",
            ),
            ("价格指数数据", "price index data", "价格指数|行情", "price index|prices"),
            (
                "设备运行时序数据",
                "machine time-series data",
                "时序数据|传感器",
                "time series|sensors",
            ),
            (
                "缺陷图像标注数据集",
                "labelled defect image dataset",
                "图像数据|标注",
                "images|labels",
            ),
            ("跨境贸易海关数据", "customs trade data", "海关数据|进出口", "customs|trade data"),
            ("气象与农情数据", "weather and crop data", "气象|农情", "weather|crops"),
            ("消费趋势数据", "consumer trend data", "消费趋势|零售", "consumer trends|retail"),
            ("物流轨迹数据", "logistics trajectory data", "物流|轨迹", "logistics|trajectories"),
            (
                "专利与标准文献库",
                "patent and standards library",
                "专利|标准文献",
                "patents|standards",
            ),
        ]
    ),
    "api": _offerings(
        [
            ("企业信用查询API", "company credit API", "企业征信|API", "credit|API"),
            ("电子发票接口", "e-invoice API", "电子发票|税务", "e-invoice|tax"),
            ("物流轨迹查询接口", "shipment tracking API", "物流查询|API", "tracking|API"),
            (
                "工业互联网标识解析接口",
                "identifier resolution API",
                "标识解析|追溯",
                "identifiers|tracing",
            ),
            ("支付结算接口", "payment and settlement API", "支付|结算", "payments|settlement"),
            ("地图与位置服务API", "maps and location API", "地图|定位", "maps|location"),
            ("HS编码归类接口", "HS code classification API", "HS编码|报关", "HS code|customs"),
            ("电子合同签署接口", "e-signature API", "电子合同|签章", "e-signature|contracts"),
            ("订单撮合接口", "order-matching API", "订单撮合|采购", "order matching|sourcing"),
        ]
    ),
    "software_tool": _offerings(
        [
            (
                "三维CAD设计软件",
                "3D CAD design software",
                "CAD|工业软件",
                "CAD|industrial software",
            ),
            ("CAE仿真分析软件", "CAE simulation software", "CAE|仿真", "CAE|simulation"),
            (
                "MES制造执行系统",
                "MES manufacturing execution system",
                "MES|生产管理",
                "MES|shop floor",
            ),
            ("云ERP", "cloud ERP", "ERP|财务", "ERP|accounting"),
            ("低代码开发平台", "low-code development platform", "低代码|应用开发", "low-code|apps"),
            ("PLM产品数据管理", "PLM product data management", "PLM|BOM", "PLM|BOM"),
            ("进销存SaaS", "inventory and sales SaaS", "进销存|SaaS", "inventory|SaaS"),
            ("EDA芯片设计工具", "EDA chip design tools", "EDA|芯片设计", "EDA|chip design"),
            ("设备管理EAM系统", "EAM maintenance system", "设备管理|点检", "EAM|maintenance"),
        ]
    ),
    "equipment": _offerings(
        [
            ("五轴加工中心", "five-axis machining centre", "五轴|精密加工", "five-axis|machining"),
            ("三坐标测量仪", "coordinate measuring machine", "三坐标|计量", "CMM|metrology"),
            (
                "工业级3D打印设备",
                "industrial 3D printers",
                "3D打印|增材制造",
                "3D printing|additive",
            ),
            (
                "激光切割设备",
                "laser cutting machines",
                "激光切割|钣金",
                "laser cutting|sheet metal",
            ),
            (
                "注塑成型设备",
                "injection moulding machines",
                "注塑|模具",
                "injection moulding|moulds",
            ),
            ("扫描电子显微镜", "scanning electron microscope", "电镜|SEM", "SEM|microscopy"),
            ("工业CT检测设备", "industrial CT scanner", "工业CT|无损检测", "industrial CT|NDT"),
            ("高低温环境试验箱", "climatic test chambers", "环境试验|温湿度", "climatic testing"),
        ]
    ),
    "laboratory": _offerings(
        [
            (
                "联合创新实验室",
                "joint innovation laboratory",
                "实验室|联合研发",
                "laboratory|joint R&D",
            ),
            ("中试基地", "pilot plant", "中试|放大", "pilot plant|scale-up"),
            (
                "材料分析实验室",
                "materials analysis laboratory",
                "材料分析|表征",
                "materials|analysis",
            ),
            ("电磁兼容实验室", "EMC laboratory", "电磁兼容|EMC", "EMC|laboratory"),
            ("电池安全实验室", "battery safety laboratory", "电池|安全测试", "batteries|safety"),
            (
                "食品安全检测实验室",
                "food safety laboratory",
                "食品检测|农残",
                "food safety|residues",
            ),
            ("概念验证中心", "proof-of-concept centre", "概念验证|成果转化", "proof of concept"),
        ]
    ),
    "testing_certification": _offerings(
        [
            ("CCC认证辅导", "CCC certification support", "CCC|认证", "CCC|certification"),
            ("CE认证检测", "CE marking tests", "CE|出口认证", "CE marking|export"),
            ("电磁兼容检测", "EMC testing", "EMC|检测", "EMC|testing"),
            (
                "可靠性与寿命试验",
                "reliability and life testing",
                "可靠性|寿命",
                "reliability|life test",
            ),
            (
                "化学成分分析",
                "chemical composition analysis",
                "成分分析|RoHS",
                "chemical analysis|RoHS",
            ),
            ("计量校准服务", "calibration services", "计量|校准", "calibration|metrology"),
            (
                "环保与碳足迹检测",
                "environmental and carbon footprint testing",
                "碳足迹|环保",
                "carbon",
            ),
            (
                "医疗器械注册检验",
                "medical device registration testing",
                "医疗器械|注册",
                "medical devices",
            ),
        ]
    ),
    "training_incubation": _offerings(
        [
            ("专精特新培育营", "SRDI growth camp", "专精特新|培育", "SRDI|growth"),
            (
                "数字化转型实训课",
                "digital transformation course",
                "数字化转型|培训",
                "digital|training",
            ),
            ("创业孵化器工位", "incubator desks", "孵化器|创业", "incubator|start-ups"),
            ("出海合规培训", "export compliance training", "出海|合规", "export|compliance"),
            ("投融资对接会", "investor matchmaking days", "投融资|路演", "investment|pitching"),
            (
                "工程师认证课程",
                "engineer certification course",
                "认证课程|工程师",
                "certification|engineers",
            ),
        ]
    ),
    "supply_chain_service": _offerings(
        [
            ("订单融资", "order financing", "供应链金融|融资", "supply-chain finance"),
            (
                "原材料集中采购",
                "group purchasing of raw materials",
                "集采|原材料",
                "group buying|materials",
            ),
            ("仓储与配送", "warehousing and delivery", "仓储|配送", "warehousing|delivery"),
            (
                "供应商认证与准入",
                "supplier qualification",
                "供应商|准入",
                "suppliers|qualification",
            ),
            ("冷链物流", "cold-chain logistics", "冷链|物流", "cold chain|logistics"),
            ("应收账款保理", "receivables factoring", "保理|应收账款", "factoring|receivables"),
        ]
    ),
    "market_access": _offerings(
        [
            (
                "跨境电商出海通道",
                "cross-border e-commerce gateway",
                "跨境电商|出海",
                "cross-border|export",
            ),
            ("店铺入驻绿色通道", "fast-track store onboarding", "入驻|店铺", "onboarding|store"),
            ("直播带货扶持", "livestream sales support", "直播|带货", "livestreaming|sales"),
            ("海外仓服务", "overseas warehouse service", "海外仓|物流", "overseas warehouse"),
            ("品牌营销流量包", "brand marketing traffic package", "流量|营销", "traffic|marketing"),
            (
                "政府采购对接",
                "public procurement matchmaking",
                "政府采购|招投标",
                "procurement|tenders",
            ),
        ]
    ),
}

# Features any offering may have, (zh, en); each type adds its own below.
FEATURES_COMMON = (
    ("提供专属技术顾问", "a dedicated technical adviser"),
    ("支持线上申请与在线签约", "online application and e-contracts"),
    ("7×24小时运维支持", "24/7 operations support"),
    ("首次使用提供免费评估", "a free first assessment"),
    ("可开具增值税专用发票", "VAT special invoices"),
    ("按需付费、随时退订", "pay as you go, cancel any time"),
    ("提供操作培训与使用手册", "training and user manuals"),
    ("数据加密存储并支持审计", "encrypted storage with audit logs"),
)
FEATURES: dict[str, tuple[tuple[str, str], ...]] = {
    "compute": (
        ("支持容器与Kubernetes调度", "container and Kubernetes scheduling"),
        ("预装PyTorch与MindSpore镜像", "PyTorch and MindSpore images preinstalled"),
        ("RDMA高速网络互联", "RDMA interconnect"),
        ("支持弹性扩缩容", "elastic scaling"),
        ("数据不出园区", "data stays on site"),
    ),
    "ai_model": (
        ("支持少样本微调", "few-shot fine-tuning"),
        ("可私有化部署", "private deployment"),
        ("提供标注平台", "a labelling platform"),
        ("开放RESTful接口与SDK", "REST API and SDKs"),
        ("支持国产芯片推理", "inference on domestic chips"),
    ),
    "dataset": (
        ("按月更新", "monthly updates"),
        ("已脱敏处理", "anonymised records"),
        ("提供CSV与API两种获取方式", "CSV download or API access"),
        ("附数据字典与质量报告", "a data dictionary and quality report"),
        ("可在数据沙箱内分析", "analysis inside a data sandbox"),
    ),
    "api": (
        ("毫秒级响应", "millisecond responses"),
        ("提供沙箱测试环境", "a sandbox for testing"),
        ("支持批量调用", "batch calls"),
        ("SLA可用性99.9%", "99.9% availability SLA"),
    ),
    "software_tool": (
        ("云端使用免安装", "runs in the browser, nothing to install"),
        ("支持国产操作系统", "domestic operating systems supported"),
        ("可与现有ERP对接", "connectors to existing ERP"),
        ("提供行业模板", "industry templates"),
    ),
    "equipment": (
        ("配备专职操作工程师", "an operator engineer on hand"),
        ("可承接打样与小批量试制", "prototypes and small batches"),
        ("支持预约机时", "bookable machine time"),
        ("出具检测数据报告", "measurement reports"),
    ),
    "laboratory": (
        ("具备CNAS认可资质", "CNAS accreditation"),
        ("可开展配方验证与工艺优化", "formulation checks and process optimisation"),
        ("提供技术人员驻场支持", "technicians on site"),
        ("支持联合申报科研项目", "joint research grant applications"),
    ),
    "testing_certification": (
        ("具备CMA/CNAS资质", "CMA/CNAS accreditation"),
        ("中小企业优先排期", "priority slots for SMEs"),
        ("出具中英文报告", "reports in Chinese and English"),
        ("提供整改建议", "advice on fixing failures"),
        ("支持上门取样", "sample pick-up"),
    ),
    "training_incubation": (
        ("导师一对一辅导", "one-to-one mentoring"),
        ("对接平台流量扶持", "platform traffic support"),
        ("结业颁发证书", "a certificate on completion"),
        ("提供路演与融资机会", "pitching and funding opportunities"),
    ),
    "supply_chain_service": (
        ("基于平台交易数据授信", "credit based on platform transaction data"),
        ("放款最快当天到账", "same-day disbursement"),
        ("降低采购成本10%以上", "purchase costs cut by 10% or more"),
        ("全程可视化追踪", "end-to-end tracking"),
    ),
    "market_access": (
        ("减免首年平台服务费", "first-year platform fee waived"),
        ("提供多语种运营支持", "multilingual operations support"),
        ("协助办理出口资质", "help with export licences"),
        ("新店流量扶持三个月", "three months of traffic support for new stores"),
    ),
}
HARDWARE = (
    ("A800", "A800"),
    ("H800", "H800"),
    ("H100", "H100"),
    ("H20", "H20"),
    ("昇腾910B", "Ascend 910B"),
    ("L40S", "L40S"),
    ("RTX 4090", "RTX 4090"),
    ("鲲鹏920", "Kunpeng 920"),
    ("海光C86", "Hygon C86"),
)
STANDARDS = (
    "ISO 9001",
    "IATF 16949",
    "ISO 13485",
    "IEC 62133",
    "UN 38.3",
    "EN 71",
    "GB 4943.1",
    "CISPR 25",
    "RoHS",
    "REACH SVHC",
    "GB/T 36276",
    "ISO 14001",
    "GB 31241",
    "FCC Part 15",
    "UL 9540A",
    "GB/T 19001",
    "ISO 27001",
    "GB/T 22239",
)
# Price units per type: (zh, en).
UNITS: dict[str, tuple[tuple[str, str], ...]] = {
    "compute": (("卡时", "GPU-hour"), ("核时", "core-hour"), ("台/月", "server per month")),
    "ai_model": (
        ("千tokens", "thousand tokens"),
        ("次调用", "call"),
        ("路/年", "channel per year"),
    ),
    "dataset": (("次下载", "download"), ("年订阅", "year's subscription"), ("万条", "10,000 rows")),
    "api": (("次调用", "call"), ("千次", "thousand calls"), ("年", "year")),
    "software_tool": (
        ("用户/年", "user per year"),
        ("套", "licence"),
        ("站点/年", "site per year"),
    ),
    "equipment": (("机时", "machine hour"), ("件", "part"), ("天", "day")),
    "laboratory": (("天", "lab day"), ("项", "project"), ("样品", "sample")),
    "testing_certification": (("项", "test"), ("样品", "sample"), ("份报告", "report")),
    "training_incubation": (("人", "participant"), ("期", "cohort"), ("工位/月", "desk per month")),
    "supply_chain_service": (
        ("单", "order"),
        ("吨", "tonne"),
        ("立方米/月", "cubic metre per month"),
    ),
    "market_access": (("店铺/年", "store per year"), ("场", "session"), ("单", "order")),
}
DOMAINS_EXTRA = (
    ("集成电路", "integrated circuits"),
    ("新能源汽车", "new energy vehicles"),
    ("工业机器人", "industrial robots"),
    ("医疗器械", "medical devices"),
    ("光伏", "photovoltaics"),
    ("锂电池", "lithium batteries"),
    ("家具", "furniture"),
    ("陶瓷", "ceramics"),
    ("茶叶", "tea"),
    ("母婴用品", "baby products"),
    ("家电", "home appliances"),
    ("玩具", "toys"),
    ("五金工具", "hardware tools"),
    ("模具", "moulds"),
    ("纺织印染", "textile dyeing"),
    ("预制菜", "prepared meals"),
    ("宠物用品", "pet supplies"),
    ("户外用品", "outdoor gear"),
    ("化妆品", "cosmetics"),
    ("无人机", "drones"),
    ("智能穿戴", "wearables"),
    ("储能", "energy storage"),
    ("半导体设备", "semiconductor equipment"),
    ("钢铁", "steel"),
    ("水产养殖", "aquaculture"),
    ("建材", "building materials"),
    ("印刷包装", "printing and packaging"),
    ("船舶", "shipbuilding"),
    ("轨道交通", "rail transit"),
    ("航空航天", "aerospace"),
)
SYLLABLES = (
    ("天", "Tian"),
    ("华", "Hua"),
    ("云", "Yun"),
    ("智", "Zhi"),
    ("启", "Qi"),
    ("联", "Lian"),
    ("恒", "Heng"),
    ("擎", "Qing"),
    ("睿", "Rui"),
    ("达", "Da"),
    ("信", "Xin"),
    ("创", "Chuang"),
    ("博", "Bo"),
    ("远", "Yuan"),
    ("海", "Hai"),
    ("星", "Xing"),
    ("辰", "Chen"),
    ("泰", "Tai"),
    ("安", "An"),
    ("盛", "Sheng"),
    ("鼎", "Ding"),
    ("嘉", "Jia"),
    ("宏", "Hong"),
    ("明", "Ming"),
    ("光", "Guang"),
    ("康", "Kang"),
    ("诚", "Cheng"),
    ("中", "Zhong"),
    ("汇", "Hui"),
    ("融", "Rong"),
    ("通", "Tong"),
    ("数", "Shu"),
    ("源", "Yuan"),
    ("峰", "Feng"),
    ("衡", "Heng"),
    ("拓", "Tuo"),
    ("鲲", "Kun"),
    ("澜", "Lan"),
    ("钧", "Jun"),
    ("璟", "Jing"),
)
BRAND_SUFFIXES = (
    ("云", "Cloud"),
    ("科技", "Tech"),
    ("智能", "AI"),
    ("数据", "Data"),
    ("智造", "Smart Manufacturing"),
    ("检测", "Testing"),
    ("工业互联网", "Industrial Internet"),
    ("服务", "Services"),
)
PERIODS = (("月", "month"), ("季度", "quarter"), ("年", "year"))


# --- texts read from the shared data ---------------------------------------------------------

_SENTENCE_ZH = re.compile(r"[^。！？；]+[。！？；]")
_SENTENCE_EN = re.compile(r"[^.!?]+(?:\.(?!\d)|[!?])")
_TAG = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(
    r"lorem|ipsum|example|sample|test|asdf|description|placeholder|\[|dataset \d|no description",
    re.IGNORECASE,
)


def _is_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


@cache
def development_sentences(root: Path = SHARED_DATA) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sentences of the development collection's entries: (Chinese ones, English ones)."""
    corpus = root / "relevance" / "sme-bilingual-dev" / "corpus.jsonl"
    zh: list[str] = []
    en: list[str] = []
    if not corpus.exists():
        return (), ()
    for line in corpus.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        if _is_chinese(text):
            zh += [s.strip() for s in _SENTENCE_ZH.findall(text) if 12 <= len(s.strip()) <= 90]
        else:
            en += [s.strip() for s in _SENTENCE_EN.findall(text) if 30 <= len(s.strip()) <= 160]
    return tuple(dict.fromkeys(zh)), tuple(dict.fromkeys(en))


def _json_pairs(data: object) -> Iterable[tuple[str, str]]:
    """(title, description) of every record in a CKAN or data.json document."""
    if isinstance(data, dict):
        title = data.get("title")
        description = data.get("notes") or data.get("description")
        if isinstance(title, str) and isinstance(description, str):
            yield title, description
        for value in data.values():
            yield from _json_pairs(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_pairs(value)


def _rdf_pairs(path: Path) -> Iterable[tuple[str, str]]:
    """(title, description) of every dcat:Dataset of an RDF file, English or untagged."""
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, RDF

    formats = {".rdf": "xml", ".ttl": "turtle", ".jsonld": "json-ld"}
    graph = rdflib.Graph()
    try:
        graph.parse(path, format=formats[path.suffix])
    except Exception:  # some public files do not parse; they are skipped
        return
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        for title in graph.objects(dataset, DCTERMS.title):
            for description in graph.objects(dataset, DCTERMS.description):
                languages = {
                    getattr(title, "language", None),
                    getattr(description, "language", None),
                }
                if languages <= {None, "en"}:
                    yield str(title), str(description)


@cache
def public_datasets(root: Path = SHARED_DATA) -> tuple[tuple[str, str], ...]:
    """Titles and first sentences of the real datasets in the public catalogs (English)."""
    folder = root / "catalogs"
    if not folder.is_dir():
        return ()
    pairs: list[tuple[str, str]] = []
    for path in sorted(folder.rglob("*")):
        if "pod_schema" in path.parts or "shacl" in path.parts:
            continue
        if path.suffix == ".json":
            try:
                pairs += _json_pairs(json.loads(path.read_text(encoding="utf-8")))
            except ValueError:
                continue
        elif path.suffix in (".rdf", ".ttl", ".jsonld"):
            pairs += _rdf_pairs(path)
    kept: dict[str, str] = {}
    for title, description in pairs:
        title = " ".join(title.split())
        first = _SENTENCE_EN.findall(" ".join(_TAG.sub(" ", description).split()))
        sentence = first[0].strip() if first else ""
        if (
            len(title) < 8
            or len(sentence) < 30
            or _PLACEHOLDER.search(title + " " + sentence)
            or _is_chinese(title)
        ):
            continue
        kept.setdefault(title, sentence[:200])
    return tuple(kept.items())


@cache
def _reference() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(regions, industries) as (Chinese, English) names from the shipped code tables."""
    from synergy_hub.eligibility import industries, regions

    region_names = tuple(
        (r.name_zh, r.name_en)
        for r in regions.all_regions()
        if r.level in ("province", "prefecture")
    )
    industry_names = tuple((i.name_zh, i.name_en) for i in industries.divisions())
    return region_names, industry_names


# --- composition -------------------------------------------------------------------------------


class _Composer:
    """Draws the parts of one text after another from one seeded generator."""

    def __init__(self, seed: int, root: Path) -> None:
        from synergy_hub.demo import content

        self.rng = random.Random(seed)
        self.regions, self.industries = _reference()
        self.domains = tuple((zh, en) for _, zh, en, _ in content.DOMAINS) + DOMAINS_EXTRA
        self.sentences_zh, self.sentences_en = development_sentences(root)
        self.datasets = public_datasets(root)

    def _brand(self) -> tuple[str, str]:
        rng = self.rng
        first, second = rng.sample(SYLLABLES, 2)
        suffix = rng.choice(BRAND_SUFFIXES)
        return first[0] + second[0] + suffix[0], f"{first[1]}{second[1].lower()} {suffix[1]}"

    def _terms(self, resource_type: str) -> tuple[str, str]:
        """A sentence on price or capacity, in both languages."""
        rng = self.rng
        unit_zh, unit_en = rng.choice(UNITS[resource_type])
        period_zh, period_en = rng.choice(PERIODS)
        capacity = rng.choice([5, 10, 20, 50, 100, 200, 500, 1000, 5000]) * rng.randint(1, 9)
        choice = rng.random()
        if choice < 0.45:
            price = round(rng.lognormvariate(4, 2), 2 if rng.random() < 0.3 else 0)
            price_text = f"{price:g}"
            discount = rng.choice([5, 10, 15, 20, 30, 40, 50])
            return (
                f"价格{price_text}元/{unit_zh}，中小企业优惠{discount}%。",
                f"RMB {price_text} per {unit_en}; SMEs get {discount}% off.",
            )
        if choice < 0.75:
            return (
                f"免费开放，每{period_zh}{capacity}个名额，先到先得。",
                f"Free of charge, {capacity} places per {period_en}, first come first served.",
            )
        return (
            f"每{period_zh}可提供{capacity}{unit_zh}，需提交申请并签署使用协议。",
            f"{capacity:,} {unit_en}s available per {period_en}, on application and agreement.",
        )

    def _detail(self, resource_type: str) -> tuple[str, str] | None:
        """A sentence naming hardware or a standard, for the types that have one."""
        rng = self.rng
        if resource_type == "compute":
            zh, en = rng.choice(HARDWARE)
            count = rng.choice([8, 16, 32, 64, 128, 256, 512])
            return f"配备{zh}共{count}卡。", f"{count} {en} cards in the pool."
        if resource_type in ("testing_certification", "laboratory", "equipment"):
            first, second = rng.sample(STANDARDS, 2)
            return (
                f"依据{first}和{second}开展，出具CMA/CNAS报告。",
                f"Work follows {first} and {second}, with CMA/CNAS reports.",
            )
        return None

    def compose(self, resource_type: str) -> ResourceText:
        """One resource's text, for its type, in a language mix drawn as described above."""
        rng = self.rng
        offering = rng.choice(OFFERINGS[resource_type])
        brand_zh, brand_en = self._brand()
        region_zh, region_en = rng.choice(self.regions)
        industry_zh, industry_en = rng.choice(self.industries)
        domain_zh, domain_en = rng.choice(self.domains)
        features = rng.sample(FEATURES[resource_type] + FEATURES_COMMON, 2)
        language = rng.choices([name for name, _ in LANGUAGES], [w for _, w in LANGUAGES])[0]
        terms = self._terms(resource_type)
        detail = self._detail(resource_type) if rng.random() < 0.6 else None

        title_zh = rng.choice(
            [
                f"{brand_zh}{domain_zh}{offering.zh}",
                f"{region_zh}{domain_zh}{offering.zh}",
                f"{brand_zh}{offering.zh}（{region_zh}）",
            ]
        )
        title_en = rng.choice(
            [
                f"{brand_en} {offering.en} for {domain_en}",
                f"{offering.en[:1].upper()}{offering.en[1:]} for {domain_en}, {region_en}",
                f"{brand_en}: {offering.en} ({region_en})",
            ]
        )
        opening_zh = (
            f"{brand_zh}面向{region_zh}{industry_zh}中小企业开放{offering.zh}，"
            f"{features[0][0]}，{features[1][0]}。"
        )
        opening_en = (
            f"{brand_en} opens its {offering.en} to {industry_en.lower()} SMEs in {region_en}, "
            f"with {features[0][1]} and {features[1][1]}."
        )
        if resource_type == "dataset" and self.datasets and rng.random() < 0.3:
            real_title, real_sentence = rng.choice(self.datasets)
            title_en = f"{real_title} ({region_en})"
            opening_en = f"{real_sentence} Offered by {brand_en} to SMEs in {region_en}."

        zh_parts = [opening_zh, terms[0]]
        en_parts = [opening_en, terms[1]]
        if language != "both":
            if detail is not None:
                zh_parts.append(detail[0])
                en_parts.append(detail[1])
            if rng.random() < 0.5:
                pool = self.sentences_zh if language == "zh" else self.sentences_en
                if pool:
                    (zh_parts if language == "zh" else en_parts).append(rng.choice(pool))
        keywords_zh = [*rng.sample(offering.keywords_zh, min(2, len(offering.keywords_zh)))]
        keywords_en = [*rng.sample(offering.keywords_en, min(2, len(offering.keywords_en)))]
        keywords_zh.append(domain_zh)
        keywords_en.append(domain_en)
        with_zh, with_en = language in ("zh", "both"), language in ("en", "both")
        text = ResourceText(
            title_zh=title_zh if with_zh else "",
            title_en=title_en if with_en else "",
            description_zh="".join(zh_parts) if with_zh else "",
            description_en=" ".join(en_parts) if with_en else "",
            keywords=tuple(
                dict.fromkeys((keywords_zh if with_zh else []) + (keywords_en if with_en else []))
            ),
        )
        return _fit(text, zh_parts if with_zh else [], en_parts if with_en else [])


def _fit(text: ResourceText, zh_parts: list[str], en_parts: list[str]) -> ResourceText:
    """Drop trailing sentences (never the first two) until the text is at most MAX_CHARS."""
    while len(text.text()) > MAX_CHARS and (len(zh_parts) > 2 or len(en_parts) > 2):
        longer = zh_parts if len(zh_parts) > 2 else en_parts
        longer.pop()
        text = ResourceText(
            text.title_zh,
            text.title_en,
            "".join(zh_parts) if text.description_zh else "",
            " ".join(en_parts) if text.description_en else "",
            text.keywords,
        )
    return text


def compose(
    resource_types: Sequence[str], *, seed: int = 2026, root: Path = SHARED_DATA
) -> list[ResourceText]:
    """One distinct text per entry of `resource_types` (a resource's type), reproducibly.

    A text that repeats an earlier one, or falls outside MIN_CHARS..MAX_CHARS, is drawn
    again; the result holds as many distinct texts as there are entries.
    """
    composer = _Composer(seed, root)
    seen: set[str] = set()
    texts: list[ResourceText] = []
    for resource_type in resource_types:
        for _attempt in range(1000):
            candidate = composer.compose(resource_type)
            body = candidate.text()
            if body not in seen and MIN_CHARS <= len(body) <= MAX_CHARS + 60:
                break
        else:  # pragma: no cover - the parts allow far more texts than any benchmark asks for
            raise RuntimeError(f"could not draw a new text for {resource_type!r}")
        seen.add(body)
        texts.append(candidate)
    return texts


def describe(texts: Sequence[ResourceText]) -> dict[str, float]:
    """Counts that say what a set of texts is like: distinct, lengths, languages."""
    lengths = [len(t.text()) for t in texts]
    deciles = statistics.quantiles(lengths, n=10) if len(lengths) > 1 else lengths * 9
    return {
        "texts": len(texts),
        "distinct": len({t.text() for t in texts}),
        "mean_chars": statistics.fmean(lengths) if lengths else 0.0,
        "min_chars": min(lengths, default=0),
        "p10_chars": deciles[0],
        "p90_chars": deciles[-1],
        "max_chars": max(lengths, default=0),
        "chinese_only": sum(bool(t.title_zh) and not t.title_en for t in texts) / len(texts),
        "english_only": sum(bool(t.title_en) and not t.title_zh for t in texts) / len(texts),
        "bilingual": sum(bool(t.title_zh) and bool(t.title_en) for t in texts) / len(texts),
    }


def main() -> None:
    """Compose texts for a mix of resource types and print what they are like."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.distinct_catalog")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show", type=int, default=5, help="texts to print")
    args = parser.parse_args()
    types = list(OFFERINGS)
    draw = random.Random(args.seed)
    texts = compose([draw.choice(types) for _ in range(args.count)], seed=args.seed)
    print(json.dumps(describe(texts), indent=1))
    print(
        f"sources: {len(development_sentences()[0])} Chinese and "
        f"{len(development_sentences()[1])} English development-collection sentences, "
        f"{len(public_datasets())} public datasets"
    )
    for text in texts[: args.show]:
        print("---\n" + text.text())


if __name__ == "__main__":
    main()
