"""The bilingual lexicon of resource types: the words an SME uses for each catalog type.

Values are the catalog's ``ResourceType`` values. An entry is a regular expression, matched
case-insensitively, longest match first (`spans.find`), so a longer phrase decides over the
words inside it: "训练数据" is data, not model training; "视觉质检" is an AI model, not a
testing service; "出口德国需要认证" is testing and certification, not market access.
Problem words count as much as product words: an SME says "跑模型" or "显卡不够", not
"computing power".
"""

from __future__ import annotations

from typing import Final

from .spans import Rule, compile_rules

__all__ = ["RESOURCE_TYPES", "TYPE_QUERY_WORDS", "TYPE_RULES"]

RESOURCE_TYPES: Final = (
    "dataset",
    "api",
    "ai_model",
    "compute",
    "software_tool",
    "equipment",
    "laboratory",
    "testing_certification",
    "training_incubation",
    "supply_chain_service",
    "market_access",
)

NO_TYPE: Final = ""
"""The value of phrases that mention a type's word without wanting it ("高校孵化的团队")."""

_E = r"(?<![A-Za-z])"  # an English word starts here
_Z = r"(?![A-Za-z])"  # and ends here

_PAIRS: tuple[tuple[str, str], ...] = (
    # --- compute: computing power, and the problems that need it --------------------------
    (r"算力", "compute"),
    (r"显卡", "compute"),
    (r"卡时", "compute"),
    (r"GPU", "compute"),
    (r"CPU核时|核时", "compute"),
    (r"(?:A|H)[18]00|4090|3090|V100|昇腾|910B", "compute"),
    (r"(?:云)?服务器", "compute"),
    (r"高性能计算|超算|超级计算|计算集群|算力集群|GPU集群", "compute"),
    (r"(?:训练|练|跑|微调|精调|炼)[^，,。；;]{0,8}模型", "compute"),
    (r"模型(?:训练|微调|推理)", "compute"),
    (r"微调|推理服务|推理算力", "compute"),
    (r"仿真(?:计算|分析)?|CFD|有限元|流体计算|热仿真|结构计算", "compute"),
    (r"算不动|跑不动|算得太慢|算太慢|电脑带不动", "compute"),
    (
        r"云主机|云资源|云平台|云计算|上云|(?<![A-Za-z])cloud\s+(?:hosting|resources|platform|computing|capacity)(?![A-Za-z])",
        "compute",
    ),
    (_E + r"comput(?:e|ing)(?:\s+power|\s+resources?|\s+capacity)?" + _Z, "compute"),
    (_E + r"HPC" + _Z, "compute"),
    (_E + r"(?:cloud\s+)?servers?" + _Z, "compute"),
    (_E + r"clusters?" + _Z, "compute"),
    (_E + r"supercomput\w*", "compute"),
    (_E + r"simulations?" + _Z, "compute"),
    (
        _E + r"(?:train|training|fine-?tun(?:e|ing)|run(?:ning)?)\s+(?:\w+\s+){0,3}models?" + _Z,
        "compute",
    ),
    (_E + r"fine-?tun(?:e|ing)" + _Z, "compute"),
    (_E + r"inference" + _Z, "compute"),
    (_E + r"graphics\s+cards?" + _Z, "compute"),
    # --- AI models ---------------------------------------------------------------------------
    (
        r"大模型|大语言模型|语言模型|行业模型|AI模型|人工智能模型|预训练模型|知识库问答|智能知识库",
        "ai_model",
    ),
    (
        r"(?:machine[-\s]?vision|computer\s+vision|vision|视觉|AI|智能|自动化?)\s*(?:质检|检测|识别|inspection|quality\s+(?:inspection|control)|QC)",
        "ai_model",
    ),
    (_E + r"(?:LLM|model|AI|chatbot)\s+APIs?" + _Z, "ai_model"),
    (r"(?:大)?模型(?:接口|API)", "ai_model"),
    (r"(?:OCR|识别|语音|翻译|视觉|人脸|图像)(?:接口|API|服务)", "ai_model"),
    (r"人工智能|(?<![A-Za-z])AI(?![A-Za-z])", "ai_model"),
    (
        r"机器视觉|视觉质检|视觉检测|AI质检|智能质检|缺陷检测|瑕疵检测|缺陷识别|图像识别|视觉识别",
        "ai_model",
    ),
    (
        r"智能客服|客服机器人|知识问答|智能问答|文档问答|问答系统|聊天机器人|语音识别|OCR",
        "ai_model",
    ),
    (_E + r"(?:large\s+)?language\s+models?" + _Z, "ai_model"),
    (_E + r"LLMs?" + _Z, "ai_model"),
    (_E + r"(?:AI|vision|foundation|industry)\s+models?" + _Z, "ai_model"),
    (
        _E + r"machine[-\s]vision|computer\s+vision|defect\s+detection|visual\s+inspection",
        "ai_model",
    ),
    (_E + r"chat\s?bots?|question\s+answering|Q&A|customer\s+service\s+bot", "ai_model"),
    (_E + r"artificial\s+intelligence", "ai_model"),
    # --- datasets ----------------------------------------------------------------------------
    (r"数据集|数据样本|样本库|语料|训练数据|标注数据", "dataset"),
    (
        r"(?:价格|行情|市场|产业链|供应链|上下游|产能|传感器|时序|故障|运行|设备|行业|公开|开放)[^，,。；;？?]{0,6}数据",
        "dataset",
    ),
    (r"数据(?!中心|分析师|接口|API)", "dataset"),
    (_E + r"data\s?sets?" + _Z, "dataset"),
    (
        _E
        + r"(?:price|market|sensor|fault|failure|supplier|customer|training|open|industry|time[-\s]series)(?:\s+[\w-]+){0,2}\s+data"
        + _Z,
        "dataset",
    ),
    (_E + r"data" + _Z, "dataset"),
    (_E + r"corpus|corpora" + _Z, "dataset"),
    # --- APIs ---------------------------------------------------------------------------------
    (r"接口|(?<![A-Za-z])API(?:s)?(?![A-Za-z])|SDK", "api"),
    (r"订单撮合|信用评估|信用评分|电子合同|标识解析|接入平台订单|平台订单", "api"),
    (
        _E
        + r"(?:credit[-\s]scoring|order[-\s]matching|identifier\s+resolution|e-?contracts?)"
        + _Z,
        "api",
    ),
    # --- software and R&D tools -------------------------------------------------------------
    (r"(?:工业|设计|研发|管理|正版)?软件|工具包|研发工具|设计工具", "software_tool"),
    (r"(?<![A-Za-z])(?:CAD|CAE|PLM|EDA|ERP|MES|CRM|SaaS|WMS|OA)(?![A-Za-z])", "software_tool"),
    (r"数字化转型|管理系统|信息化系统|上系统|软件授权|授权许可|正版", "software_tool"),
    (_E + r"software" + _Z, "software_tool"),
    (_E + r"licen[cs]es?" + _Z, "software_tool"),
    (_E + r"(?:design|R&D)\s+tools?" + _Z, "software_tool"),
    (_E + r"digital\s+transformation" + _Z, "software_tool"),
    # --- equipment ----------------------------------------------------------------------------
    (
        r"设备(?!故障|运行|数据)|机床|加工中心|五轴|三坐标|3D打印|注塑机|激光切割|数控|机时",
        "equipment",
    ),
    (r"打样|试制|小批量|样机|手板|开模|模具加工", "equipment"),
    (
        _E
        + r"equipment(?!\s+(?:manuals?|makers?|manufacturers?))|machin(?:e|ing)\s+time|CNC|machining|CMM|3D\s+print\w*|prototyp\w*",
        "equipment",
    ),
    (_E + r"machine\s+hours?" + _Z, "equipment"),
    # --- laboratories ---------------------------------------------------------------------------
    (
        r"实验室|实验场地|实验平台|化验室|中试|概念验证|小试|配方验证|工艺验证|工艺优化|分析仪器|工程化放大|放大生产|量产验证",
        "laboratory",
    ),
    (_E + r"lab(?:oratory|oratories|s)?" + _Z, "laboratory"),
    (
        _E + r"lab(?:oratory)?\s+(?:equipment|instruments?|space|bench(?:es)?|technicians?)" + _Z,
        "laboratory",
    ),
    (r"实验设备|实验仪器|实验器材|分析测试|分析检测|化验分析", "laboratory"),
    (
        _E
        + r"pilot[-\s](?:scale|line|plant)|scale[-\s]up|proof\s+of\s+concept|concept\s+validation",
        "laboratory",
    ),
    (_E + r"formulation" + _Z, "laboratory"),
    # --- testing and certification -------------------------------------------------------------
    (
        r"碳足迹|碳核算|碳排放核查|碳盘查|碳认证|(?<![A-Za-z])(?:carbon\s+footprint|LCA|life[-\s]cycle\s+assessment)(?![A-Za-z])",
        "testing_certification",
    ),
    (
        r"检验检测|检测认证|检测报告|测试报告|检验报告|认证|送检|第三方检测|型式试验|安规|合规|检测机构|资质检测",
        "testing_certification",
    ),
    (
        r"(?<!缺陷)(?<!瑕疵)(?<!视觉)(?<!自动)检测|检验|质检|测试|化验|计量|校准",
        "testing_certification",
    ),
    (
        r"(?:CE|CCC|3C|FCC|UL|RoHS|REACH|CMA|CNAS|CB|GS|ETL|FDA|UKCA|PSE|KC)(?:认证|检测|测试|标志|证书|报告)",
        "testing_certification",
    ),
    (
        _E
        + r"certif\w*|testing|tests?|inspection|compliance|accredit\w*|calibrat\w*|metrology"
        + _Z,
        "testing_certification",
    ),
    (_E + r"test\s+reports?" + _Z, "testing_certification"),
    # --- training and incubation ------------------------------------------------------------------
    (
        r"培训|孵化|加速营|加速器|训练营|成长营|创业营|导师|辅导|投融资|融资对接|投资人|找投资|路演|创业",
        "training_incubation",
    ),
    (
        _E
        + r"incubat\w*|accelerat(?:or|ion)\s*(?:program\w*|camp)?|mentor\w*|investors?|bootcamp|start-?up\s+camp|growth\s+camps?"
        + _Z,
        "training_incubation",
    ),
    (
        _E
        + r"(?:staff|employee|team|skills?)\s+training|training\s+(?:courses?|programs?|for\s+(?:our\s+)?(?:staff|employees|workers))"
        + _Z,
        "training_incubation",
    ),
    (_E + r"courses?|workshops?" + _Z, "training_incubation"),
    (
        _E
        + r"training\s+for\s+(?:our\s+)?(?:\d+\s+)?(?:staff|employees|workers|people|engineers)(?:\s+(?:on|in)\s+(?:[\w-]+\s+){0,2}[\w-]+)?"
        + _Z,
        "training_incubation",
    ),
    (
        _E
        + r"train(?:ing)?\s+(?:our\s+)?(?:staff|employees|workers|team)(?:\s+(?:on|in)\s+(?:[\w-]+\s+){0,2}[\w-]+)?"
        + _Z,
        "training_incubation",
    ),
    (
        r"(?:软件|数字化|电商|运营|技能|管理|AI|人工智能|大模型|直播|外贸)(?:技能|操作|应用|运营)?培训",
        "training_incubation",
    ),
    # --- supply-chain services -----------------------------------------------------------------------
    (
        r"供应链金融|订单融资|应收账款|资金周转|集中采购|集采|联合采购|采购|原材料|物流|仓储|配送|货运|贷款|融资",
        "supply_chain_service",
    ),
    (r"供应链(?:服务|协同|管理)?", "supply_chain_service"),
    (
        r"海外仓|跨境物流|国际物流|报关|清关|货代|(?<![A-Za-z])(?:freight\s+forward\w*|customs\s+clearance|overseas\s+warehous\w*)(?![A-Za-z])",
        "supply_chain_service",
    ),
    (_E + r"supply[-\s]chain(?:\s+(?:finance|services?))?" + _Z, "supply_chain_service"),
    (
        _E
        + r"(?:group\s+)?purchasing|procurement|raw\s+materials?|logistics|warehous\w*|freight|financing|loans?|cash\s+flow"
        + _Z,
        "supply_chain_service",
    ),
    # --- market access -----------------------------------------------------------------------------
    (
        r"跨境电商|电商|网店|开店|入驻|出海|海外市场|卖到海外|卖到国外|海外客户|外贸|销售渠道|渠道|流量|拓展市场|开拓市场|市场拓展|直播带货|带货|推广|获客|找客户|订单少|卖不出去|销路",
        "market_access",
    ),
    (
        _E
        + r"e-?commerce|online\s+(?:store|shop|channels?)|cross-?border|overseas\s+(?:markets?|buyers|customers)|marketplace|sales\s+channels?|market\s+access|new\s+markets?|more\s+customers|traffic|storefront"
        + _Z,
        "market_access",
    ),
    (
        _E + r"sell(?=\s+(?:[\w-]+\s+){0,3}(?:online|overseas|abroad))|online\s+sales" + _Z,
        "market_access",
    ),
    (
        _E
        + r"(?:get|getting|put|putting|sell|selling)\s+(?:[\w-]+\s+){0,3}into\s+(?:supermarkets|stores|shops|retail|chain\s+stores)"
        + _Z,
        "market_access",
    ),
    (
        r"亚马逊|天猫|京东|淘宝|拼多多|抖音|阿里巴巴国际站|独立站|(?<![A-Za-z])(?:Amazon|Shopify|eBay|TikTok|Temu|AliExpress|listings?)(?![A-Za-z])",
        "market_access",
    ),
    (r"进超市|进商超|铺货|上架|线上销售|网上卖|网上销售", "market_access"),
    # --- words that name no wanted resource, read here so their parts are not ------------
    (
        r"孵化(?:的|出来的|出的)|(?:高校|大学|园区)孵化|已(?:经)?(?:通过|拿到|获得)[^，,。；;]{0,8}认证",
        NO_TYPE,
    ),
)

TYPE_RULES: Final[tuple[Rule[str], ...]] = compile_rules(_PAIRS)

#: Words added to the catalog search for each type, in the catalog's own phrasing, so a
#: problem statement ("显卡不够") still meets the resources' words ("GPU算力").
TYPE_QUERY_WORDS: Final[dict[str, tuple[str, str]]] = {
    "dataset": ("数据集", "dataset"),
    "api": ("接口", "API"),
    "ai_model": ("模型", "AI model"),
    "compute": ("算力", "computing power"),
    "software_tool": ("软件工具", "software tools"),
    "equipment": ("设备共享", "equipment"),
    "laboratory": ("实验室", "laboratory"),
    "testing_certification": ("检验检测认证", "testing certification"),
    "training_incubation": ("孵化培训", "incubation"),
    "supply_chain_service": ("供应链服务", "supply-chain services"),
    "market_access": ("市场拓展", "market access"),
}
