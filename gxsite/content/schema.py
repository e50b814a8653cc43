"""The content contract as data: which fields each file and item type has, and their types.

One table per kind of record. A converter turns a YAML value into the model's value or
raises Invalid with a message an editor can act on. `convert_fields` applies a table to a
mapping and reports every problem with its line.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

from gxsite.content import model
from gxsite.core import compress
from gxsite.core.problems import Invalid, Problems
from gxsite.core.source import explain_scalar, line_of

ID_RE = re.compile(r"[a-z0-9-]+")
ITEM_ID_RE = re.compile(r"[a-z0-9-]+/\d{4}/[a-z0-9-]+")
INDEX_NO_RE = re.compile(r"[0-9A-Z]{9}(?:[0-9A-Z]{9})?/\d{4}-\d{5}")

Converter = Callable[[Any], Any]


def shaped(shape: dict, **parts):
    """Give a converter the JSON Schema of the value it returns (as the content API writes it:
    dates as YYYY-MM-DD strings); record and listing converters also keep what they are made of
    (`fields`, `member`, `cls`), so the API can write any value by its converter."""
    def mark(conv):
        conv.shape = shape
        for name, value in parts.items():
            setattr(conv, name, value)
        return conv
    return mark


@dataclass(frozen=True)
class Field:
    label: str                 # the Chinese name editors know the field by
    convert: Converter
    required: bool = False
    attr: str = ""             # the model's attribute, when it is not the key (repost's source)


# ---- converters -------------------------------------------------------------------------


def shape_of(conv: Converter) -> dict:
    """A converter's JSON Schema; {} (any value) for one that was not given a shape."""
    return getattr(conv, "shape", {})


@shaped({"type": "string"})
def text(value):
    if isinstance(value, bool):
        raise Invalid("应为文字：若 yes、no、true、false 等确是文字，请加引号")
    if value is None or isinstance(value, (dict, list)):
        raise Invalid("应为一段文字：请把值写在冒号后面的同一行，值里含“: ”时请加引号")
    if isinstance(value, (dt.date,)):
        raise Invalid("应为文字；若确是文字，请加引号")
    return str(value).strip()


_CN_DATE = re.compile(r"(\d{4})\s*[年./\-－]\s*(\d{1,2})\s*[月./\-－]\s*(\d{1,2})\s*日?")


@shaped({"type": "string", "format": "date"})
def date(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    written = _CN_DATE.fullmatch(str(value).strip())
    if written and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value).strip()):
        y, m, d = (int(n) for n in written.groups())
        raise Invalid(f"“{value}”应写成 {y:04d}-{m:02d}-{d:02d}（YYYY-MM-DD，不加引号）")
    raise Invalid("应为日期，写成 YYYY-MM-DD，不加引号")


def identifier(example: str) -> Converter:
    """An id that a record is known by (its `id:`, a file name)."""
    @shaped({"type": "string", "pattern": "^[a-z0-9-]+$"})
    def conv(value):
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            raise Invalid(f"“{value}”不是有效编号：编号只能用小写字母、数字和连字符，请改用拼音首字母（如 {example}）")
        return value
    return conv


ident = identifier("sfj")

# Separators editors put between several ids, full-width ones first (they name them in messages).
_SEPARATORS = re.compile(r"\s*[，、；;,]\s*|\s+")


def reference(many: bool = False) -> Converter:
    """An id naming a record of another file (an org, a domain, a column). Whether it exists,
    and which id a name or a typo meant, is resolve's to say: it has the lists."""
    @shaped({"type": "string"})
    def conv(value):
        if isinstance(value, bool) or value is None or isinstance(value, (dict, list, dt.date, float)):
            raise Invalid(f"“{value}”不是编号：请写编号（小写字母、数字和连字符，如 sfj）")
        value = str(value).strip()
        parts = [p for p in _SEPARATORS.split(value) if p]
        if len(parts) > 1:
            wide = next((c for c in "，、；" if c in value), "")
            why = f"用了全角的“{wide}”" if wide else "写了多个编号"
            if many:
                raise Invalid(f"“{value}”{why}：多个编号请用半角逗号分隔，写成 [{', '.join(parts)}]")
            raise Invalid(f"“{value}”{why}：这里只能写一个编号，请只保留一个（如 {parts[0]}）")
        return value
    conv.many = many
    return conv


