"""Generate a synthetic gxsite content tree (see docs/content-format.md).

    python benches/gen_content.py N OUTDIR [--seed S]

The tree has N items spread over every item type, with all required fields,
valid cross references (interpretations, progress reports, related items,
relative links between bodies), unique 索引号, and Chinese Markdown bodies of
300-1500 characters built from a fixed vocabulary. Everything is drawn from one
seeded RNG, so a given (N, seed) always produces byte-identical files.

Tests import it: ``generate(n, outdir, seed=0)``.

The text contains no personal data: names of officers and interpreters are
synthetic, parties are masked (张某, 某某公司), and no digit run is longer than
eight digits, so no string can look like an ID card, mobile or bank card number.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass, field

import yaml

START = dt.date(2019, 1, 1)
END = dt.date(2026, 11, 20)
DIVISION_CODE = "511525"

# ---------------------------------------------------------------- fixed tables

# (id, full name, short name, kind, 机关代字 for 文号 and 案号)
DEPARTMENTS = [
    ("xzfb", "高县人民政府办公室", "县政府办公室", "department", "高府"),
    ("fgj", "高县发展和改革局", "县发展改革局", "department", "高发改"),
    ("xzspj", "高县行政审批非公经济发展局", "县行政审批非公经济发展局", "department", "高审批"),
    ("jyj", "高县教育和体育局", "县教育体育局", "department", "高教体"),
    ("gaj", "高县公安局", "县公安局", "department", "高公"),
    ("mzj", "高县民政局", "县民政局", "department", "高民"),
    ("sfj", "高县司法局", "县司法局", "department", "高司"),
    ("czj", "高县财政局", "县财政局", "department", "高财"),
    ("rsj", "高县人力资源和社会保障局", "县人力资源社会保障局", "department", "高人社"),
    ("tjj", "高县统计局", "县统计局", "department", "高统"),
    ("xczxj", "高县乡村振兴局", "县乡村振兴局", "department", "高乡振"),
    ("sthjj", "宜宾市高县生态环境局", "县生态环境局", "department", "高环"),
    ("zjcgj", "高县住房城乡建设和城镇管理局", "县住建城管局", "department", "高住建"),
    ("zhzfj", "高县综合行政执法局", "县综合执法局", "department", "高综执"),
    ("nyncj", "高县农业农村局", "县农业农村局", "department", "高农"),
    ("wglyj", "高县文化广播电视和旅游局", "县文广旅游局", "department", "高文旅"),
    ("wjj", "高县卫生健康局", "县卫生健康局", "department", "高卫健"),
    ("yjglj", "高县应急管理局", "县应急管理局", "department", "高应急"),
    ("scjgj", "高县市场监督管理局", "县市场监管局", "department", "高市监"),
    ("zrzyj", "高县自然资源和规划局", "县自然资源规划局", "department", "高自然资源"),
    ("jtysj", "高县交通运输局", "县交通运输局", "department", "高交"),
    ("swj", "国家税务总局高县税务局", "县税务局", "other", "高税"),
    ("xcb", "中共高县县委宣传部", "县委宣传部", "party", "高委宣"),
]

# The 13 towns of 高县 (the county's own facts); ids are pinyin initials.
TOWNS = [
    ("wjz", "文江"), ("qfz", "庆符"), ("shz", "沙河"), ("jlz", "嘉乐"), ("lcz", "罗场"),
    ("jcz", "蕉村"), ("kjz", "可久"), ("lfz", "来复"), ("yjz", "月江"), ("stz", "胜天"),
    ("fxz", "复兴"), ("lrz", "落润"), ("qlz", "庆岭"),
]

# The 30 key domains of 附件3 of 高府办函〔2023〕55号 with their responsible org.
DOMAINS = [
    ("zdjsxm", "重大建设项目", "fgj"), ("ggzyjy", "公共资源交易", "xzspj"),
    ("ywjy", "义务教育", "jyj"), ("hjgl", "户籍管理", "gaj"),
    ("shjz", "社会救助", "mzj"), ("ylfw", "养老服务", "mzj"),
    ("ggflfw", "公共法律服务", "sfj"), ("czyjs", "财政预决算", "czj"),
    ("jy", "就业", "rsj"), ("shbx", "社会保险", "rsj"), ("tj", "统计", "tjj"),
    ("xczx", "巩固脱贫成果与乡村振兴有效衔接", "xczxj"), ("sthj", "生态环境", "sthjj"),
    ("bzxzf", "保障性住房", "zjcgj"), ("fwzs", "国有土地上房屋征收与补偿", "zjcgj"),
    ("ncwfgz", "农村危房改造", "zjcgj"), ("szfw", "市政服务", "zjcgj"),
    ("cszhzf", "城市综合执法", "zhzfj"), ("snbt", "涉农补贴", "nyncj"),
    ("ggwhfw", "公共文化服务", "wglyj"), ("wsjk", "卫生健康", "wjj"),
    ("aqsc", "安全生产", "yjglj"), ("jz", "救灾", "yjglj"),
    ("spypjg", "食品药品监管", "scjgj"), ("zrzy", "自然资源", "zrzyj"),
    ("ssgl", "税收管理", "swj"), ("jtys", "交通运输", "jtysj"),
    ("xwcbbq", "新闻出版版权", "xcb"), ("gbdsst", "广播电视和网络视听", "wglyj"),
    ("ly", "旅游", "wglyj"),
]

# The column tree: roots, children and a few grandchildren.
COLUMNS = [
    {"id": "zfxxgk", "title": "政府信息公开"},
    {"id": "zcwj", "title": "政策文件", "parent": "zfxxgk", "select": {"type": "policy"},
     "update_every_days": 180},
    {"id": "gfxwj", "title": "行政规范性文件", "parent": "zcwj",
     "select": {"type": "policy", "category": "规范性文件"}},
    {"id": "qtwj", "title": "其他文件", "parent": "zcwj",
     "select": {"type": "policy", "category": "其他文件"}},
    {"id": "zcjd", "title": "政策解读", "parent": "zfxxgk", "select": {"type": "interpretation"}},
    {"id": "tzgg", "title": "通知公告", "parent": "zfxxgk", "select": {"type": "notice"},
     "update_every_days": 180},
    {"id": "gzdt", "title": "工作动态", "parent": "zfxxgk", "select": {"type": "news"},
     "update_every_days": 14},
    {"id": "bmdt", "title": "部门动态", "parent": "gzdt",
     "select": {"type": "news", "org_kind": ["department", "party", "other"]}},
    {"id": "xzdt", "title": "乡镇动态", "parent": "gzdt",
     "select": {"type": "news", "org_kind": "town"}},
    {"id": "ghjh", "title": "规划计划", "parent": "zfxxgk", "select": {"type": "plan"}},
    {"id": "gzjz", "title": "工作进展", "parent": "ghjh", "select": {"type": "progress"}},
    {"id": "gknb", "title": "政府信息公开年报", "parent": "zfxxgk", "select": {"type": "report"}},
    {"id": "xxgkzn", "title": "政府信息公开指南", "parent": "zfxxgk", "select": {"type": "page"}},
    {"id": "zdjcygk", "title": "重大决策预公开", "select": {"type": "decision"},
     "update_every_days": 90},
    {"id": "jdhy", "title": "解读回应"},
    {"id": "hygz", "title": "回应关切", "parent": "jdhy", "select": {"type": "response"}},
    {"id": "dcsjzg", "title": "督查审计整改", "parent": "jdhy",
     "select": {"type": "rectification"}},
    {"id": "xzzf", "title": "行政执法信息集中公开"},
    {"id": "zfsq", "title": "事前公开", "parent": "xzzf",
     "select": {"type": "enforcement", "stage": "事前"}},
    {"id": "zfsz", "title": "事中公开", "parent": "xzzf",
     "select": {"type": "enforcement", "stage": "事中"}},
    {"id": "zfsh", "title": "事后公开", "parent": "xzzf",
     "select": {"type": "enforcement", "stage": "事后"}},
    {"id": "zdly", "title": "重点领域信息公开"},
    {"id": "xczx", "title": "推进乡村振兴", "parent": "zdly", "select": {"domains": ["xczx", "snbt"]}},
    {"id": "zdjsxm", "title": "重大建设项目", "parent": "zdly", "select": {"domains": ["zdjsxm"]}},
    {"id": "zdjsxm-zhen", "title": "各镇重大建设项目", "parent": "zdjsxm",
     "select": {"domains": ["zdjsxm"], "org_kind": "town"}},
    {"id": "czzj", "title": "财政资金", "parent": "zdly", "select": {"domains": ["czyjs"]}},
    {"id": "hmhnzj", "title": "惠民惠农资金", "parent": "czzj", "select": {"type": "fund"}},
    {"id": "mssy", "title": "社会救助和养老服务", "parent": "zdly",
     "select": {"domains": ["shjz", "ylfw"]}},
    {"id": "yjgl", "title": "应急管理", "parent": "zdly", "select": {"domains": ["aqsc", "jz"]}},
    {"id": "yjxx", "title": "预警信息", "parent": "yjgl", "select": {"type": "warning"}},
    {"id": "sthj", "title": "生态环境", "parent": "zdly", "select": {"domains": ["sthj"]}},
    {"id": "hdjl", "title": "互动交流"},
    {"id": "zfkfr", "title": "政府开放日", "parent": "hdjl", "select": {"type": "open_day"},
     "update_every_days": 365},
    {"id": "jzjdt", "title": "局长进大厅", "parent": "hdjl", "select": {"type": "hall_visit"}},
    {"id": "zwgkzq", "title": "政务公开专区"},  # no rule: holds items that name it
]

# Catalogue pages are written for these domains, each tied to the column fulfilling it.
CATALOG_COLUMNS = {"zdjsxm": "zdjsxm", "czyjs": "czzj", "shjz": "mssy", "ylfw": "mssy",
                   "xczx": "xczx", "aqsc": "yjgl", "jz": "yjgl", "sthj": "sthj"}

# Relative weights of item types, roughly the mix of a real county site.
TYPE_WEIGHTS = {
    "news": 22, "notice": 12, "policy": 12, "enforcement": 12, "interpretation": 5,
    "fund": 5, "response": 4, "progress": 4, "hall_visit": 4, "plan": 3, "decision": 3,
    "rectification": 2, "warning": 2, "report": 2, "open_day": 1, "page": 1,
}
# Types whose items point at an earlier item of another type.
PARENT_TYPE = {"interpretation": "policy", "progress": "plan"}

SLUG_PREFIX = {
    "policy": "wj", "interpretation": "jd", "decision": "zqyj", "open_day": "kfr",
    "hall_visit": "jzjdt", "enforcement": "zf", "plan": "jh", "progress": "jz",
    "response": "hy", "rectification": "zg", "fund": "zj", "warning": "yj",
    "notice": "tz", "news": "dt", "report": "nb", "page": "zn",
}

ENFORCING_ORGS = ["sfj", "gaj", "zhzfj", "scjgj", "yjglj", "sthjj", "zrzyj", "nyncj",
                  "wglyj", "wjj", "jtysj", "zjcgj", "swj"]
FUND_ORGS = ["czj", "nyncj", "mzj", "rsj", "xczxj"]
WARNING_ORGS = {"yjglj": ["森林火险", "暴雨", "道路结冰"], "zrzyj": ["地质灾害气象风险"],
                "nyncj": ["农作物重大病虫害"], "wjj": ["高温中暑"], "sthjj": ["重污染天气"]}

# (中文, pinyin slug) of the subjects items talk about.
TOPICS = [
    ("政务公开", "zwgk"), ("安全生产", "aqsc"), ("森林防火", "slfh"), ("防汛减灾", "fxjz"),
    ("高标准农田建设", "gbznt"), ("农村人居环境整治", "rjhj"), ("优化营商环境", "yshj"),
    ("城乡居民医疗保险", "ylbx"), ("义务教育招生", "ywjy"), ("就业创业", "jycy"),
    ("最低生活保障", "dibao"), ("养老服务", "ylfw"), ("乡村振兴", "xczx"),
    ("生态环境保护", "sthb"), ("食品安全", "spaq"), ("道路交通安全", "jtaq"),
    ("城市管理", "csgl"), ("老旧小区改造", "ljxq"), ("耕地保护", "gdbh"),
    ("法治政府建设", "fzzf"), ("普法宣传", "pfxc"), ("文化惠民", "whhm"), ("全域旅游", "qyly"),
    ("茶产业发展", "cycy"), ("生猪稳产保供", "szbg"), ("秸秆禁烧", "jgjs"),
    ("地质灾害防治", "dzzh"), ("消防安全", "xfaq"), ("燃气安全", "rqaq"), ("河长制", "hzz"),
    ("农村供水", "ncgs"), ("殡葬改革", "bzgg"), ("退役军人服务", "tyjr"),
    ("统计调查", "tjdc"), ("预算管理", "ysgl"), ("政府采购", "zfcg"),
    ("公共资源交易", "ggzy"), ("重大项目建设", "zdxm"), ("招商引资", "zsyz"),
    ("数字政府建设", "szzf"), ("市场主体培育", "sczt"), ("产品质量监督", "cpzl"),
    ("医疗卫生服务", "ylws"), ("爱国卫生运动", "awyd"), ("全民健身", "qmjs"),
    ("住房保障", "zfbz"), ("农民工工资支付", "nmggz"), ("信访工作", "xfgz"),
    ("政务服务", "zwfw"), ("基层治理", "jczl"),
]

TOPIC_CATEGORIES = [  # 主题分类
    "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "城乡建设、环境保护",
    "农业、林业、水利", "民政、扶贫、救灾", "卫生、体育", "教育", "公安、安全、司法",
    "劳动、人事、监察", "商贸、海关、旅游", "文化、广电、新闻出版", "工业、交通",
]

# ------------------------------------------------------------------ vocabulary

GOALS = [
    "深化政务公开", "促进基层政府治理能力提升", "优化营商环境", "推进乡村振兴",
    "提升群众满意度", "加快法治政府建设", "深化“放管服”改革", "推动高质量发展",
    "保障人民群众合法权益", "防范化解重大风险", "巩固拓展脱贫攻坚成果", "完善公共服务体系",
    "推进数字政府建设", "提升行政效能", "统筹发展和安全", "打通服务群众“最后一公里”",
    "让公开成为自觉、透明成为常态", "增强群众获得感、幸福感、安全感", "提高依法行政水平",
    "营造公平竞争的市场环境",
]
ACTIONS = [
    "加强组织领导", "压实工作责任", "细化工作措施", "强化督促检查", "建立工作台账",
    "健全长效机制", "加大宣传力度", "规范办理流程", "畅通群众诉求渠道", "加强政策解读",
    "及时回应社会关切", "落实安全生产责任", "开展专项整治", "强化部门协作",
    "推进信息共享", "严格考核问责", "深入开展调查研究", "完善应急预案",
    "加强队伍建设", "提高服务效能", "做好信息公开工作", "推动各项政策落地见效",
    "抓好问题整改", "开展风险隐患排查", "加强资金监管", "优化审批服务",
    "推行“一件事一次办”", "落实首问负责制", "实行清单化管理", "开展常态化监督",
    "加强基层队伍培训", "提升标准化规范化水平", "强化数据分析运用", "健全联络员制度",
    "定期通报工作进展", "加强与上级部门的沟通衔接", "组织开展业务培训",
    "建立问题清单、任务清单、责任清单", "推动重心下移、力量下沉", "完善考核评价办法",
]
PRINCIPLES = [
    "以人民为中心的发展思想", "需求导向、标准引领", "公开为常态、不公开为例外",
    "“谁制作、谁公开，谁负责”的原则", "“谁执法、谁公示”的原则", "“谁起草、谁解读”的原则",
    "问题导向和目标导向相结合", "统筹兼顾、分类施策", "依法依规、公开透明",
]
RESULTS = [
    "各项任务按时保质完成", "工作取得实效", "群众满意度持续提升", "政策红利充分释放",
    "各项措施落到实处", "全年目标任务顺利完成", "风险隐患得到及时消除",
    "办事效率明显提高", "信息发布及时准确", "工作质量和水平稳步提升",
]
FOCUSES = ["重要民生工程", "年度重点工作", "“一把手”工程", "重要政治任务", "为民办实事项目"]
CHANNELS = ["高县人民政府网站", "县政务服务大厅", "高县融媒APP", "政务公开专区",
            "各镇便民服务中心", "政务服务便民热线", "部门公开电话"]
BASES = [
    "《中华人民共和国政府信息公开条例》", "《重大行政决策程序暂行条例》",
    "《中华人民共和国行政处罚法》", "《中华人民共和国安全生产法》", "《优化营商环境条例》",
    "《四川省人民政府办公厅关于印发2023年全省政务公开工作要点的通知》（川办发〔2023〕10号）",
    "《高县深化政务公开促进基层政府治理能力提升实施方案》（高府办函〔2023〕55号）",
    "《中华人民共和国行政许可法》", "《社会救助暂行办法》", "《中华人民共和国土地管理法》",
]
COUNTED = [  # (verb, noun, unit) for sentences with a figure
    ("完成", "建设项目", "个"), ("发放", "补贴资金", "万元"), ("受理", "办件", "件"),
    ("开展", "监督检查", "次"), ("培训", "基层干部", "人次"), ("排查", "风险隐患", "处"),
    ("公开", "政府信息", "条"), ("办结", "群众诉求", "件"), ("新增", "市场主体", "户"),
    ("整改", "问题", "个"), ("走访", "群众", "户"), ("印发", "宣传资料", "份"),
]
VERBS = [
    "加强", "完善", "推进", "落实", "规范", "健全", "优化", "强化", "深化", "提升", "做好",
    "抓好", "严格", "统筹", "创新", "夯实", "拓展", "扎实推进", "持续开展", "全面落实",
    "认真做好", "切实加强", "不断完善", "着力提升", "积极推动",
]
NOUNS = [
    "工作机制", "项目管理", "资金监管", "信息公开", "队伍建设", "宣传引导", "风险防控",
    "应急处置", "监督检查", "档案管理", "制度建设", "政策解读", "服务保障", "考核评价",
    "数据统计", "平台建设", "标准目录", "办事指南", "执法公示", "问题整改", "基层治理",
    "民生保障", "公共服务", "营商环境", "安全监管", "隐患排查", "要素保障", "督查督办",
    "舆情回应", "意见征集", "政务服务", "网格管理", "矛盾调解", "产业发展", "人居环境",
    "基础设施", "质量安全", "市场秩序", "应急演练", "值班值守", "责任落实", "信用体系",
    "财务管理", "绩效评价", "依法行政", "协调联动", "宣传培训", "台账管理", "跟踪问效",
]
HEADINGS = [
    "基本情况", "主要做法", "工作目标", "主要任务", "保障措施", "工作要求", "下一步打算",
    "政策依据", "适用范围", "办理流程", "存在问题", "整改措施", "实施步骤", "工作成效",
]
CN_NUMERALS = "一二三四五六七八九十"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何罗高林郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞斌宇浩凯婷雪琳"
STREETS = ["迎宾大道", "文江路", "环城路", "府前街", "滨江路", "南广路", "振兴街", "新街"]
LEADER_TITLES = {"town": ["镇长", "党委书记", "副镇长"], "other": ["局长", "党组书记、局长", "副局长"]}
INTERPRETER_TITLES = ["办公室主任", "法规股股长", "副局长", "业务股股长", "党政办主任"]
PARTICIPANT_GROUPS = ["人大代表", "政协委员", "党员代表", "群众代表", "企业代表", "媒体记者"]
RESPONSE_CHANNELS = ["政府网站留言", "政务服务便民热线", "县长信箱", "来信来访", "融媒APP留言"]

# ------------------------------------------------------------------ data model


@dataclass
class Org:
    id: str
    name: str
    short: str
    kind: str
    abbr: str
    credit_code: str
    phone: str
    address: str


@dataclass
class Item:
    type: str
    org: str
    date: dt.date
    topic: tuple
    slug: str = ""
    title: str = ""
    fields: dict = field(default_factory=dict)  # the type's own fields
    extra: dict = field(default_factory=dict)   # optional common fields
    parent: "Item | None" = None                # policy interpreted / plan progressed
    link: "Item | None" = None                  # item linked from the body
    index_no: str = ""
    body: str = ""

    @property
    def id(self) -> str:
        return f"{self.org}/{self.date.year}/{self.slug}"

    @property
    def path(self) -> str:
        return f"items/{self.id}.md"


class Ctx:
    """Everything the builders share: the RNG and the organisations."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.orgs = make_orgs(self.rng)
        self.by_id = {o.id: o for o in self.orgs}
        self.towns = [o.id for o in self.orgs if o.kind == "town"]
        self.departments = [o.id for o in self.orgs if o.kind != "town"]
        self.doc_serials: dict = {}

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def date_between(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=self.rng.randint(0, (hi - lo).days))

    def phone(self) -> str:
        return phone_number(self.rng)

    def person(self) -> str:
        return self.pick(SURNAMES) + "".join(self.pick(GIVEN) for _ in range(self.rng.randint(1, 2)))

    def next_doc_serial(self, key) -> int:
        self.doc_serials[key] = self.doc_serials.get(key, 0) + self.rng.randint(1, 4)
        return self.doc_serials[key]


