"""Industry words → GB/T 4754-2017 divisions: what an SME says it makes or does.

A curated dictionary: the standard's titles ("电气机械和器材制造业") are not how an owner
speaks ("我们做小家电的"), so each entry maps everyday product and trade words to the
division the standard files them under (e.g. lithium batteries, class 3841, are in division
38; small household appliances, group 385, also in 38). Codes are checked against the
shipped table by the tests. Phrases that name the company ("软件公司", "物流公司") are
read here first, so they are not also read as a resource the company wants.
"""

from __future__ import annotations

from typing import Final

from .spans import Rule, compile_rules

__all__ = ["INDUSTRY_RULES"]

_E = r"(?<![A-Za-z])"
_Z = r"(?![A-Za-z])"
_FIRM = r"(?:公司|企业|厂|工厂|小厂|行业|产品|生意|的)"

_PAIRS: tuple[tuple[str, str], ...] = (
    # 13-15 food and drink
    (r"农产品加工|粮油|饲料|肉制品|屠宰|水产品加工", "13"),
    (r"食品|零食|糕点|调味品|酱料|酱油|方便食品|烘焙|乳制品|奶粉|速冻", "14"),
    (r"饮料|白酒|啤酒|葡萄酒|茶叶|精制茶|果汁", "15"),
    (_E + r"(?:food|snacks?|bakery|sauces?|dairy|food\s+processing|condiments?)" + _Z, "14"),
    (_E + r"(?:beverages?|drinks|tea|wine|brewery)" + _Z, "15"),
    # 17-19 textiles, apparel, leather and shoes
    (r"纺织|面料|布料|织布|印染|纱线|家纺|布匹", "17"),
    (r"服装|服饰|衣服|女装|男装|童装|内衣|制衣|成衣", "18"),
    (r"皮革|箱包|制鞋|鞋子|鞋厂|鞋业|皮具|(?<![A-Za-z])鞋", "19"),
    (_E + r"(?:textiles?|fabrics?|yarn|dyeing)" + _Z, "17"),
    (_E + r"(?:apparel|garments?|clothing|fashion)" + _Z, "18"),
    (_E + r"(?:shoes?|footwear|leather|handbags?)" + _Z, "19"),
    # 20-24 wood, furniture, paper, printing, consumer articles
    (r"木材|木制品|竹制品", "20"),
    (r"家具|沙发|床垫|橱柜", "21"),
    (r"造纸|纸箱|纸品|包装纸", "22"),
    (r"印刷", "23"),
    (r"玩具|文具|体育用品|运动器材|工艺品|乐器", "24"),
    (_E + r"(?:furniture|sofas?|mattress(?:es)?)" + _Z, "21"),
    (_E + r"(?:toys?|stationery|sporting\s+goods)" + _Z, "24"),
    (_E + r"(?:paper\s+products|cartons?)" + _Z, "22"),
    # 26-30 chemicals, medicines, fibres, rubber and plastics, non-metallic minerals
    (r"化工|化学品|涂料|油漆|胶粘剂|化肥|农药|日化|化妆品|洗涤剂", "26"),
    (r"医药|制药|药品|生物医药|中药|原料药|疫苗|生物制品", "27"),
    (r"化纤|化学纤维", "28"),
    (r"塑料|注塑|橡胶|轮胎|塑胶", "29"),
    (r"陶瓷|玻璃|水泥|建材|石材|新材料", "30"),
    (_E + r"(?:chemicals?|coatings?|paints?|cosmetics)" + _Z, "26"),
    (_E + r"(?:pharma\w*|medicines?|drugs?|biomedic\w*|biotech)" + _Z, "27"),
    (_E + r"(?:plastics?|rubber|injection[-\s]moulded|injection[-\s]molded)" + _Z, "29"),
    (
        _E + r"(?:ceramics?|glass|building\s+materials|advanced\s+materials|new\s+materials)" + _Z,
        "30",
    ),
    # 31-33 metals
    (r"钢铁|钢材|炼钢", "31"),
    (r"铝材|铜材|有色金属|铝型材", "32"),
    (r"五金|金属制品|铸件|锻件|紧固件|螺丝|不锈钢制品|钣金|模具", "33"),
    (_E + r"(?:steel)" + _Z, "31"),
    (
        _E + r"(?:hardware|metal\s+parts|castings?|fasteners?|moulds?|molds?|sheet\s+metal)" + _Z,
        "33",
    ),
    # 34-43 machinery and equipment
    (r"机械|水泵|泵阀|泵|阀门|轴承|机床制造|通用设备|高端装备|智能装备|装备制造|减速机|液压", "34"),
    (r"专用设备|医疗器械|农机|工程机械|包装机械|纺织机械", "35"),
    (
        r"汽车零部件|汽车配件|汽配|汽车零件|整车|汽车|车灯|(?<![A-Za-z])auto(?:motive)?(?![A-Za-z])",
        "36",
    ),
    (r"船舶|航空|无人机|电动自行车|自行车|摩托车|轨道交通", "37"),
    (
        r"锂电池|电池|储能|小家电|家电|电机|电线电缆|电缆|照明|灯具|光伏组件|充电桩|开关插座|电器|新能源",
        "38",
    ),
    (
        r"电子|芯片|半导体|电路板|PCB|集成电路|传感器制造|手机配件|通信设备|消费电子|智能硬件",
        "39",
    ),
    (r"仪器仪表|仪表|测量仪器", "40"),
    (r"再生资源|废旧回收|回收利用", "42"),
    (_E + r"(?:machinery|valves?|bearings?|pumps?|equipment\s+maker|machine\s+tools?)" + _Z, "34"),
    (_E + r"(?:medical\s+devices?)" + _Z, "35"),
    (_E + r"(?:auto\s+parts|car\s+parts|automotive|vehicles?)" + _Z, "36"),
    (_E + r"(?:drones?|e-?bikes?|bicycles?|shipbuilding)" + _Z, "37"),
    (
        _E
        + r"(?:lithium|batter(?:y|ies)|home\s+appliances?|small\s+appliances?|appliances?|motors?|cables?|lighting|lamps?|solar\s+panels?|new\s+energy|energy\s+storage)"
        + _Z,
        "38",
    ),
    (
        _E
        + r"(?:electronics?|chips?|semiconductors?|PCBs?|circuit\s+boards?|consumer\s+electronics|smart\s+hardware)"
        + _Z,
        "39",
    ),
    # 01-05 agriculture
    (r"农业|种植|农场|蔬菜|水果|果园|大棚|智慧农业|农产品|种子", "01"),
    (r"养殖|畜牧|养猪|养鸡|奶牛", "03"),
    (r"渔业|水产养殖", "04"),
    (_E + r"(?:agricultur\w*|farm(?:ing|s)?|fruits?|vegetables?|crops?)" + _Z, "01"),
    # 44 energy
    (r"发电|电力|光伏电站|风电", "44"),
    (
        _E
        + r"(?:wind\s+(?:farms?|power|turbines?)|power\s+generation|solar\s+(?:farm|power))"
        + _Z,
        "44",
    ),
    # 47-50 construction
    (r"建筑|装修|装饰工程", "47"),
    # 51-52 trade
    (r"批发|贸易公司|外贸公司|商贸", "51"),
    (
        r"零售|门店|超市|便利店|网店店主|电商卖家|小店|做电商(?:代运营)?的|电商(?:公司|企业|代运营)",
        "52",
    ),
    (_E + r"(?:wholesale|trading\s+company|distributor)" + _Z, "51"),
    (
        _E
        + r"(?:retail\w*|stores?\s+owner|supermarket\s+(?:chain|operator)|convenience\s+stores?)"
        + _Z,
        "52",
    ),
    # 54-60 transport and storage
    (r"物流" + _FIRM + r"|货运" + _FIRM + r"|运输" + _FIRM + r"|快递" + _FIRM, "54"),
    (r"仓储" + _FIRM + r"|仓库" + _FIRM, "59"),
    (_E + r"(?:logistics\s+(?:company|firm|business)|trucking|freight\s+company)" + _Z, "54"),
    # 61-62 hospitality
    (r"酒店|民宿|宾馆", "61"),
    (r"餐饮|饭店|餐厅|奶茶店|火锅", "62"),
    (_E + r"(?:hotels?|restaurants?|catering|cafe)" + _Z, "62"),
    # 64-65 internet and software
    (r"互联网" + _FIRM, "64"),
    (
        r"做[^，,。；;]{0,6}(?:算法|软件|APP|小程序)的|(?:算法|AI|人工智能)(?:公司|团队)|软件"
        + _FIRM
        + r"|做软件|软件开发|软件外包|IT服务|信息技术服务|系统集成",
        "65",
    ),
    (
        _E
        + r"(?:software\s+(?:company|firm|house|startup|developer)|IT\s+services|SaaS\s+startup)"
        + _Z,
        "65",
    ),
    # 72-75 business and technical services
    (r"广告|咨询公司|设计公司|会展", "72"),
    (r"检测公司|设计院", "74"),
    # 83-90 education, health, culture
    (r"教育|培训机构|学校", "83"),
    (r"医院|诊所|养老", "84"),
    (r"文创|动漫|游戏公司|影视", "87"),
)

INDUSTRY_RULES: Final[tuple[Rule[str], ...]] = compile_rules(_PAIRS)
