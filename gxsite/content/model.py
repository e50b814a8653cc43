"""The content model: plain dataclasses named as in the content contract.

Loaded values come first in each class; fields after `# resolved` are filled by
later stages (resolve, route, render) and never by editors.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# ---- small records nested in items and data files ---------------------------------------


@dataclass
class Contact:
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class Person:
    name: str = ""
    title: str = ""
    phone: str = ""


@dataclass
class Comment:
    opens: dt.date | None = None
    closes: dt.date | None = None
    email: str = ""
    phone: str = ""
    address: str = ""
    url: str = ""


@dataclass
class Feedback:
    date: dt.date | None = None
    text: str = ""


@dataclass
class Participant:
    group: str = ""
    count: int = 0


@dataclass
class VisitProblem:
    issue: str = ""
    action: str = ""
    status: str = ""
    due: dt.date | None = None


@dataclass
class Withdrawal:
    date: dt.date | None = None
    reason: str = ""


@dataclass
class Reply:
    """A message's answer (留言选登)."""
    date: dt.date | None = None
    org: str = ""
    text: str = ""
    # resolved; not part of what was written (the preview compares loaded records)
    org_ref: Org | None = field(default=None, compare=False)


@dataclass
class Source:
    """Where a reposted document was first published (转载)."""
    name: str = ""
    url: str = ""
    date: dt.date | None = None


@dataclass
class Attachment:
    file: str
    title: str = ""
    # resolved
    url: str = ""
    size: int = 0
    sha256: str = ""     # of the file's bytes, hex


@dataclass
class Material:
    name: str = ""
    copies: int = 1
    note: str = ""


# ---- site-wide files --------------------------------------------------------------------


@dataclass
class Badge:
    """The 党政机关网站标识: an image of the site's own, linking to its verification page."""
    image: str = ""
    url: str = ""


@dataclass
class Channel:
    """A 咨询建言 channel the site links to (领导信箱, 12345 hotline…)."""
    name: str = ""
    url: str = ""
    phone: str = ""
    note: str = ""


@dataclass
class Colors:
    """site.yaml's colors: each #rrggbb, or "" for gxsite's own."""
    masthead: str = ""          # the masthead's background
    masthead_text: str = ""     # the masthead's text and links
    link: str = ""              # links in the page
    lines: dict = field(default_factory=dict, repr=False, compare=False)   # key -> line in site.yaml


@dataclass
class Site:
    title: str
    base_url: str
    short_title: str = ""
    division_code: str = ""
    lead_org: str = ""
    contact: Contact = field(default_factory=Contact)
    per_page: int = 20
    rules: dict = field(default_factory=dict)  # overrides of configurable thresholds (docs/content-format.md, 附：规则与依据)
    disclosure: dict = field(default_factory=dict)  # hub columns: guide, rules, reports (extension)
    # What a county changes without templates of its own (docs/templates.md)
    logo: str = ""                                  # an image under content/, shown in the masthead
    colors: Colors = field(default_factory=Colors)
    footer: list[str] = field(default_factory=list)  # more lines at the foot of every page
    admin: dict = field(default_factory=dict)   # the production editor's backend (gxsite build --admin)
    # Which precompressed twins every text file gets (core/compress.py): gzip unless site.yaml says
    # otherwise; brotli only on request (nginx needs a module for it, and it is slow to make)
    precompress: list[str] = field(default_factory=lambda: ["gzip"])
    # The footer identity block of the 47号文 page spec
    site_code: str = ""                          # 网站标识码, 10 characters
    sponsor: str = ""                            # 主办单位 ("" = title); 承办单位 is lead_org
    icp: str = ""                                # ICP备案号
    police_record: str = ""                      # 公安机关备案号
    conac: Badge | None = None                   # 党政机关网站标识
    channels: list[Channel] = field(default_factory=list)   # 咨询建言
    website_report: dict = field(default_factory=dict)       # 政府网站工作年度报表 figures, by year

    @property
    def images(self) -> list[str]:
        """The site's own pictures under content/ (logo, 党政机关网站标识), published at the same path."""
        return [p for p in (self.logo, self.conac.image if self.conac else "") if p]

    @property
    def domain(self) -> str:
        """SiteDomain: the host of base_url."""
        return self.base_url.split("://", 1)[-1].split("/", 1)[0]


@dataclass
class Org:
    id: str
    name: str
    short: str = ""
    kind: str = "department"
    credit_code: str = ""
    phone: str = ""
    address: str = ""
    path: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        return self.short or self.name