def phone_number(rng: random.Random) -> str:
    """An office landline: area code 0831, local numbers 6xxxxxx (never a mobile)."""
    return f"0831-6{rng.randint(100000, 999999)}"


def clamp(d: dt.date) -> dt.date:
    return min(max(d, START), END)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------- organisations

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_check_char(first17: str) -> str:
    """GB 32100-2015 check character of a 统一社会信用代码."""
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(first17, CODE_WEIGHTS))
    return CODE_CHARS[(31 - total % 31) % 31]


def make_credit_codes(rng: random.Random, count: int) -> list:
    # 1 (机构编制) 1 (机关) + division code + a 9-char org code + check. The org code
    # starts with letters so no digit run is long enough to look like an ID number.
    serials = rng.sample(range(1_000_000, 10_000_000), count)
    codes = []
    for serial in serials:
        first17 = f"11{DIVISION_CODE}MB{serial}"
        codes.append(first17 + credit_check_char(first17))
    return codes


def make_orgs(rng: random.Random) -> list:
    rows = DEPARTMENTS + [(tid, f"高县{name}镇人民政府", f"{name}镇", "town", f"{name}府") for tid, name in TOWNS]
    codes = make_credit_codes(rng, len(rows))
    orgs = []
    for (oid, name, short, kind, abbr), code in zip(rows, codes):
        town = short if kind == "town" else "庆符镇"  # the county seat hosts the departments
        address = f"高县{town}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
        orgs.append(Org(oid, name, short, kind, abbr, code, phone_number(rng), address))
    return orgs