@shaped({"type": "string"})   # narrowed to the type ids by the API's schemas
def choice_of_type(value):
    """An item type: its id, given its Chinese name or a capitalised id too."""
    if value in ITEM_TYPES:
        return value
    named = next((t for t, name in ITEM_TYPES.items() if str(value).strip() in (name, t.upper(), t.title())), None)
    if named:
        raise Invalid(f"“{value}”不是类型编号：{ITEM_TYPES[named]}应写 {named}，请改为 type: {named}")
    guess = difflib.get_close_matches(str(value), list(ITEM_TYPES), n=1)
    hint = f"是不是 {guess[0]}（{ITEM_TYPES[guess[0]]}）？" if guess else ""
    raise Invalid(f"“{value}”不是可选的类型：{hint}应为 " + "、".join(f"{t}（{n}）" for t, n in ITEM_TYPES.items()))


@shaped({"type": "string", "pattern": "^" + ITEM_ID_RE.pattern + "$"})
def item_ref(value):
    if not isinstance(value, str) or not ITEM_ID_RE.fullmatch(value):
        raise Invalid(f"“{value}”不是有效的信息编号，应写成 机构/年份/文件名，如 sfj/2023/xzzf-gsz")
    return value


def listing(convert: Converter) -> Converter:
    @shaped({"type": "array", "items": shape_of(convert)}, member=convert)
    def conv(value):
        if value is None:
            return []
        if not isinstance(value, list):
            value = [value]  # a single value where a list is expected is what editors mean
        out = []
        for i, member in enumerate(value):
            try:
                out.append(convert(member))
            except Invalid as exc:
                raise Invalid(exc.message, exc.line or line_of(value, i)) from None
        return out
    conv.many = True   # takes a list: convert_fields says "only one value" only of other converters
    return conv


def choice(*options: str) -> Converter:
    @shaped({"enum": list(options)})
    def conv(value):
        if value not in options:
            raise Invalid(f"“{value}”不是可选值，应为：{'、'.join(options)}（请改为其中之一）")
        return value
    return conv