@dataclass
class Domain:
    id: str
    name: str
    org: str = ""
    path: str = ""
    line: int = 0


@dataclass
class Column:
    id: str
    title: str
    parent: str = ""
    select: dict = field(default_factory=dict)   # key -> tuple of accepted values
    update_every_days: int | None = None
    kind: str = ""                                # 动态 | 通知公告 | 政策文件 | 其他; "" = from select and title
    description: str = ""
    path: str = ""
    line: int = 0
    # resolved
    children: list[Column] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/columns/{self.id}/"


# ---- items ------------------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    id: str                      # <org>/<yyyy>/<slug>
    path: str                    # relative to content/, e.g. items/sfj/2023/x.md
    title: str
    type: str
    org: str
    date: dt.date
    index_no: str = ""
    updated: dt.date | None = None
    summary: str = ""
    domains: list[str] = field(default_factory=list)
    towns: list[str] = field(default_factory=list)
    topic: str = ""
    columns: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    body: str = ""
    body_line: int = 1           # file line where the Markdown body starts
    lines: dict = field(default_factory=dict, repr=False)  # front-matter key -> line
    # 文号 and 成文日期: required for policies, allowed on every type (notices carry them too)
    doc_no: str = ""
    issued: dt.date | None = None
    # policy
    category: str = ""
    status: str = ""             # policy: 现行有效/已修改/已废止; rectification: free text
    repealed: dt.date | None = None
    replaced_by: str = ""
    needs_interpretation: bool | None = None
    # interpretation
    interprets: str = ""
    interpreter: Person | None = None
    form: str = ""
    # decision
    comment: Comment | None = None
    short_reason: str = ""
    feedback: Feedback | None = None
    # open_day, hall_visit
    event_date: dt.date | None = None
    place: str = ""
    participants: list[Participant] = field(default_factory=list)
    leader: Person | None = None
    hours: float | None = None
    problems: list[VisitProblem] = field(default_factory=list)
    # enforcement
    stage: str = ""
    decision_date: dt.date | None = None
    case_no: str = ""
    action: str = ""
    party: str = ""
    withdrawn: Withdrawal | None = None
    # plan, progress
    period: str = ""
    kind: str = ""
    of: str = ""
    percent: int | None = None
    # response, rectification
    question: str = ""
    channel: str = ""
    source: str = ""
    # fund
    program: str = ""
    amount: float | None = None
    recipients_file: str = ""
    # warning
    level: str = ""
    valid_until: dt.date | None = None
    hazard: str = ""
    # report
    year: int | None = None
    # message (留言选登); its question is `question` above
    asked: dt.date | None = None
    asker: str = ""
    reply: Reply | None = None
    # repost (转载): its `source:` record (rectification's `source` is a word)
    origin: Source | None = None
    source_key: bytes = b""      # set by load: digest of the file's path and bytes (the memo's key)
    # resolved
    slug: str = ""
    url: str = ""
    html: str = ""               # sanitized body HTML, links relative to the item's own URL
    text: str = ""               # the body as plain text (what search indexes)
    org_ref: Org | None = None
    domain_refs: list[Domain] = field(default_factory=list)
    town_refs: list[Org] = field(default_factory=list)
    in_columns: list[Column] = field(default_factory=list)
    related_items: list[Item] = field(default_factory=list)
    interpretations: list[Item] = field(default_factory=list)   # policy -> its interpretations
    interprets_item: Item | None = None
    progress_reports: list[Item] = field(default_factory=list)  # plan -> its progress items
    of_item: Item | None = None
    replaced_by_item: Item | None = None

    @property
    def listed(self) -> bool:
        """Shown in listings, feeds and search: a withdrawn item keeps its page but leaves lists."""
        return self.withdrawn is None

    @property
    def validity(self) -> str:
        """有效性, shown for policies."""
        return (self.status or "现行有效") if self.type == "policy" else ""

    @property
    def reply_days(self) -> int | None:
        """A message's days from 留言 to 答复."""
        if self.type != "message" or not self.reply or not self.asked or not self.reply.date:
            return None
        return (self.reply.date - self.asked).days

    @property
    def latest_progress(self) -> Item | None:
        """A plan's newest progress report that states a percentage."""
        return next((p for p in self.progress_reports if p.percent is not None), None)

    @property
    def sort_key(self):
        """Newest first; ties broken by id so listings are deterministic."""
        return (-self.date.toordinal(), self.id)