# ------------------------------------------------------------------- skeletons


def type_quota(n: int) -> dict:
    """Split n over TYPE_WEIGHTS by largest remainder; children need a parent type."""
    total = sum(TYPE_WEIGHTS.values())
    exact = {t: n * w / total for t, w in TYPE_WEIGHTS.items()}
    quota = {t: int(x) for t, x in exact.items()}
    by_remainder = sorted(TYPE_WEIGHTS, key=lambda t: (quota[t] - exact[t], t))
    for t in by_remainder[: n - sum(quota.values())]:
        quota[t] += 1
    if n >= len(quota):  # small test trees still hold every type
        for t in [t for t in quota if quota[t] == 0]:
            quota[max(quota, key=quota.get)] -= 1
            quota[t] = 1
    if quota["policy"] < quota["interpretation"]:  # one interpretation per policy at most
        quota["notice"] += quota["interpretation"] - quota["policy"]
        quota["interpretation"] = quota["policy"]
    if quota["plan"] == 0:
        quota["news"] += quota["progress"]
        quota["progress"] = 0
    return quota


def org_pool(ctx: Ctx, item_type: str) -> list:
    """Orgs plausible as publisher of a type; the county office publishes most policies."""
    if item_type == "policy":
        return ["xzfb"] * 12 + ctx.departments + ctx.towns
    if item_type in ("decision", "plan"):
        return ["xzfb", "fgj"] * 4 + ctx.departments
    if item_type == "enforcement":
        return ENFORCING_ORGS * 2 + ctx.towns
    if item_type == "fund":
        return FUND_ORGS * 2 + ctx.towns
    if item_type == "warning":
        return list(WARNING_ORGS)
    if item_type == "hall_visit":
        return ["xzspj"] * 4 + ctx.departments
    return ctx.departments + ctx.towns


