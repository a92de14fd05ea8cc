"""How the demo's resources are phrased: a template per kind of resource, further titles,
a sentence of the publisher's own, and the themes of the lists that hold them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceTemplate:
    """Phrasing of one kind of resource; `{d}` is the domain in the text's language."""

    resource_type: str
    pillar: str
    unit: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]
    price_range: tuple[int, int] | None  # CNY per unit, None = free by default
    capacity_range: tuple[int, int] | None
    period: str


TEMPLATES: tuple[ResourceTemplate, ...] = (
    ResourceTemplate(
        "compute",
        "innovation",
        "gpu_hour",
        "{d}行业GPU算力资源池",
        "GPU computing pool for {d}",
        "面向{d}中小企业开放A800/H800 GPU集群算力，支持大模型训练、微调与推理，提供容器化环境和调度平台，按卡时计费。",
        "A800/H800 GPU cluster capacity opened to {d} SMEs for model training, fine-tuning and inference, with containers and a job scheduler; billed per GPU-hour.",
        ("算力", "GPU", "模型训练", "推理"),
        ("compute", "GPU", "training", "inference"),
        (8, 30),
        (2000, 20000),
        "month",
    ),
    ResourceTemplate(
        "compute",
        "innovation",
        "core_hour",
        "{d}仿真计算高性能集群",
        "High-performance simulation cluster for {d}",
        "开放CPU高性能计算集群，预装CAE、CFD仿真软件，帮助{d}企业开展结构、流体与热仿真，降低研发试错成本。",
        "CPU high-performance computing cluster with CAE and CFD simulation software preinstalled, helping {d} firms run structural, fluid and thermal simulations at lower R&D cost.",
        ("高性能计算", "仿真", "CAE"),
        ("HPC", "simulation", "CAE"),
        (1, 3),
        (50000, 400000),
        "month",
    ),
    ResourceTemplate(
        "ai_model",
        "innovation",
        "kilotoken",
        "{d}行业大模型开放接口",
        "Industry large language model for {d}",
        "基于千亿参数基础模型、经{d}领域语料精调的行业大模型，开放问答、文档理解、工艺知识检索能力，支持私有化部署咨询。",
        "A foundation model fine-tuned on {d} corpora, opened for question answering, document understanding and process-knowledge retrieval; private deployment on request.",
        ("大模型", "人工智能", "知识问答"),
        ("large language model", "AI", "question answering"),
        (1, 5),
        (1000000, 10000000),
        "month",
    ),
    ResourceTemplate(
        "ai_model",
        "innovation",
        "api_call",
        "{d}视觉质检模型",
        "Visual quality-inspection model for {d}",
        "开放工业视觉缺陷检测模型及少样本训练工具，适用于{d}产线表面缺陷、装配错漏检测，提供标注平台。",
        "Industrial vision defect-detection model with few-shot training tools for {d} production lines: surface defects and assembly errors, with a labelling platform.",
        ("机器视觉", "质检", "缺陷检测"),
        ("machine vision", "quality inspection", "defect detection"),
        (0, 1),
        (100000, 2000000),
        "month",
    ),
    ResourceTemplate(
        "dataset",
        "open",
        "download",
        "{d}产业链公共数据集",
        "{d} supply-chain open dataset",
        "汇聚{d}上下游企业、产品、产能与价格指数的脱敏数据集，按月更新，可用于市场分析、选址与供需匹配研究。",
        "Anonymised dataset of {d} upstream and downstream firms, products, capacity and price indices, updated monthly, for market analysis, site selection and supply-demand matching.",
        ("数据集", "产业链", "价格指数"),
        ("dataset", "supply chain", "price index"),
        None,
        None,
        "month",
    ),
    ResourceTemplate(
        "dataset",
        "open",
        "download",
        "{d}工业设备运行数据样本库",
        "{d} machine operation data samples",
        "开放{d}典型设备传感器时序数据与故障标签，支持预测性维护算法开发与验证，仅限研发用途。",
        "Sensor time series and fault labels from typical {d} machines, for developing and validating predictive-maintenance algorithms; research use only.",
        ("时序数据", "预测性维护", "故障诊断"),
        ("time series", "predictive maintenance", "fault diagnosis"),
        None,
        (100, 1000),
        "month",
    ),
    ResourceTemplate(
        "api",
        "ecosystem",
        "api_call",
        "{d}企业信用与订单撮合API",
        "Credit and order-matching API for {d}",
        "开放平台沉淀的{d}交易撮合、企业信用评估与电子合同能力接口，帮助中小企业快速接入平台订单。",
        "APIs for {d} order matching, credit assessment and e-contracts built on the platform's transaction history, so SMEs can plug into platform orders quickly.",
        ("API", "信用评估", "订单撮合"),
        ("API", "credit scoring", "order matching"),
        (0, 1),
        (100000, 3000000),
        "day",
    ),
    ResourceTemplate(
        "api",
        "innovation",
        "api_call",
        "{d}工业互联网标识解析接口",
        "Industrial internet identifier resolution API for {d}",
        "提供{d}产品全生命周期标识注册、解析与追溯接口，支持质量追溯和供应链协同。",
        "Identifier registration, resolution and traceability APIs across the {d} product life cycle, for quality tracing and supply-chain collaboration.",
        ("标识解析", "追溯", "工业互联网"),
        ("identifier resolution", "traceability", "industrial internet"),
        None,
        (50000, 500000),
        "day",
    ),
    ResourceTemplate(
        "software_tool",
        "innovation",
        "seat",
        "{d}研发设计工业软件",
        "R&D design software suite for {d}",
        "开放国产CAD/CAE/PLM研发设计工具授权，面向{d}中小企业提供云端使用和培训，中小企业享受折扣。",
        "Licences of domestic CAD/CAE/PLM design tools offered in the cloud to {d} SMEs with training; SMEs get a discount.",
        ("工业软件", "CAD", "研发工具"),
        ("industrial software", "CAD", "R&D tools"),
        (200, 3000),
        (20, 200),
        "year",
    ),
    ResourceTemplate(
        "software_tool",
        "ecosystem",
        "seat",
        "{d}数字化转型SaaS工具包",
        "Digital transformation SaaS toolkit for {d}",
        "包含ERP、MES、客户管理等轻量化SaaS应用，为{d}小微企业提供开箱即用的数字化工具。",
        "Lightweight ERP, MES and CRM SaaS applications giving {d} micro and small firms ready-to-use digital tools.",
        ("数字化转型", "SaaS", "MES"),
        ("digital transformation", "SaaS", "MES"),
        (100, 1500),
        (100, 2000),
        "year",
    ),
    ResourceTemplate(
        "equipment",
        "open",
        "equipment_hour",
        "{d}精密加工与检测设备共享",
        "Shared precision machining and metrology equipment for {d}",
        "开放五轴加工中心、三坐标测量仪等高端设备机时，服务{d}企业打样与小批量试制。",
        "Machine time on five-axis machining centres and coordinate measuring machines for {d} prototyping and small-batch trial production.",
        ("设备共享", "打样", "小批量试制"),
        ("equipment sharing", "prototyping", "trial production"),
        (150, 800),
        (200, 1200),
        "month",
    ),
    ResourceTemplate(
        "laboratory",
        "open",
        "lab_day",
        "{d}联合创新实验室开放",
        "Joint innovation laboratory for {d}",
        "企业重点实验室向{d}中小企业开放实验场地、分析仪器与技术人员支持，可开展配方验证与工艺优化。",
        "The company's key laboratory opens bench space, analytical instruments and technician support to {d} SMEs for formulation checks and process optimisation.",
        ("实验室", "工艺优化", "分析测试"),
        ("laboratory", "process optimisation", "analysis"),
        (500, 3000),
        (20, 120),
        "month",
    ),
    ResourceTemplate(
        "laboratory",
        "innovation",
        "lab_day",
        "{d}中试与概念验证平台",
        "Pilot-scale testing and concept validation for {d}",
        "提供{d}中试线、概念验证和工程化放大服务，帮助科技型中小企业跨越实验室到量产的鸿沟。",
        "Pilot-scale lines, concept validation and engineering scale-up for {d}, helping technology SMEs bridge the gap from lab to mass production.",
        ("中试", "概念验证", "工程化"),
        ("pilot-scale testing", "concept validation", "scale-up"),
        (1000, 8000),
        (10, 60),
        "quarter",
    ),
    ResourceTemplate(
        "testing_certification",
        "open",
        "test_slot",
        "{d}产品检验检测认证服务",
        "Inspection, testing and certification for {d} products",
        "具备CMA/CNAS资质，提供{d}产品性能、安全、环保检测及CCC、CE认证辅导，中小企业优先排期。",
        "CMA/CNAS accredited performance, safety and environmental testing of {d} products plus CCC and CE certification guidance; SMEs get priority slots.",
        ("检验检测", "认证", "CNAS"),
        ("testing", "certification", "CNAS"),
        (800, 6000),
        (30, 300),
        "month",
    ),
    ResourceTemplate(
        "training_incubation",
        "ecosystem",
        "participant",
        "{d}专精特新成长营",
        "Growth camp for specialised SMEs in {d}",
        "面向{d}创新型和专精特新中小企业的孵化加速营，提供导师辅导、投融资对接与平台流量扶持。",
        "Incubation and acceleration camp for innovative and SRDI SMEs in {d}: mentoring, investor matchmaking and platform traffic support.",
        ("孵化", "专精特新", "投融资"),
        ("incubation", "SRDI", "investment"),
        None,
        (20, 80),
        "quarter",
    ),
    ResourceTemplate(
        "supply_chain_service",
        "ecosystem",
        "service_case",
        "{d}供应链金融与集采服务",
        "Supply-chain finance and group purchasing for {d}",
        "依托平台交易数据为{d}中小企业提供订单融资、集中采购与物流协同服务，降低采购和资金成本。",
        "Order financing, group purchasing and logistics coordination for {d} SMEs based on platform transaction data, lowering purchasing and funding costs.",
        ("供应链金融", "集中采购", "物流"),
        ("supply-chain finance", "group purchasing", "logistics"),
        None,
        (50, 500),
        "month",
    ),
    ResourceTemplate(
        "market_access",
        "ecosystem",
        "service_case",
        "{d}线上渠道与跨境出海通道",
        "Online channels and export gateway for {d}",
        "为{d}中小企业开放平台店铺入驻绿色通道、流量扶持和跨境电商出海服务，减免首年平台服务费。",
        "Fast-track store onboarding, traffic support and cross-border e-commerce export services for {d} SMEs, with the first year's platform service fee waived.",
        ("市场拓展", "跨境电商", "流量扶持"),
        ("market access", "cross-border e-commerce", "traffic support"),
        None,
        (100, 1000),
        "quarter",
    ),
)


