"""The thresholds of the disclosure rules (docs/content-format.md, 附：规则与依据) and the official working-day calendar.

Every threshold has a default here; `site.yaml` may override it under `rules:` (the
county's local practice). "Working days" (工作日) follow the State Council's holiday
arrangements, adjusted working days (调休) included, from the `chinese_calendar` package;
`rules: {holidays: [...], workdays: [...]}` adds days the package does not know yet.
Columns are judged by kind (动态 / 通知公告 / 政策文件 / 其他) as the 2019 inspection judges them.
"""
from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import difflib
from dataclasses import dataclass, field

import chinese_calendar

from gxsite.core.problems import Problems
from gxsite.core.source import line_of

# key: (default, Chinese name, unit). Units: "workdays" (工作日), "days" (自然日), "count", "hours".
THRESHOLDS: dict[str, tuple[int, str, str]] = {
    "interpretation_workdays": (3, "政策解读最迟在政策文件发布后几个工作日内发布", "workdays"),
    "comment_days": (30, "重大行政决策公开征求意见的最短天数", "days"),
    "feedback_days": (30, "征求意见结束后几日内公布意见采纳情况", "days"),
    "enforcement_workdays": (7, "行政许可、行政处罚决定作出后几个工作日内公示", "workdays"),
    "enforcement_other_workdays": (20, "其他行政执法决定作出后几个工作日内公示", "workdays"),
    "proactive_workdays": (20, "信息形成（成文）后几个工作日内主动公开", "workdays"),
    "home_days": (14, "首页至少每几天有新信息", "days"),
    "open_days_per_year": (1, "政府开放日每年至少几次", "count"),
    "hall_visits_per_half": (6, "局长进大厅每半年至少几次（每个开展单位）", "count"),
    "hall_visit_hours": (4, "每次局长进大厅至少几小时（半个工作日）", "hours"),
    # The inspection's "应更新但长期未更新" leaves 长期 open; a year is the usual reading, and a county may be stricter.
    "column_default_days": (365, "未设更新周期的其他栏目至少每几天有新信息", "days"),
}
CALENDAR_KEYS = {"holidays": "另行放假的日期", "workdays": "另行上班的日期（调休）"}

# 2019 national inspection indicators: a site is vetoed (单项否决) at these counts. Not configurable.
VETO_STALE = 5          # 动态要闻 / 通知公告 / 政策文件 columns not updated in time
VETO_SHOULD_UPDATE = 10  # other columns that should be updated but are not
VETO_EMPTY = 5          # empty columns
VETO_HOME_DAYS = 14     # the home page without a new item for two weeks (the county's own home_days may be stricter)

# The kinds of column the 2019 indicators (国办秘函〔2019〕19号) name, and how long each may go without a new item.
# The inspection's own periods, so not configurable; a column's declared update_every_days still wins.
DYNAMIC, NOTICES, POLICIES, OTHER = "动态", "通知公告", "政策文件", "其他"
KIND_NAMES = {DYNAMIC: "动态要闻类", NOTICES: "通知公告类", POLICIES: "政策文件类", OTHER: "其他"}
KIND_TYPES = {"news": DYNAMIC, "notice": NOTICES, "policy": POLICIES}   # a column's select: type decides first
KIND_WORDS = {DYNAMIC: ("动态", "要闻", "新闻"), NOTICES: ("通知", "公告"), POLICIES: ("政策", "文件")}  # else its title
INSPECTION_RHYTHMS = {DYNAMIC: (14, "days"), NOTICES: (6, "months"), POLICIES: (6, "months")}