def make_skeletons(ctx: Ctx, n: int) -> list:
    """Every item's type, org, date and topic; children follow their parent in time."""
    quota = type_quota(n)
    items = []
    for item_type, count in quota.items():
        if item_type in PARENT_TYPE:
            continue
        pool = org_pool(ctx, item_type)
        for k in range(count):
            date = ctx.date_between(START, END)
            if item_type == "warning" and k == 0:  # see warning_fields
                date = END
            if item_type == "report":  # annual reports come out in the first quarter
                date = ctx.date_between(dt.date(date.year, 1, 1), dt.date(date.year, 3, 31))
            item = Item(item_type, ctx.pick(pool), date, ctx.pick(TOPICS))
            if item_type == "policy":  # decided here: it chooses which policies get interpreted
                item.fields["category"] = "规范性文件" if ctx.chance(0.3) else "其他文件"
            items.append(item)
    items += make_children(ctx, items, "interpretation", quota["interpretation"])
    items += make_children(ctx, items, "progress", quota["progress"])
    return items


def make_children(ctx: Ctx, items: list, child_type: str, count: int) -> list:
    parents = [i for i in items if i.type == PARENT_TYPE[child_type]]
    if child_type == "interpretation":
        # 规范性文件 need one (谁起草、谁解读), so they are interpreted first; one interpretation
        # each, published with the policy or within 3 working days.
        parents.sort(key=lambda p: p.fields["category"] != "规范性文件")
        chosen, max_gap = parents[:count], 2
    else:
        chosen, max_gap = [ctx.pick(parents) for _ in range(count)], 720
    children = []
    for parent in chosen:
        date = ctx.date_between(parent.date, min(parent.date + dt.timedelta(days=max_gap), END))
        children.append(Item(child_type, parent.org, date, parent.topic, parent=parent))
    return children


def assign_slugs(items: list) -> None:
    """Slugs are unique within a <org>/<yyyy> folder: prefix-topic-sequence."""
    per_folder: dict = {}
    for item in items:
        key = (item.org, item.date.year)
        per_folder[key] = per_folder.get(key, 0) + 1
        item.slug = f"{SLUG_PREFIX[item.type]}-{item.topic[1]}-{per_folder[key]}"


def assign_index_numbers(ctx: Ctx, items: list) -> None:
    """索引号 <credit_code>/<yyyy>-<5-digit serial>, numbered per org and year in date order."""
    serial: dict = {}
    for item in sorted(items, key=lambda i: (i.date, i.org, i.slug)):
        key = (item.org, item.date.year)
        serial[key] = serial.get(key, 0) + 1
        item.index_no = f"{ctx.by_id[item.org].credit_code}/{item.date.year}-{serial[key]:05d}"


# ------------------------------------------------------- type-specific fields


def doc_no(ctx: Ctx, org: Org, issued: dt.date) -> str:
    kinds = ["高府发", "高府办发", "高府函"] if org.id == "xzfb" else [org.abbr + "发", org.abbr + "函"]
    kind = ctx.pick(kinds)
    return f"{kind}〔{issued.year}〕{ctx.next_doc_serial((kind, issued.year))}号"


def policy_fields(ctx: Ctx, item: Item, org: Org) -> None:
    issued = clamp(item.date - dt.timedelta(days=ctx.rng.randint(0, 18)))
    item.fields = {"doc_no": doc_no(ctx, org, issued), "issued": issued,
                   "category": item.fields["category"]}
    kind = ctx.pick(["实施方案", "管理办法", "工作方案", "实施意见", "若干措施"])
    item.title = f"关于印发《高县{item.topic[0]}{kind}》的通知"