def integer(low: int | None = None, high: int | None = None) -> Converter:
    bounds = {k: v for k, v in (("minimum", low), ("maximum", high)) if v is not None}

    @shaped({"type": "integer", **bounds})
    def conv(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("应为整数")
        if (low is not None and value < low) or (high is not None and value > high):
            raise Invalid(f"应在 {low} 到 {high if high is not None else '∞'} 之间")
        return value
    return conv


@shaped({"type": "number", "minimum": 0})
def number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid("应为数字（不加单位和逗号）")
    if value < 0:
        raise Invalid("不能为负数")
    return value


@shaped({"type": "boolean"})
def boolean(value):
    if not isinstance(value, bool):
        raise Invalid("应为 true 或 false")
    return value


@shaped({"type": "string", "pattern": "^https?://"})
def web_address(value):
    value = text(value)
    if not value.startswith(("https://", "http://")):
        raise Invalid("应以 https:// 或 http:// 开头")
    return value


SITE_CODE_RE = re.compile(r"[0-9A-Z]{10}")


@shaped({"type": "string", "pattern": "^[0-9A-Z]{10}$"})
def site_code(value):
    """网站标识码: ten characters, issued with the site's registration (usually the division code and four digits)."""
    value = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else value
    if not isinstance(value, str) or not SITE_CODE_RE.fullmatch(value):
        raise Invalid(f"“{value}”不是有效的网站标识码：应为 10 位数字或大写字母（如 \"5115250001\"），请加引号照登记证书填写")
    return value


IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


@shaped({"type": "string"})
def image_path(value):
    """A picture of the site's own (site.yaml's logo), as a path under content/: published at
    that path, so it is kept to characters a URL carries as they are."""
    value = text(value)
    if value.startswith("content/"):
        raise Invalid(f"“{value}”：路径从 content/ 里面写起，请写成 {value[len('content/'):]}")
    parts = value.split("/")
    if value.startswith("/") or any(p in ("", ".", "..") for p in parts) or not re.fullmatch(r"[A-Za-z0-9._/-]+", value):
        raise Invalid(f"“{value}”应为 content/ 中图片的路径，只用字母、数字、连字符、下划线、点和“/”，如 logo.png")
    if not value.lower().endswith(IMAGE_EXTS):
        raise Invalid(f"“{value}”不是网页能显示的图片：应为 .png、.jpg、.gif、.svg 或 .webp 文件")
    return value


COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")
COLOR_KEYS = {"masthead": "刊头底色", "masthead_text": "刊头文字颜色", "link": "链接颜色"}


@shaped({"type": "object"})
def colors(value):
    """site.yaml's colors: each #rrggbb. YAML reads an unquoted # as the start of a comment, so a
    key with no value is the usual mistake and is named as such."""
    if not isinstance(value, dict):
        raise Invalid('应为键值对，如 {masthead: "#1f4e8c", masthead_text: "#ffffff", link: "#0b4f9c"}')
    out = {}
    for key, color in value.items():
        line = line_of(value, key)
        if key not in COLOR_KEYS:
            raise Invalid(f"中没有“{key}”：可写 " + "、".join(f"{k}（{n}）" for k, n in COLOR_KEYS.items()), line)
        if color is None:
            raise Invalid(f"的 {key} 没有值：颜色以 # 开头，须加引号，写成 {key}: \"#1f4e8c\"", line)
        if not isinstance(color, str) or not COLOR_RE.fullmatch(color.strip()):
            raise Invalid(f"的 {key}“{color}”不是颜色：应写成 # 加六位十六进制数字，并加引号，如 {key}: \"#1f4e8c\"", line)
        out[key] = color.strip().lower()
    return model.Colors(**out, lines={k: line_of(value, k) or 0 for k in out})


@shaped({"type": "object"})
def mapping(value):
    if not isinstance(value, dict):
        raise Invalid("应为键值对，如 {type: decision}")
    return value


def record(cls: type, fields: dict[str, Field]) -> Converter:
    """A nested mapping converted into `cls`; the first problem inside is raised with its line."""
    @shaped({"type": "object", "additionalProperties": False,
             "properties": {key: shape_of(spec.convert) for key, spec in fields.items()},
             "required": [key for key, spec in fields.items() if spec.required]}, cls=cls, fields=fields)
    def conv(value):
        if not isinstance(value, dict):
            raise Invalid("应为键值对（如 {name: ..., title: ...}）")
        sink = Problems()
        values = convert_fields(value, fields, "", sink)
        if sink.errors:
            first = sink.errors[0]
            raise Invalid(first.message, first.line or None)
        return cls(**values)
    return conv


def convert_fields(raw: dict, fields: dict[str, Field], rel: str, problems: Problems,
                   ignore: tuple[str, ...] = ()) -> dict:
    """Convert known keys, report missing required ones and (as reminders) unknown ones."""
    out: dict = {}
    for key, value in raw.items():
        line = line_of(raw, key)
        spec = fields.get(key)
        if spec is None:
            mistake = explain_scalar(key)   # {id：sfj} reads as one key "id：sfj"
            if mistake:
                problems.error(rel, line, mistake)
            elif key not in ignore:
                guess = difflib.get_close_matches(str(key), list(fields), n=1)
                hint = f"：是不是“{guess[0]}”？请改正拼写" if guess else "，已忽略：不需要请删去"
                problems.warn(rel, line, f"未知字段“{key}”{hint}", rule="unknown-field")
            continue
        if value is None or value == "":
            if spec.required:
                problems.error(rel, line, f"{spec.label}（{key}）不能为空：请填写")
            continue
        try:
            out[spec.attr or key] = spec.convert(value)
        except Invalid as exc:
            if isinstance(value, list) and not getattr(spec.convert, "many", False):
                shown = value[0] if len(value) == 1 and not isinstance(value[0], (list, dict)) else "…"
                problems.error(rel, line, f"{spec.label}（{key}）只能写一个值，不能写成列表：请去掉方括号，写成 {key}: {shown}")
            else:
                problems.error(rel, exc.line or line, f"{spec.label}（{key}）{exc.message}")
    for key, spec in fields.items():
        if spec.required and key not in raw:
            problems.error(rel, getattr(raw, "line", 0), f"缺少必填字段 {key}（{spec.label}）：请加上一行 {key}: …")
    return out


# ---- the tables -------------------------------------------------------------------------

CONTACT = {"phone": Field("电话", text), "email": Field("电子邮箱", text), "address": Field("地址", text)}
PERSON = {"name": Field("姓名", text, True), "title": Field("职务", text), "phone": Field("电话", text)}

SITE = {
    "title": Field("网站名称", text, True),
    "base_url": Field("网址", text, True),
    "short_title": Field("简称", text),
    "division_code": Field("行政区划代码", text),
    "lead_org": Field("牵头单位", ident),
    "contact": Field("联系方式", record(model.Contact, CONTACT)),
    "per_page": Field("每页条数", integer(1, 500)),
    "rules": Field("规则阈值", mapping),
    "disclosure": Field("政府信息公开专栏设置", mapping),
    "logo": Field("网站标志", image_path),
    "colors": Field("配色", colors),
    "footer": Field("页脚附加内容", listing(text)),
    "admin": Field("正式环境的内容编辑器", mapping),   # read by gxsite build --admin only
    "precompress": Field("预压缩文件", listing(choice(*compress.KINDS))),
    # The footer identity block of the 47号文 page spec (docs/content-format.md, site.yaml)
    "site_code": Field("网站标识码", site_code),
    "sponsor": Field("主办单位", text),
    "icp": Field("ICP备案号", text),
    "police_record": Field("公安机关备案号", text),
    "conac": Field("党政机关网站标识", record(model.Badge, {
        "image": Field("标识图片", image_path, True), "url": Field("验证页面网址", web_address, True)})),
    # 咨询建言: where the public writes (a veto item of the 2019 inspection when there is none)
    "channels": Field("咨询建言渠道", listing(record(model.Channel, {
        "name": Field("渠道名称", text, True), "url": Field("网址", web_address),
        "phone": Field("电话", text), "note": Field("说明", text)}))),
    # 政府网站工作年度报表: the figures content cannot tell, per year (checked by site/sections/website_report.py)
    "website_report": Field("政府网站工作年度报表", mapping),
}

ORG_KINDS = ("department", "town", "party", "other")
ORG = {
    "id": Field("编号", ident, True),
    "name": Field("全称", text, True),
    "short": Field("简称", text),
    "kind": Field("类别", choice(*ORG_KINDS)),
    "credit_code": Field("统一社会信用代码", text),
    "phone": Field("电话", text),
    "address": Field("地址", text),
}

DOMAIN = {"id": Field("编号", identifier("ggflfw"), True), "name": Field("名称", text, True), "org": Field("责任单位", ident)}

SELECT_KEYS = ("type", "org", "org_kind", "domains", "towns", "category", "stage", "topic")
COLUMN = {
    "id": Field("编号", identifier("zcwj"), True),
    "title": Field("栏目名称", text, True),
    "parent": Field("上级栏目", ident),
    "select": Field("选取规则", mapping),
    "update_every_days": Field("更新周期（天）", integer(1, 3660)),
    # How the inspection judges the column's freshness, when its select types and title do not say it.
    "kind": Field("栏目类别", choice("动态", "通知公告", "政策文件", "其他")),
    "description": Field("栏目说明", text),
}

ITEM_TYPES = {
    "policy": "政策文件", "interpretation": "政策解读", "decision": "重大决策预公开",
    "open_day": "政府开放日", "hall_visit": "局长进大厅", "enforcement": "行政执法公示",
    "plan": "规划计划", "progress": "工作进展", "response": "回应关切",
    "rectification": "督查审计整改", "fund": "资金信息", "warning": "预警信息",
    "notice": "通知公告", "news": "工作动态", "report": "工作报告", "page": "固定页面",
    "message": "留言选登", "repost": "转载",
}

ATTACHMENT = {"file": Field("文件名", text, True), "title": Field("标题", text)}

COMMON = {
    "title": Field("标题", text, True),
    "type": Field("类型", choice_of_type, True),
    "org": Field("发布机构", reference(), True),
    "date": Field("发布日期", date, True),
    "updated": Field("更新日期", date),
    "index_no": Field("索引号", text),
    "summary": Field("摘要", text),
    "domains": Field("重点领域", listing(reference(many=True))),
    "towns": Field("涉及镇", listing(reference(many=True))),
    "topic": Field("主题分类", text),
    "columns": Field("栏目", listing(reference(many=True))),
    "related": Field("相关信息", listing(item_ref)),
    "attachments": Field("附件", listing(record(model.Attachment, ATTACHMENT))),
    "doc_no": Field("文号", text),
    "issued": Field("成文日期", date),
}

TYPE_FIELDS: dict[str, dict[str, Field]] = {
    "policy": {
        "doc_no": Field("文号", text, True),
        "issued": Field("成文日期", date, True),
        "category": Field("文件类别", choice("规范性文件", "其他文件")),
        "status": Field("有效性", choice("现行有效", "已修改", "已废止")),
        "repealed": Field("废止日期", date),
        "replaced_by": Field("替代文件", item_ref),
        "needs_interpretation": Field("需要解读", boolean),
    },
    "interpretation": {
        "interprets": Field("所解读的政策", item_ref, True),
        "interpreter": Field("解读人", record(model.Person, PERSON), True),
        "form": Field("解读形式", choice("文字", "图解", "视频", "音频", "问答")),
    },
    "decision": {
        "comment": Field("征求意见", record(model.Comment, {
            "opens": Field("开始日期", date, True), "closes": Field("截止日期", date, True),
            "email": Field("电子邮箱", text), "phone": Field("电话", text),
            "address": Field("通信地址", text), "url": Field("网上征集地址", web_address)}), True),
        "short_reason": Field("征求意见期少于30日的理由", text),
        "feedback": Field("意见采纳情况", record(model.Feedback, {
            "date": Field("日期", date, True), "text": Field("内容", text, True)})),
    },
    "open_day": {
        "event_date": Field("活动日期", date, True),
        "place": Field("地点", text),
        "participants": Field("参加人员", listing(record(model.Participant, {
            "group": Field("群体", text, True), "count": Field("人数", integer(0))}))),
    },
    "hall_visit": {
        "event_date": Field("活动日期", date, True),
        "leader": Field("局长", record(model.Person, PERSON), True),
        "hours": Field("时长（小时）", number),
        "place": Field("地点", text),
        "problems": Field("发现问题", listing(record(model.VisitProblem, {
            "issue": Field("问题", text, True), "action": Field("整改措施", text),
            "status": Field("状态", choice("已解决", "办理中")), "due": Field("完成时限", date)}))),
    },
    "enforcement": {
        "stage": Field("公示环节", choice("事前", "事中", "事后"), True),
        "decision_date": Field("决定日期", date),
        "case_no": Field("案号", text),
        "action": Field("执法类别", choice("行政处罚", "行政许可", "行政强制", "行政检查")),
        "party": Field("当事人", text),
        "withdrawn": Field("撤回", record(model.Withdrawal, {
            "date": Field("撤回日期", date, True), "reason": Field("撤回原因", text, True)})),
    },
    "plan": {
        "period": Field("规划期", text),
        "kind": Field("规划类别", choice("五年规划", "年度计划", "民生实事", "重大专项")),
    },
    "progress": {"of": Field("所属规划计划", item_ref, True), "percent": Field("完成进度", integer(0, 100))},
    "response": {"question": Field("关切问题", text), "channel": Field("渠道", text)},
    "rectification": {"source": Field("问题来源", choice("督查", "审计")), "status": Field("整改状态", text)},
    "fund": {"program": Field("资金项目", text), "amount": Field("金额（元）", number),
             "recipients_file": Field("发放名单附件", text)},
    "warning": {"level": Field("预警级别", choice("蓝色", "黄色", "橙色", "红色"), True),
                "valid_until": Field("有效期至", date, True), "hazard": Field("灾种", text)},
    "notice": {}, "news": {}, "page": {},
    "report": {"year": Field("年度", integer(1949, 2100))},
    "message": {
        "question": Field("留言内容", text, True),
        "asked": Field("留言日期", date, True),
        "asker": Field("留言人", text),
        "reply": Field("答复", record(model.Reply, {
            "date": Field("答复日期", date, True), "org": Field("答复单位", reference(), True),
            "text": Field("答复内容", text, True)})),
    },
    "repost": {
        "source": Field("来源", record(model.Source, {
            "name": Field("来源单位", text, True), "url": Field("原文网址", web_address, True),
            "date": Field("原文发布日期", date)}), True, attr="origin"),
    },
}

OFFICER = {
    "name": Field("姓名", text, True), "post": Field("职务", text),
    "cert_no": Field("执法证号", text, True), "category": Field("执法类别", text),
    "area": Field("执法区域", text),
}

@shaped({"type": "string", "pattern": "^[a-z0-9-]+/[a-z0-9-]+$"})
def service_ref(value):
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+", value):
        raise Invalid(f"“{value}”不是有效的事项编号，应写成 机构/文件名，如 xzspj/qyslbl")
    return value


def coordinate(limit: int) -> Converter:
    """A latitude (limit 90) or longitude (limit 180) in decimal degrees, as the map needs it."""
    @shaped({"type": "number", "minimum": -limit, "maximum": limit})
    def conv(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid("应为十进制度数，如 28.436（不加“°”和引号）")
        if not -limit <= value <= limit:
            swapped = "；是不是把经度和纬度写反了？" if limit == 90 and -180 <= value <= 180 else ""
            raise Invalid(f"{value} 超出范围：应在 -{limit} 到 {limit} 之间{swapped}")
        return value
    return conv


PLACE_KINDS = ("政务服务大厅", "便民服务中心", "档案馆", "图书馆", "other")
PLACE = {
    "id": Field("编号", ident, True), "name": Field("名称", text, True),
    "kind": Field("类别", choice(*PLACE_KINDS)), "town": Field("所在镇", ident),
    "address": Field("地址", text), "lat": Field("纬度", coordinate(90)), "lon": Field("经度", coordinate(180)),
    "hours": Field("办公时间", text), "phone": Field("电话", text),
    "disclosure_zone": Field("设有政务公开专区", boolean),
    "services": Field("可办事项", listing(service_ref)),
}


# data/map/: the boundary files the 政务地图 draws (GeoJSON, lon/lat in the datum of places.yaml).
MAP_FILES = {"county.geojson": "county", "towns.geojson": "town"}
MAP_GEOMETRIES = ("Polygon", "MultiPolygon")
MAP_DATUMS = ("GCJ-02", "WGS-84", "CGCS2000")    # GCJ-02: Amap's and Tencent's maps; the other two agree to a metre
MAP_MAX_BYTES = 1024 * 1024                      # the build simplifies further; a raw national file is a mistake
BOUNDARY = {                                     # a feature's properties (a FeatureCollection's own are defaults)
    "name": Field("名称", text), "source": Field("数据来源", text),
    "datum": Field("坐标系", choice(*MAP_DATUMS)),
}

SERVICE = {
    "name": Field("事项名称", text, True),
    "kind": Field("事项类型", choice("行政许可", "公共服务", "行政确认", "行政给付", "other")),
    "basis": Field("设定依据", listing(text)),
    "conditions": Field("办理条件", text),
    "materials": Field("申请材料", listing(record(model.Material, {
        "name": Field("材料名称", text, True), "copies": Field("份数", integer(0)),
        "note": Field("备注", text)}))),
    "steps": Field("办理流程", listing(text)),
    "legal_days": Field("法定办结时限", integer(0)),
    "promised_days": Field("承诺办结时限", integer(0)),
    "fee": Field("收费", text), "online": Field("网上办理", web_address), "phone": Field("咨询电话", text),
    "life_event": Field("所属“一件事”", text),
    # 办理地点 and 办理时间 of the guide, for a service no place in places.yaml lists (else the places give them)
    "address": Field("办理地点", text), "hours": Field("办理时间", text),
}

CATALOG_ENTRY = {
    "name": Field("事项名称", text, True), "content": Field("公开内容", text),
    "basis": Field("公开依据", text), "time_limit": Field("公开时限", text),
    "subject": Field("公开主体", ident), "method": Field("公开方式", choice("主动公开", "依申请公开")),
    "channels": Field("公开渠道", listing(text)), "audience": Field("公开对象", choice("全社会", "特定群体")),
    "level": Field("公开层级", choice("县级", "乡级", "县乡两级")), "column": Field("对应栏目", ident),
}


def item_fields(item_type: str) -> dict[str, Field]:
    """Common fields with the type's own on top (a type may make a common field required)."""
    return {**COMMON, **TYPE_FIELDS.get(item_type, {})}