class Calendar:
    """Official working days; outside the package's years, Monday to Friday."""

    def __init__(self, holidays=(), workdays=()):
        self.holidays = set(holidays)
        self.workdays = set(workdays)
        self._cache: dict[dt.date, bool] = {}

    def covers(self, year: int) -> bool:
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_workday(self, day: dt.date) -> bool:
        known = self._cache.get(day)
        if known is not None:
            return known
        if day in self.workdays:
            result = True
        elif day in self.holidays:
            result = False
        else:
            try:
                result = chinese_calendar.is_workday(day)
            except NotImplementedError:
                result = day.weekday() < 5
        self._cache[day] = result
        return result

    def add(self, start: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `start` (start itself not counted)."""
        day = start
        while count > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        days = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                days += 1
        return days


def column_kind(title: str, types=()) -> str:
    """动态 / 通知公告 / 政策文件 / 其他: by the item types a column selects, else by words of its title.
    Types are data and titles are prose ("政策解读" selects interpretations), so types decide first."""
    by_type = [k for k in KIND_WORDS if any(KIND_TYPES.get(t) == k for t in types)]
    by_title = [k for k in KIND_WORDS if any(w in title for w in KIND_WORDS[k])]
    if by_type:
        # several key types ("通知公告" listing notices and news): the title says which the column is
        return next((k for k in by_type if k in by_title), by_type[0])
    if types:
        return OTHER
    return by_title[0] if by_title else OTHER


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (08-31 + 6 months = 02-28)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, month_calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Rhythm:
    """How long a column may go without a new item, and where that comes from."""
    count: int
    unit: str     # "days" | "months"
    basis: str    # "declared" (update_every_days) | "inspection" (国办秘函〔2019〕19号) | "default" (column_default_days)

    def due(self, newest: dt.date) -> dt.date:
        return add_months(newest, self.count) if self.unit == "months" else newest + dt.timedelta(days=self.count)

    @property
    def label(self) -> str:
        return f"{self.count} 个月" if self.unit == "months" else f"{self.count} 天"


def judged_as(kind: str, nested: bool) -> str:
    """The kind the inspection counts a column as. Its 6-month period is for the 通知公告 / 政策文件 column
    itself: a sub-column inside one of its kind (其他文件 under 政策文件) counts as any other column."""
    return OTHER if nested and kind in (NOTICES, POLICIES) else kind


def column_rhythm(judged: str, declared: int | None, rules: Rules) -> Rhythm:
    """A declared update_every_days; else the inspection's period for the kind; else the configurable default."""
    if declared is not None:
        return Rhythm(declared, "days", "declared")
    if judged in INSPECTION_RHYTHMS:
        count, unit = INSPECTION_RHYTHMS[judged]
        return Rhythm(count, unit, "inspection")
    return Rhythm(rules.column_default_days, "days", "default")


@dataclass
class Rules:
    values: dict[str, int] = field(default_factory=lambda: {k: v[0] for k, v in THRESHOLDS.items()})
    calendar: Calendar = field(default_factory=Calendar)

    def __getattr__(self, name: str) -> int:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)


def load(site, problems: Problems | None = None) -> Rules:
    """The thresholds for a site: defaults overridden by site.yaml `rules:`, each override checked."""
    problems = problems if problems is not None else Problems()
    raw = getattr(site, "rules", None) or {}
    rules = Rules()
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []
    for key, value in raw.items():
        line = line_of(raw, key) or 0
        if key in CALENDAR_KEYS:
            days = _dates(value)
            if days is None:
                problems.error("site.yaml", line, f"rules 中的 {key}（{CALENDAR_KEYS[key]}）应为日期列表，如 [2027-01-04]")
            else:
                (holidays if key == "holidays" else workdays).extend(days)
            continue
        spec = THRESHOLDS.get(key)
        if spec is None:
            guess = difflib.get_close_matches(str(key), list(THRESHOLDS) + list(CALENDAR_KEYS), n=1)
            hint = f"，是不是“{guess[0]}”？" if guess else f"，可用：{'、'.join(THRESHOLDS)}"
            problems.warn("site.yaml", line, f"rules 中的未知阈值“{key}”{hint}", rule="rules-config")
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.error("site.yaml", line, f"rules 中的 {key}（{spec[1]}）应为不小于 0 的整数")
            continue
        rules.values[key] = value
    rules.calendar = Calendar(holidays, workdays)
    return rules


def _dates(value) -> list[dt.date] | None:
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
        return None
    return list(values)


def describe(rules: Rules) -> list[tuple[str, str, int, int, str]]:
    """(key, Chinese name, value, default, unit) of every threshold, for reports."""
    units = {"workdays": "个工作日", "days": "天", "count": "次", "hours": "小时"}
    return [(k, name, rules.values[k], default, units[unit]) for k, (default, name, unit) in THRESHOLDS.items()]