def interpretation_fields(ctx: Ctx, item: Item, org: Org) -> None:
    policy = item.parent
    item.fields = {
        "interprets": policy.id,
        "interpreter": {"name": ctx.person(), "title": org.short + ctx.pick(INTERPRETER_TITLES),
                        "phone": org.phone},
        "form": ctx.pick(["文字", "文字", "文字", "图解", "问答", "视频"]),
    }
    item.title = "《" + policy.title.split("《", 1)[1].split("》", 1)[0] + "》政策解读"
    item.link = policy


def decision_fields(ctx: Ctx, item: Item, org: Org) -> None:
    opens = item.date + dt.timedelta(days=ctx.rng.randint(0, 2))
    days = 30 if ctx.chance(0.85) else ctx.rng.randint(7, 20)
    closes = opens + dt.timedelta(days=days)
    comment = {"opens": opens, "closes": closes, "email": f"gx{org.id}@gaoxian.gov.cn",
               "phone": org.phone, "address": org.address}
    item.fields = {"comment": comment}
    if days < 30:
        item.fields["short_reason"] = "因上级部署时限要求，征求意见期限相应缩短。"
    feedback_date = closes + dt.timedelta(days=ctx.rng.randint(5, 25))
    if feedback_date <= END and ctx.chance(0.7):
        item.fields["feedback"] = {"date": feedback_date,
                                   "text": f"共收到意见建议{ctx.rng.randint(0, 30)}条，采纳情况已逐条说明。"}
    item.title = f"关于公开征求《高县{item.topic[0]}实施办法（征求意见稿）》意见的公告"


def open_day_fields(ctx: Ctx, item: Item, org: Org) -> None:
    groups = ctx.rng.sample(PARTICIPANT_GROUPS, ctx.rng.randint(2, 4))
    item.fields = {
        "event_date": clamp(item.date - dt.timedelta(days=ctx.rng.randint(0, 5))),
        "place": org.short + "会议室",
        "participants": [{"group": g, "count": ctx.rng.randint(2, 20)} for g in groups],
    }
    item.title = f"{org.short}举办“政府开放日”活动"


def hall_visit_fields(ctx: Ctx, item: Item, org: Org) -> None:
    event = clamp(item.date - dt.timedelta(days=ctx.rng.randint(0, 3)))
    titles = LEADER_TITLES["town" if org.kind == "town" else "other"]
    leader = {"name": ctx.person(), "title": org.short + ctx.pick(titles)}
    problems = []
    for _ in range(ctx.rng.randint(1, 3)):
        solved = ctx.chance(0.6)
        problems.append({
            "issue": f"{ctx.pick(NOUNS)}方面群众反映{ctx.pick(['办理时限较长', '材料要求不清', '窗口排队较久', '线上办理不便'])}",
            "action": ctx.pick(ACTIONS), "status": "已解决" if solved else "办理中",
            "due": event + dt.timedelta(days=ctx.rng.randint(5, 30)),
        })
    item.fields = {"event_date": event, "leader": leader, "hours": ctx.pick([4, 4, 4.5, 8]),
                   "problems": problems}
    item.title = f"{leader['title']}{leader['name']}到县政务服务大厅开展“局长进大厅”活动"


def enforcement_fields(ctx: Ctx, item: Item, org: Org) -> None:
    stage = ctx.pick(["事前", "事中", "事后", "事后"])
    item.fields = {"stage": stage}
    if stage == "事前":
        item.title = f"{org.short}{item.date.year}年{ctx.pick(['行政执法事项清单', '随机抽查事项清单', '行政执法服务指南'])}"
        return
    if stage == "事中":
        item.title = f"{org.short}关于开展{item.topic[0]}专项检查的公示"
        return
    action = ctx.pick(["行政处罚", "行政处罚", "行政许可", "行政强制", "行政检查"])
    decided = clamp(item.date - dt.timedelta(days=ctx.rng.randint(0, 6)))
    case_no = f"{org.abbr}{action[2:]}决字〔{decided.year}〕第{ctx.next_doc_serial((org.id, action, decided.year))}号"
    party = ctx.pick(SURNAMES) + "某" if ctx.chance(0.4) else f"高县某某{ctx.pick(['商贸', '建材', '餐饮', '运输'])}有限公司"
    item.fields.update({"decision_date": decided, "case_no": case_no, "action": action, "party": party})
    if action == "行政处罚" and ctx.chance(0.03):
        item.fields["withdrawn"] = {"date": min(item.date + dt.timedelta(days=2), END),
                                    "reason": "经复议决定撤销原处罚决定"}
    item.title = f"{org.short}{action}决定信息公示（{case_no}）"


def plan_fields(ctx: Ctx, item: Item, org: Org) -> None:
    kind = ctx.pick(["五年规划", "年度计划", "民生实事", "重大专项"])
    period = "2021-2025" if kind == "五年规划" else str(item.date.year)
    item.fields = {"period": period, "kind": kind}
    item.title = (f"高县{item.topic[0]}“十四五”规划" if kind == "五年规划"
                  else f"{org.short}{item.date.year}年{item.topic[0]}{kind}")


def progress_fields(ctx: Ctx, item: Item, org: Org) -> None:
    item.fields = {"of": item.parent.id, "percent": ctx.rng.randint(10, 100)}
    quarter = (item.date.month - 1) // 3 + 1
    item.title = f"{item.parent.title}推进情况（{item.date.year}年第{CN_NUMERALS[quarter - 1]}季度）"
    item.link = item.parent


def response_fields(ctx: Ctx, item: Item, org: Org) -> None:
    item.fields = {"question": f"群众关心的{item.topic[0]}相关政策如何办理？",
                   "channel": ctx.pick(RESPONSE_CHANNELS)}
    item.title = f"关于{item.topic[0]}有关问题的回应"


def rectification_fields(ctx: Ctx, item: Item, org: Org) -> None:
    source = ctx.pick(["督查", "审计"])
    item.fields = {"source": source, "status": ctx.pick(["已整改", "已整改", "整改中"])}
    item.title = f"{org.short}关于{item.topic[0]}{source}反馈问题整改情况的公告"


def fund_fields(ctx: Ctx, item: Item, org: Org) -> None:
    program = ctx.pick(["耕地地力保护补贴", "农机购置补贴", "城乡居民最低生活保障金",
                        "临时救助金", "一次性创业补贴", "高龄津贴", "农村危房改造补助"])
    item.fields = {"program": program, "amount": ctx.rng.randint(5_000, 9_000_000)}
    if ctx.chance(0.5):
        item.fields["recipients_file"] = "发放名单.csv"
        item.extra["attachments"] = [{"file": "发放名单.csv", "title": f"{program}发放名单"}]
    item.title = f"{org.short}{item.date.year}年{program}发放情况公示"