# ---- data files -------------------------------------------------------------------------


@dataclass
class Officer:
    org: str
    name: str
    post: str = ""
    cert_no: str = ""
    category: str = ""
    area: str = ""
    path: str = ""
    line: int = 0
    # resolved
    org_ref: Org | None = None


@dataclass
class Service:
    id: str                       # <org>/<slug>
    org: str
    name: str
    kind: str = ""
    basis: list[str] = field(default_factory=list)
    conditions: str = ""
    materials: list[Material] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    legal_days: int | None = None
    promised_days: int | None = None
    fee: str = ""
    online: str = ""
    phone: str = ""
    life_event: str = ""
    address: str = ""             # 办理地点, when no place lists the service
    hours: str = ""               # 办理时间, likewise
    path: str = ""
    line: int = 0
    # resolved
    url: str = ""
    org_ref: Org | None = None
    places: list[Place] = field(default_factory=list)


@dataclass
class Place:
    id: str
    name: str
    kind: str = ""
    town: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    hours: str = ""
    phone: str = ""
    disclosure_zone: bool = False
    services: list[str] = field(default_factory=list)
    path: str = ""
    line: int = 0
    # resolved
    url: str = ""
    town_ref: Org | None = None
    service_refs: list[Service] = field(default_factory=list)


@dataclass
class Boundary:
    """An outline from data/map/ (the county's in county.geojson, a town's in towns.geojson):
    polygons of rings of (lon, lat), outer ring first, in the datum of places.yaml."""
    kind: str                                   # "county" or "town"
    name: str
    polygons: list[list[list[tuple[float, float]]]]
    source: str = ""                            # who drew it, for the map's 示意图 note
    datum: str = "GCJ-02"
    path: str = ""
    line: int = 0

    def contains(self, lon: float, lat: float) -> bool:
        """Even–odd rule over every ring: holes and separate parts need no special case."""
        hit = False
        for rings in self.polygons:
            for ring in rings:
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                    if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                        hit = not hit
        return hit


@dataclass
class CatalogEntry:
    name: str
    content: str = ""
    basis: str = ""
    time_limit: str = ""
    subject: str = ""
    method: str = ""
    channels: list[str] = field(default_factory=list)
    audience: str = ""
    level: str = ""
    column: str = ""
    path: str = ""
    line: int = 0
    # resolved
    subject_ref: Org | None = None
    column_ref: Column | None = None


@dataclass
class CatalogDomain:
    domain: str
    entries: list[CatalogEntry] = field(default_factory=list)
    path: str = ""
    # resolved
    domain_ref: Domain | None = None


@dataclass
class Listing:
    """A dated list of items: a column, or an automatic listing per org, domain, type, town, year."""

    kind: str          # "columns" | "orgs" | "domains" | "types" | "towns" | "years"
    key: str
    title: str
    url: str
    items: list[Item] = field(default_factory=list)
    column: Column | None = None
    domain: Domain | None = None


# ---- the one store ----------------------------------------------------------------------


@dataclass
class Library:
    """Every loaded thing, once. Columns and listings hold references into `items`."""

    site: Site
    orgs: dict[str, Org] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    columns: dict[str, Column] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)       # all loaded items, by id
    officers: list[Officer] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    catalog: list[CatalogDomain] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)  # data/map/: the county first, then its towns
    # resolved
    published: list[Item] = field(default_factory=list)        # visible on --today, newest first
    listings: list[Listing] = field(default_factory=list)      # columns first, then automatic ones
    search_manifest: str = ""                                  # site path of the search index manifest
    overview: object = None     # checks.Overview: deadlines, column states and tallies (set by check)

    @property
    def towns(self) -> dict[str, Org]:
        return {k: o for k, o in self.orgs.items() if o.kind == "town"}


# Objects that point at each other get a short repr: the generated one would walk the whole
# library (an item's columns hold items that hold columns…), which a failing test prints.
def _short_repr(self) -> str:
    key = getattr(self, "id", None) or getattr(self, "key", None) or ""
    return f"{type(self).__name__}({key!r})"


def _library_repr(self) -> str:
    return f"Library({self.site.title!r}, {len(self.items)} items, {len(self.published)} published)"


for _cls in (Org, Domain, Column, Item, Officer, Service, Place, Boundary, CatalogEntry, CatalogDomain, Listing):
    _cls.__repr__ = _short_repr
Library.__repr__ = _library_repr