# Further titles of each template (keyed by the template's English title), so that two
# publishers opening the same kind of resource for the same domain name it differently,
# as real catalogs do. `{d}` is the domain in the title's language.
MORE_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "GPU computing pool for {d}": (
        ("{d}大模型训练算力专区", "Model-training compute zone for {d}"),
        ("面向{d}的弹性GPU云主机", "Elastic GPU cloud servers for {d}"),
    ),
    "High-performance simulation cluster for {d}": (
        ("{d}CAE仿真超算服务", "CAE simulation supercomputing for {d}"),
        ("{d}结构与流体仿真机时", "Structural and fluid simulation hours for {d}"),
    ),
    "Industry large language model for {d}": (
        ("{d}知识问答大模型服务", "Knowledge Q&A model service for {d}"),
        ("{d}工艺文档智能助手", "Process-document assistant for {d}"),
    ),
    "Visual quality-inspection model for {d}": (
        ("{d}产线缺陷识别算法", "Production-line defect recognition for {d}"),
        ("{d}少样本视觉检测工具", "Few-shot visual inspection toolkit for {d}"),
    ),
    "{d} supply-chain open dataset": (
        ("{d}上下游企业名录与价格指数", "{d} supplier directory and price index"),
        ("{d}产能与供需月度数据", "Monthly {d} capacity and demand data"),
    ),
    "{d} machine operation data samples": (
        ("{d}设备故障标注数据集", "Labelled {d} machine-fault dataset"),
        ("{d}传感器时序数据开放样本", "Open {d} sensor time-series samples"),
    ),
    "Credit and order-matching API for {d}": (
        ("{d}订单撮合开放接口", "Order-matching API for {d} suppliers"),
        ("{d}企业信用评估服务接口", "Business credit-assessment API for {d}"),
    ),
    "Industrial internet identifier resolution API for {d}": (
        ("{d}产品追溯标识服务", "Product traceability identifiers for {d}"),
        ("{d}二级节点标识注册接口", "Secondary-node identifier registration for {d}"),
    ),
    "R&D design software suite for {d}": (
        ("{d}云端CAD设计授权", "Cloud CAD design licences for {d}"),
        ("{d}PLM研发协同平台", "PLM collaboration platform for {d}"),
    ),
    "Digital transformation SaaS toolkit for {d}": (
        ("{d}小微企业MES轻应用", "Light MES app for small {d} firms"),
        ("{d}一站式ERP与客户管理", "All-in-one ERP and CRM for {d}"),
    ),
    "Shared precision machining and metrology equipment for {d}": (
        ("{d}五轴加工中心机时共享", "Shared five-axis machining hours for {d}"),
        ("{d}三坐标测量与打样服务", "Coordinate measuring and prototyping for {d}"),
    ),
    "Joint innovation laboratory for {d}": (
        ("{d}配方验证开放实验室", "Open formulation-testing lab for {d}"),
        ("{d}分析测试仪器共享", "Shared analytical instruments for {d}"),
    ),
    "Pilot-scale testing and concept validation for {d}": (
        ("{d}中试放大生产线", "Scale-up pilot line for {d}"),
        ("{d}概念验证快速通道", "Concept validation fast track for {d}"),
    ),
    "Inspection, testing and certification for {d} products": (
        ("{d}出口CE认证辅导", "CE certification support for {d} exports"),
        ("{d}CMA检测报告快速通道", "Fast-track CMA test reports for {d}"),
    ),
    "Growth camp for specialised SMEs in {d}": (
        ("{d}专精特新加速计划", "SRDI acceleration programme for {d}"),
        ("{d}初创企业投融资对接营", "Investor matchmaking camp for {d} start-ups"),
    ),
    "Supply-chain finance and group purchasing for {d}": (
        ("{d}原材料集中采购联盟", "Raw-material group purchasing for {d}"),
        ("{d}订单融资服务", "Order financing for {d} suppliers"),
    ),
    "Online channels and export gateway for {d}": (
        ("{d}跨境电商出海服务", "Cross-border e-commerce export service for {d}"),
        ("{d}新店入驻流量扶持", "New-store traffic support for {d}"),
    ),
}