def warning_fields(ctx: Ctx, item: Item, org: Org) -> None:
    hazard = ctx.pick(WARNING_ORGS[org.id])
    level = ctx.pick(["蓝色", "黄色", "橙色", "红色"])
    # A warning issued on the last day stays valid past the benchmark's --today
    # (2026-11-26), so builds render the site-wide warning banner.
    days = 30 if item.date == END else ctx.rng.randint(1, 5)
    item.fields = {"level": level, "hazard": hazard, "valid_until": item.date + dt.timedelta(days=days)}
    item.title = f"{org.short}发布{hazard}{level}预警"


def notice_fields(ctx: Ctx, item: Item, org: Org) -> None:
    item.title = ctx.pick([f"关于做好{item.topic[0]}工作的通知", f"关于开展{item.topic[0]}专项行动的通知",
                           f"{org.short}关于{item.topic[0]}有关事项的公告"])


def news_fields(ctx: Ctx, item: Item, org: Org) -> None:
    item.title = ctx.pick([f"{org.short}召开{item.topic[0]}工作推进会", f"{org.short}扎实推进{item.topic[0]}工作",
                           f"{org.short}开展{item.topic[0]}专题培训", f"{org.short}{item.topic[0]}工作取得新成效"])


def report_fields(ctx: Ctx, item: Item, org: Org) -> None:
    item.fields = {"year": item.date.year - 1}
    item.title = f"{org.name}{item.date.year - 1}年政府信息公开工作年度报告"


def page_fields(ctx: Ctx, item: Item, org: Org) -> None:
    item.title = org.short + ctx.pick(["政府信息公开指南", "政府信息公开制度", "机构职能", "办公地址及联系方式"])


TYPE_FIELDS = {
    "policy": policy_fields, "interpretation": interpretation_fields, "decision": decision_fields,
    "open_day": open_day_fields, "hall_visit": hall_visit_fields, "enforcement": enforcement_fields,
    "plan": plan_fields, "progress": progress_fields, "response": response_fields,
    "rectification": rectification_fields, "fund": fund_fields, "warning": warning_fields,
    "notice": notice_fields, "news": news_fields, "report": report_fields, "page": page_fields,
}


def fill_common(ctx: Ctx, item: Item, all_items: list) -> None:
    """Optional common fields, each on a share of items as on a real site."""
    org = ctx.by_id[item.org]
    extra = item.extra
    if ctx.chance(0.1):
        extra["updated"] = min(item.date + dt.timedelta(days=ctx.rng.randint(1, 30)), END)
    if ctx.chance(0.4):  # mostly the domains the org is responsible for
        own = [d for d, _, responsible in DOMAINS if responsible == org.id]
        pool = own if own and ctx.chance(0.6) else [d for d, _, _ in DOMAINS]
        extra["domains"] = sorted(ctx.rng.sample(pool, min(len(pool), ctx.rng.randint(1, 2))))
    if org.kind == "town" and ctx.chance(0.5):
        extra["towns"] = [org.id]
    elif ctx.chance(0.1):
        extra["towns"] = sorted(ctx.rng.sample(ctx.towns, ctx.rng.randint(1, 3)))
    if ctx.chance(0.5):
        extra["topic"] = ctx.pick(TOPIC_CATEGORIES)
    if ctx.chance(0.05):
        extra["columns"] = ["zwgkzq"]
    if ctx.chance(0.1):
        others = [ctx.pick(all_items) for _ in range(ctx.rng.randint(1, 3))]
        extra["related"] = sorted({o.id for o in others if o is not item})
        if not extra["related"]:
            del extra["related"]
    if item.link is None and ctx.chance(0.15):
        target = ctx.pick(all_items)
        item.link = target if target is not item else None


def link_policy_replacements(ctx: Ctx, items: list) -> None:
    """Some policies are repealed or amended by a later policy of the same org."""
    policies = sorted((i for i in items if i.type == "policy"), key=lambda i: (i.date, i.slug))
    for n, old in enumerate(policies):
        if not ctx.chance(0.08):
            continue
        newer = [p for p in policies[n + 1:] if p.org == old.org and p.date > old.date]
        if not newer:
            continue
        new = newer[0]
        if ctx.chance(0.5):
            old.fields.update({"status": "已废止", "repealed": new.date, "replaced_by": new.id})
        else:
            old.fields.update({"status": "已修改", "replaced_by": new.id})


# ----------------------------------------------------------------------- prose


