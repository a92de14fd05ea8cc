"""How the demo's SMEs phrase their needs and what they add about themselves."""

from __future__ import annotations

# Needs, phrased as an SME owner would: (resource type, Chinese, English)
NEED_PHRASES: tuple[tuple[str, str, str], ...] = (
    (
        "compute",
        "我们想训练一个{d}方向的小模型，需要几百个GPU卡时，预算有限",
        "We want to train a small {d} model and need a few hundred GPU-hours on a tight budget",
    ),
    (
        "compute",
        "产品结构仿真算不动，想找按需使用的高性能计算资源",
        "Our structural simulations are too slow; looking for on-demand HPC",
    ),
    (
        "ai_model",
        "希望用大模型做{d}客服和技术文档问答",
        "We would like an LLM for {d} customer service and technical document Q&A",
    ),
    (
        "ai_model",
        "产线表面缺陷靠人工看，想上机器视觉质检",
        "Surface defects on our line are checked by eye; we want machine-vision inspection",
    ),
    (
        "dataset",
        "需要{d}行业上下游企业和价格数据做市场分析",
        "Need {d} supplier, customer and price data for market analysis",
    ),
    (
        "dataset",
        "想找设备故障数据来开发预测性维护算法",
        "Looking for machine failure data to build predictive maintenance",
    ),
    (
        "api",
        "希望接入平台订单和信用评估接口，拓展销售",
        "Want to connect to platform order and credit-scoring APIs to grow sales",
    ),
    (
        "software_tool",
        "买不起正版CAD软件，想找有中小企业折扣的研发设计工具",
        "Cannot afford CAD licences; looking for design tools with an SME discount",
    ),
    (
        "software_tool",
        "工厂想上MES和ERP，但预算少、没有IT人员",
        "Our factory needs MES and ERP but has little budget and no IT staff",
    ),
    (
        "equipment",
        "新产品打样需要五轴加工和三坐标测量设备",
        "Prototyping a new product needs five-axis machining and CMM measurement",
    ),
    (
        "laboratory",
        "需要实验室做配方验证和工艺优化",
        "Need a lab for formulation checks and process optimisation",
    ),
    (
        "laboratory",
        "实验室成果要放大生产，需要中试线和概念验证服务",
        "Our lab result needs scale-up: pilot-scale line and concept validation",
    ),
    (
        "testing_certification",
        "产品出口欧洲需要CE认证和安全检测",
        "Exporting to Europe, our product needs CE certification and safety testing",
    ),
    (
        "testing_certification",
        "{d}新品上市前要做CMA检测报告",
        "Need a CMA test report before launching a new {d} product",
    ),
    (
        "training_incubation",
        "我们是专精特新企业，想参加孵化加速和融资对接",
        "We are an SRDI SME looking for acceleration and investor matchmaking",
    ),
    (
        "supply_chain_service",
        "原材料采购成本高，想参加集中采购并获得订单融资",
        "Raw materials are expensive; we want group purchasing and order financing",
    ),
    (
        "market_access",
        "想开网店并做跨境电商出口，需要平台流量扶持",
        "We want an online store and cross-border exports with platform traffic support",
    ),
)


# What an SME adds about itself when it describes a need: (Chinese, English).
NEED_CONTEXTS: tuple[tuple[str, str], ...] = (
    ("公司{n}人，希望下个季度内落地。", "We are {n} people and want this running next quarter."),
    (
        "我们在{city}，最好能就近服务。",
        "We are based in {city} and would prefer a nearby provider.",
    ),
    ("已有初步方案，缺少专业团队支持。", "We have a first plan but lack specialist support."),
    ("客户要求年底前完成，时间比较紧。", "A customer needs this by year end, so time is short."),
    ("希望先小规模试用，再决定是否长期合作。", "We would like a small trial before committing."),
)