# A second sentence that makes each description the publisher's own: where the resource
# is served from and how much of it there is. `{city}` and `{n}` are filled per resource.
DETAILS: dict[str, tuple[str, str]] = {
    "compute": (
        "算力节点位于{city}，本期可开放约{n}个计费单位，工作日提供技术支持。",
        "Served from our {city} data centre; about {n} billing units are open this period, "
        "with support on working days.",
    ),
    "ai_model": (
        "模型服务部署在{city}，本期开放{n}个调用单位，附接入示例与调优指南。",
        "Hosted in {city}; {n} call units are open this period, with integration samples "
        "and a tuning guide.",
    ),
    "dataset": (
        "数据由{city}团队维护，已覆盖{n}家以上企业样本，字段说明随附。",
        "Maintained by our {city} team; covers more than {n} firms, with a data dictionary.",
    ),
    "api": (
        "接口由{city}机房提供，日调用上限约{n}次，提供沙箱环境。",
        "Served from {city} with a daily limit of about {n} calls and a sandbox for testing.",
    ),
    "software_tool": (
        "由{city}服务团队交付，本期开放{n}个账号席位并提供上线培训。",
        "Delivered by our {city} service team; {n} seats are open this period, with "
        "onboarding training.",
    ),
    "equipment": (
        "设备位于{city}厂区，本期可预约约{n}个机时，可派工程师协助。",
        "The machines stand at our {city} site; about {n} machine hours can be booked this "
        "period, with an engineer on hand.",
    ),
    "laboratory": (
        "实验室位于{city}，本期可预约{n}个实验日，配备专职技术员。",
        "The laboratory is in {city}; {n} lab days can be booked this period, with a "
        "dedicated technician.",
    ),
    "testing_certification": (
        "检测中心位于{city}，本期预留{n}个检测档期给中小企业。",
        "Our {city} testing centre keeps {n} test slots this period for SMEs.",
    ),
    "training_incubation": (
        "营期在{city}线下举办，每期招收约{n}家企业。",
        "Held in person in {city}; each cohort takes about {n} companies.",
    ),
    "supply_chain_service": (
        "由{city}运营中心对接，本期可受理约{n}笔业务。",
        "Handled by our {city} operations centre; about {n} cases can be taken this period.",
    ),
    "market_access": (
        "由{city}招商团队服务，本期开放约{n}个入驻名额。",
        "Run by our {city} merchant team; about {n} onboarding places are open this period.",
    ),
}


# What a list concentrates on, by the resource type that leads it: (Chinese, English).
LIST_THEMES: dict[str, tuple[str, str]] = {
    "compute": ("算力与模型", "computing and models"),
    "ai_model": ("人工智能模型", "AI models"),
    "dataset": ("数据要素", "data"),
    "api": ("开放接口", "open APIs"),
    "software_tool": ("研发与数字化工具", "R&D and digital tools"),
    "equipment": ("设备共享", "shared equipment"),
    "laboratory": ("实验与中试", "laboratories and pilot lines"),
    "testing_certification": ("检验检测认证", "testing and certification"),
    "training_incubation": ("孵化育成", "incubation"),
    "supply_chain_service": ("供应链协同", "supply-chain collaboration"),
    "market_access": ("市场拓展", "market access"),
}