class Prose:
    """Seeded Chinese Markdown built from the vocabulary above."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.pick = ctx.pick

    def sentence(self, org: Org, item: Item) -> str:
        p = self.pick
        topic = item.topic[0]
        templates = [
            lambda: f"为{p(GOALS)}，{org.short}{p(ACTIONS)}，{p(ACTIONS)}。",
            lambda: f"{org.short}坚持{p(PRINCIPLES)}，围绕{topic}{p(ACTIONS)}。",
            lambda: f"各镇、各有关部门要{p(ACTIONS)}，{p(ACTIONS)}，确保{p(RESULTS)}。",
            lambda: self.counted_sentence(item),
            lambda: f"下一步，{org.short}将继续{p(ACTIONS)}，{p(ACTIONS)}，切实{p(GOALS)}。",
            lambda: f"根据{p(BASES)}，结合我县实际，{p(ACTIONS)}。",
            lambda: f"{topic}工作事关群众切身利益，{org.short}把{topic}作为{p(FOCUSES)}，{p(ACTIONS)}。",
            lambda: f"会议指出，要{p(ACTIONS)}，{p(VERBS)}{p(NOUNS)}，以{topic}的实际成效{p(GOALS)}。",
            lambda: f"群众可通过{p(CHANNELS)}了解{topic}相关信息，{org.short}将及时公开办理进展。",
        ]
        return p(templates)()

    def counted_sentence(self, item: Item) -> str:
        verb, noun, unit = self.pick(COUNTED)
        rng = self.ctx.rng
        figure = f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}" if unit == "万元" else str(rng.randint(3, 9999))
        when = cn_date(self.ctx.date_between(dt.date(item.date.year, 1, 1), item.date))
        return f"截至{when}，全县累计{verb}{noun}{figure}{unit}，{self.pick(RESULTS)}。"

    def paragraph(self, org: Org, item: Item, sentences: int) -> str:
        return "".join(self.sentence(org, item) for _ in range(sentences))

    def bullet_list(self, org: Org, item: Item) -> str:
        ordered = self.ctx.chance(0.5)
        lines = []
        for n in range(self.ctx.rng.randint(2, 4)):
            marker = f"{n + 1}." if ordered else "-"
            lines.append(f"{marker} {self.pick(VERBS)}{self.pick(NOUNS)}：{self.sentence(org, item)}")
        return "\n".join(lines)

    def table(self, org: Org, item: Item) -> str:
        rows = ["| 序号 | 工作事项 | 责任单位 | 完成时限 |", "| --- | --- | --- | --- |"]
        for n in range(self.ctx.rng.randint(2, 5)):
            due = self.ctx.date_between(item.date, item.date + dt.timedelta(days=365))
            rows.append(f"| {n + 1} | {self.pick(VERBS)}{self.pick(NOUNS)} | "
                        f"{self.ctx.by_id[self.pick(self.ctx.departments)].short} | {cn_date(due)} |")
        return "\n".join(rows)

    def section(self, org: Org, item: Item, number: int, title: str, with_list: bool) -> str:
        heading = f"## {CN_NUMERALS[number]}、{title}"
        parts = [heading, self.paragraph(org, item, self.ctx.rng.randint(2, 4))]
        if with_list:
            parts.append(self.bullet_list(org, item))
        return "\n\n".join(parts)

    def opening(self, org: Org, item: Item) -> str:
        if item.type in ("policy", "notice"):
            return f"各镇人民政府，县级各部门：\n\n{self.paragraph(org, item, 1)}"
        return self.paragraph(org, item, self.ctx.rng.randint(1, 2))

    def body(self, org: Org, item: Item, link: str | None, limit: int = 1500) -> str:
        """A body of 300..limit characters: opening, sections with a list, maybe a table and a link."""
        rng = self.ctx.rng
        target = rng.randint(350, limit - 100)
        ending = f"{org.name}\n\n{cn_date(item.date)}"
        if link:
            ending = f"相关文件：[{item.link.title}]({link})\n\n" + ending
        titles = rng.sample(HEADINGS, len(CN_NUMERALS))  # no heading twice in one body
        blocks = [self.opening(org, item), self.section(org, item, 0, titles[0], with_list=True)]
        if rng.random() < 0.2:
            blocks.append(self.table(org, item))
        size = sum(len(b) + 2 for b in blocks) + len(ending)  # +2: the blank line after a block
        sections = 1
        while size < target:
            if sections < len(CN_NUMERALS):
                block = self.section(org, item, sections, titles[sections], with_list=rng.random() < 0.3)
                sections += 1
            else:
                block = self.paragraph(org, item, 2)
            if size + len(block) + 2 > limit:
                block = self.sentence(org, item)
                if size + len(block) + 2 > limit:
                    break
            blocks.append(block)
            size += len(block) + 2
        return "\n\n".join(blocks + [ending]) + "\n"


def relative_link(source: Item, target: Item) -> str:
    """MkDocs-style link: the target .md relative to the folder holding the source .md."""
    return os.path.relpath(target.path, os.path.dirname(source.path)).replace(os.sep, "/")


# ----------------------------------------------------------------------- data


SERVICES = [  # (name, slug, kind, life event, org id or "town")
    ("企业设立登记", "qysldj", "行政许可", "开办企业", "xzspj"),
    ("食品经营许可", "spjyxk", "行政许可", "开办企业", "xzspj"),
    ("个体工商户登记", "gtgshdj", "行政许可", "开办企业", "xzspj"),
    ("建设工程施工许可", "jsgcsgxk", "行政许可", "工程建设", "xzspj"),
    ("户口迁移", "hkqy", "行政确认", "迁户落户", "gaj"),
    ("居民身份证申领", "sfzsl", "公共服务", "迁户落户", "gaj"),
    ("最低生活保障申请", "dbsq", "行政给付", "社会救助", "town"),
    ("临时救助申请", "lsjz", "行政给付", "社会救助", "town"),
    ("特困人员认定", "tkrd", "行政确认", "社会救助", "mzj"),
    ("高龄津贴发放", "gljt", "行政给付", "养老服务", "town"),
    ("法律援助申请", "flyz", "公共服务", "法律服务", "sfj"),
    ("失业登记", "sydj", "公共服务", "就业创业", "rsj"),
    ("城乡居民养老保险参保登记", "cxjmyl", "公共服务", "退休养老", "rsj"),
    ("生育登记", "sydjx", "公共服务", "生育", "wjj"),
    ("义务教育入学", "ywjyrx", "公共服务", "教育入学", "jyj"),
    ("道路运输经营许可", "dlysxk", "行政许可", "开办企业", "jtysj"),
    ("农村宅基地审批", "zjdsp", "行政许可", "建房", "town"),
    ("残疾人两项补贴", "cjrbt", "行政给付", "社会救助", "mzj"),
    ("林木采伐许可", "lmcfxk", "行政许可", "other", "zrzyj"),
    ("娱乐场所经营许可", "ylcsxk", "行政许可", "开办企业", "wglyj"),
]


def make_services(ctx: Ctx, n: int) -> dict:
    """N/50 service guides (at least one), keyed by service id '<org>/<slug>'."""
    services = {}
    for k in range(max(1, n // 50)):
        name, slug, kind, life_event, owner = SERVICES[k % len(SERVICES)]
        org = ctx.by_id[ctx.pick(ctx.towns) if owner == "town" else owner]
        sid = f"{org.id}/{slug}"
        suffix = 2
        while sid in services:  # several towns or rounds may offer the same service
            sid = f"{org.id}/{slug}-{suffix}"
            suffix += 1
        legal = ctx.rng.randint(5, 30)
        guide = {
            "name": name, "kind": kind, "basis": [ctx.pick(BASES)],
            "conditions": f"符合{name}相关规定条件的申请人。",
            "materials": [{"name": "申请书", "copies": 1, "note": "原件"},
                          {"name": "申请人有效身份证件", "copies": 1, "note": "原件核验"}],
            "steps": ["申请", "受理", "审核", "办结"],
            "legal_days": legal, "promised_days": ctx.rng.randint(1, legal),
            "fee": "不收费", "phone": org.phone,
        }
        if ctx.chance(0.5):
            guide["online"] = f"https://www.gaoxian.gov.cn/services/{sid}/"
        if life_event != "other":
            guide["life_event"] = life_event
        services[sid] = guide
    return services


def make_places(ctx: Ctx, service_ids: list) -> list:
    def place(pid, name, kind, town, zone, services):
        row = {"id": pid, "name": name, "kind": kind, "town": town,
               "address": f"高县{ctx.by_id[town].short}{ctx.pick(STREETS)}{ctx.rng.randint(1, 300)}号",
               "lat": round(28.436 + ctx.rng.uniform(-0.15, 0.15), 4),
               "lon": round(104.517 + ctx.rng.uniform(-0.2, 0.2), 4),
               "hours": "周一至周五 9:00-12:00, 13:30-17:00", "phone": ctx.phone(),
               "disclosure_zone": zone}
        if services:
            row["services"] = services
        return row

    county = [s for s in service_ids if ctx.by_id[s.split("/")[0]].kind != "town"]
    places = [place("zwfwzx", "高县政务服务中心", "政务服务大厅", "qfz", True, county),
              place("dag", "高县档案馆", "档案馆", "qfz", True, []),
              place("tsg", "高县图书馆", "图书馆", "wjz", True, [])]
    for town in ctx.towns:
        own = [s for s in service_ids if s.startswith(town + "/")]
        places.append(place(f"bmfwzx-{town}", f"高县{ctx.by_id[town].short}便民服务中心",
                            "便民服务中心", town, True, own))
    return places


def make_officers(ctx: Ctx) -> dict:
    """Officers per enforcing org; 执法证号 are 11 digits starting 511525 (never a mobile)."""
    categories = {"sfj": "司法行政", "gaj": "公安", "zhzfj": "综合行政执法", "scjgj": "市场监管",
                  "yjglj": "应急管理", "sthjj": "生态环境", "zrzyj": "自然资源", "nyncj": "农业农村",
                  "wglyj": "文化旅游", "wjj": "卫生健康", "jtysj": "交通运输", "zjcgj": "住房城乡建设",
                  "swj": "税务"}
    officers, serial = {}, 0
    for org_id in list(categories) + ctx.towns:
        rows = []
        for _ in range(ctx.rng.randint(4, 12)):
            serial += 1
            rows.append({"name": ctx.person(), "post": ctx.pick(["科员", "副主任科员", "股长", "执法队员"]),
                         "cert_no": f"{DIVISION_CODE}{serial:05d}",
                         "category": categories.get(org_id, "综合行政执法"),
                         "area": ctx.by_id[org_id].short if org_id in ctx.towns else "全县"})
        officers[org_id] = rows
    return officers


def make_catalog(ctx: Ctx, domain_id: str, responsible: str) -> dict:
    entries = []
    for _ in range(ctx.rng.randint(4, 10)):
        noun = ctx.pick(NOUNS)
        entries.append({
            "name": f"{noun}信息", "content": f"{noun}的范围、条件、程序及联系方式",
            "basis": ctx.pick(BASES), "time_limit": "信息形成或者变更之日起20个工作日内",
            "subject": responsible, "method": ctx.pick(["主动公开", "主动公开", "依申请公开"]),
            "channels": ["政府网站", "政务公开专区"], "audience": ctx.pick(["全社会", "特定群体"]),
            "level": ctx.pick(["县级", "县乡两级"]), "column": CATALOG_COLUMNS[domain_id],
        })
    return {"domain": domain_id, "entries": entries}


# ---------------------------------------------------------------------- output

class _FlowList(list):
    pass


class _FlowDict(dict):
    pass


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml when available: 3x faster
    pass


_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(_FlowDict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))


def _styled(value, block: bool = False):
    """Mark collections holding only scalars for flow style, as editors write
    `domains: [a, b]` and `interpreter: {name: ..}`; records (block=True) stay in block style."""
    if isinstance(value, dict):
        value = {k: _styled(v) for k, v in value.items()}
        children = value.values()
    elif isinstance(value, list):
        value = [_styled(v) for v in value]
        children = value
    else:
        return value
    if block or any(isinstance(c, (dict, list)) for c in children):
        return value
    return _FlowDict(value) if isinstance(value, dict) else _FlowList(value)


def dump_yaml(data) -> str:
    """YAML for a document: a mapping, or a list of records (one per org, place, ...)."""
    data = [_styled(v, block=True) for v in data] if isinstance(data, list) else _styled(data, block=True)
    # width: never fold long Chinese strings
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def write(root: str, rel: str, text: str) -> None:
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def front_matter(item: Item) -> dict:
    fm = {"title": item.title, "type": item.type, "org": item.org, "date": item.date}
    if "updated" in item.extra:
        fm["updated"] = item.extra["updated"]
    fm["index_no"] = item.index_no
    fm.update({k: v for k, v in item.extra.items() if k != "updated"})
    fm.update(item.fields)
    return fm


def recipients_csv(ctx: Ctx, item: Item) -> str:
    rows = ["序号,姓名,所在镇,金额（元）"]
    for n in range(ctx.rng.randint(3, 12)):
        town = ctx.by_id[ctx.pick(ctx.towns)].short
        rows.append(f"{n + 1},{ctx.pick(SURNAMES)}某某,{town},{ctx.rng.randint(100, 5000)}")
    return "\n".join(rows) + "\n"


def write_site_files(ctx: Ctx, root: str) -> None:
    site = {"title": "高县人民政府", "short_title": "高县", "base_url": "https://www.gaoxian.gov.cn/",
            "division_code": DIVISION_CODE, "lead_org": "xzfb",
            "contact": {"phone": ctx.by_id["xzfb"].phone, "email": "gxzfb@gaoxian.gov.cn",
                        "address": ctx.by_id["xzfb"].address},
            "per_page": 20}
    orgs = [{"id": o.id, "name": o.name, "short": o.short, "kind": o.kind,
             "credit_code": o.credit_code, "phone": o.phone, "address": o.address} for o in ctx.orgs]
    write(root, "site.yaml", dump_yaml(site))
    write(root, "orgs.yaml", dump_yaml(orgs))
    write(root, "domains.yaml", dump_yaml([{"id": d, "name": n, "org": o} for d, n, o in DOMAINS]))
    write(root, "columns.yaml", dump_yaml(COLUMNS))


def write_data_files(ctx: Ctx, root: str, n: int) -> None:
    services = make_services(ctx, n)
    for sid, guide in services.items():
        write(root, f"data/services/{sid}.yaml", dump_yaml(guide))
    write(root, "data/places.yaml", dump_yaml(make_places(ctx, list(services))))
    for org_id, rows in make_officers(ctx).items():
        write(root, f"data/officers/{org_id}.yaml", dump_yaml(rows))
    responsible = {d: o for d, _, o in DOMAINS}
    for domain_id in CATALOG_COLUMNS:
        write(root, f"data/catalog/{domain_id}.yaml", dump_yaml(make_catalog(ctx, domain_id, responsible[domain_id])))


def build_items(ctx: Ctx, n: int) -> list:
    items = make_skeletons(ctx, n)
    items.sort(key=lambda i: (i.date, i.type, i.org))  # slug sequences follow publication order
    assign_slugs(items)
    assign_index_numbers(ctx, items)
    for item in sorted(items, key=lambda i: i.type in PARENT_TYPE):  # children use parent titles
        TYPE_FIELDS[item.type](ctx, item, ctx.by_id[item.org])
    link_policy_replacements(ctx, items)
    for item in items:
        fill_common(ctx, item, items)
    prose = Prose(ctx)
    for item in items:
        link = relative_link(item, item.link) if item.link else None
        item.body = prose.body(ctx.by_id[item.org], item, link)
    return items


def generate(n: int, outdir: str, seed: int = 0) -> list:
    """Write a content tree of n items into outdir (new or empty); return the items."""
    if os.path.isdir(outdir) and os.listdir(outdir):
        raise FileExistsError(f"{outdir} is not empty")
    ctx = Ctx(seed)
    write_site_files(ctx, outdir)
    items = build_items(ctx, n)
    for item in items:
        write(outdir, item.path, f"---\n{dump_yaml(front_matter(item))}---\n\n{item.body}")
        if "recipients_file" in item.fields:
            write(outdir, f"items/{item.id}/{item.fields['recipients_file']}", recipients_csv(ctx, item))
    write_data_files(ctx, outdir, n)
    return items


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic gxsite content tree.")
    parser.add_argument("n", type=int, help="number of items")
    parser.add_argument("outdir", help="output folder (created; must be empty)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    started = time.perf_counter()
    try:
        items = generate(args.n, args.outdir, args.seed)
    except FileExistsError as e:
        print(f"gen_content: {e}", file=sys.stderr)
        return 2
    print(f"wrote {len(items)} items to {args.outdir} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
