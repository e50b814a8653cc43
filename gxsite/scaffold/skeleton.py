"""The new site's content tree, templates folder, .gitignore and the editors' README."""
from __future__ import annotations

from typing import TYPE_CHECKING

from gxsite import __version__
from gxsite.content import schema

if TYPE_CHECKING:
    from gxsite.scaffold.init import NewSite

LEAD_ORG = "zfb"   # 政府办: right for a 县 as for a 区 or 市

# The 30 key domains of the standard catalogue (国办 26 领域 and the province's additions), with
# the ids the example content uses, so catalogue files and columns carry over between counties.
# No responsible org: the new site has only its 政府办 yet; the office adds `org:` with the orgs.
DOMAINS = (
    ("zdjsxm", "重大建设项目"), ("ggzyjy", "公共资源交易"), ("ywjy", "义务教育"), ("hjgl", "户籍管理"),
    ("shjz", "社会救助"), ("ylfw", "养老服务"), ("ggflfw", "公共法律服务"), ("czyjs", "财政预决算"),
    ("jy", "就业"), ("shbx", "社会保险"), ("tj", "统计"), ("xczx", "巩固脱贫成果与乡村振兴有效衔接"),
    ("sthj", "生态环境"), ("bzxzf", "保障性住房"), ("fwzs", "国有土地上房屋征收与补偿"),
    ("ncwfgz", "农村危房改造"), ("szfw", "市政服务"), ("csglzf", "城市综合执法"), ("snbt", "涉农补贴"),
    ("ggwhfw", "公共文化服务"), ("wsjk", "卫生健康"), ("aqsc", "安全生产"), ("jz", "救灾"),
    ("spypjg", "食品药品监管"), ("zrzy", "自然资源"), ("ssgl", "税收管理"), ("jtys", "交通运输"),
    ("xwcbbq", "新闻出版版权"), ("gbdsh", "广播电视和网络视听"), ("ly", "旅游"),
)

# 重点领域信息公开's columns: (id, title, domain ids). Related domains share one column, as on
# most county sites; every one of the 30 domains is in exactly one.
DOMAIN_COLUMNS = (
    ("zdjsxm", "重大建设项目", ["zdjsxm"]), ("ggzyjy", "公共资源交易", ["ggzyjy"]),
    ("czyjs", "财政预决算", ["czyjs"]), ("ywjy", "义务教育", ["ywjy"]), ("hjgl", "户籍管理", ["hjgl"]),
    ("shjz", "社会救助", ["shjz"]), ("ylfw", "养老服务", ["ylfw"]), ("ggflfw", "公共法律服务", ["ggflfw"]),
    ("jyshbx", "就业和社会保险", ["jy", "shbx"]), ("tjxx", "统计信息", ["tj"]),
    ("xczx", "推进乡村振兴", ["xczx", "snbt"]), ("sthj", "生态环境", ["sthj"]),
    ("zfbz", "住房保障和城市建设", ["bzxzf", "fwzs", "ncwfgz", "szfw"]),
    ("csglzf", "城市综合执法", ["csglzf"]), ("wsjk", "卫生健康", ["wsjk"]),
    ("aqsc", "安全生产", ["aqsc"]), ("fzjzjz", "防灾减灾救灾", ["jz"]),
    ("spypjg", "食品药品监管", ["spypjg"]), ("zrzy", "自然资源", ["zrzy"]), ("ssgl", "税收管理", ["ssgl"]),
    ("jtys", "交通运输", ["jtys"]), ("whly", "公共文化服务和旅游", ["ggwhfw", "ly", "gbdsh"]),
    ("xwcbbq", "新闻出版版权", ["xwcbbq"]),
)


def files(site: NewSite) -> dict[str, str]:
    return {
        "content/site.yaml": site_yaml(site),
        "content/orgs.yaml": orgs_yaml(site),
        "content/domains.yaml": domains_yaml(),
        "content/columns.yaml": columns_yaml(),
        "templates/README.md": TEMPLATES_README,
        ".gitignore": GITIGNORE,
        "README.md": readme(site),
    }


def site_yaml(site: NewSite) -> str:
    return f"""\
# 网站标识与设置。字段说明见 gxsite《内容编写规范》（docs/content-format.md）“四、其他文件”。
title: {site.title}
short_title: {site.name}
base_url: {site.base_url}
division_code: "{site.division_code}"
lead_org: {LEAD_ORG}
# 【待填写】联系方式显示在每个页面的页脚：请换成{site.level}政府办公室公开的办公电话、邮箱和地址。
contact:
  phone: （待填写：办公电话）
  email: （待填写：电子邮箱）
  address: （待填写：办公地址）
per_page: 20
# 预压缩文件：默认每个文本文件另存 .gz（nginx 的 gzip_static 直接发送）。服务器装有 ngx_brotli 模块时
# 去掉下一行的“#”，另存 .br（整站生成的计算量约多一半）。
# precompress: [gzip, brotli]
# 【待填写】页脚标识（政府网站发展指引 国办发〔2017〕47号），照网站登记和备案证书填写：
# site_code 网站标识码（10 位，前 6 位为行政区划代码，XXXX 换成证书上的 4 位）、icp ICP备案号、police_record 公安机关备案号。
# 未填写之前 gxsite check 会提醒（site-identity）。
site_code: "{site.division_code}XXXX"
sponsor: {site.title}办公室
icp: （待填写：ICP备案号）
police_record: （待填写：公安机关备案号）
# 党政机关网站标识：把编办发放的标识图片放在 content/images/ 下，去掉下面三行的“#”并填写验证页面网址。
# conac:
#   image: images/conac.png
#   url: https://bszs.conac.cn/sitename?method=show&id=（待填写：标识编号）
# 咨询建言渠道（领导信箱、12345 热线等）：每项写 name，以及 url 或 phone。
channels:
  - name: 12345政务服务便民热线
    phone: "12345"
  # - name: {site.level}长信箱
  #   url: （待填写：信箱网址，以 https:// 开头）
"""


def orgs_yaml(site: NewSite) -> str:
    return f"""\
# 发布机构。每个部门、镇（街道）各写一项，信息的 org 和 items/ 下的文件夹名都用这里的编号。
# 字段说明见 gxsite《内容编写规范》（docs/content-format.md）“四、其他文件”中的 orgs.yaml。
- id: {LEAD_ORG}
  name: {site.title}办公室
  short: {site.level}政府办公室
  kind: department
  # 【占位，请替换】下面的统一社会信用代码是占位值（格式和校验位正确，并非真实代码）。
  # 索引号的前半部分就是它，而索引号一经发布不得更改：请在发布第一条信息之前换成本单位证书上的代码。
  credit_code: {site.credit_code}
  # phone: 办公电话
  # address: 办公地址

# 其他机构照此添加，例如：
# - id: sfj
#   name: {site.name}司法局
#   short: {site.level}司法局
#   kind: department
#   credit_code: 本单位统一社会信用代码
"""


def domains_yaml() -> str:
    lines = ["# 重点领域：政务公开事项标准目录的 30 个领域。",
             "# 各领域的责任单位在 orgs.yaml 中添加了机构之后再写，如 {id: ggflfw, name: 公共法律服务, org: sfj}。"]
    lines += [f"- {{id: {d}, name: {name}}}" for d, name in DOMAINS]
    return "\n".join(lines) + "\n"


def columns_yaml() -> str:
    zdly = "".join(f"- id: {cid}\n  title: {title}\n  parent: zdly\n  select: {{domains: [{', '.join(ds)}]}}\n"
                   for cid, title, ds in DOMAIN_COLUMNS)
    return COLUMNS_HEAD + zdly


COLUMNS_HEAD = """\
# 栏目树：每个栏目是一条选取规则，符合 select 的信息自动出现在栏目中（每个键都要满足，值为列表时满足其一即可）。
# 没有 select 的栏目只列出下级栏目和在 columns: 中点名它的信息。
# 还没有信息的栏目不是错误：gxsite check 会提醒“空白栏目”，请尽快补充内容或删去用不到的栏目。
# 字段说明见 gxsite《内容编写规范》（docs/content-format.md）“四、其他文件”中的 columns.yaml。

# ── 政府信息公开 ──────────────────────────────────────────────
- id: zfxxgk
  title: 政府信息公开
- id: zcwj
  title: 政策文件
  parent: zfxxgk
  select: {type: policy}
- id: gfxwj
  title: 行政规范性文件
  parent: zcwj
  select: {type: policy, category: 规范性文件}
- id: qtwj
  title: 其他文件
  parent: zcwj
  select: {type: policy, category: 其他文件}
- id: zcjd
  title: 政策解读
  parent: zfxxgk
  select: {type: interpretation}
- id: tzgg
  title: 通知公告
  parent: zfxxgk
  select: {type: notice}
- id: gzdt
  title: 工作动态
  parent: zfxxgk
  select: {type: news}
- id: ghjh
  title: 规划计划
  parent: zfxxgk
  select: {type: plan}
- id: hygq
  title: 回应关切
  parent: zfxxgk
  select: {type: response}
- id: zjxx
  title: 资金信息
  parent: zfxxgk
  select: {type: fund}
# 指南和制度是固定页面（type: page），在信息的 columns: 中写 [xxgkzn] 或 [xxgkzd] 放入栏目。
- id: xxgkzn
  title: 政府信息公开指南
  parent: zfxxgk
- id: xxgkzd
  title: 政府信息公开制度
  parent: zfxxgk
- id: ndbg
  title: 政府信息公开工作年度报告
  parent: zfxxgk
  select: {type: report, topic: 政务公开}

# ── 重大决策预公开 ──────────────────────────────────────────
- id: zdjcygk
  title: 重大决策预公开
  select: {type: decision}

# ── 行政执法信息集中公开 ────────────────────────────────────
- id: xzzfgs
  title: 行政执法信息集中公开
  select: {type: enforcement}
- id: sqgk
  title: 事前公开
  parent: xzzfgs
  select: {type: enforcement, stage: 事前}
- id: szgk
  title: 事中公开
  parent: xzzfgs
  select: {type: enforcement, stage: 事中}
- id: shgk
  title: 事后公开
  parent: xzzfgs
  select: {type: enforcement, stage: 事后}

# ── 重点领域信息公开（与 domains.yaml 的 30 个领域对应）──────
- id: zdly
  title: 重点领域信息公开
"""

TEMPLATES_README = """\
# 模板覆盖

本文件夹用来修改网站的样式和版式，平时不用动。

放在这里的文件会**替换 gxsite 自带的同一路径的文件**，其余文件照常使用 gxsite 自带的。
例如要改 404 页面，复制 gxsite 自带模板中的 `404.html` 到本文件夹再修改；要加一段样式，
在 `assets/site.css.d/` 中新建一个 `.css` 文件（按文件名顺序接在 gxsite 的样式之后）。
只放要改的文件，不要整个复制，否则升级 gxsite 后将得不到新版本的修正。
详细说明见 gxsite 的 `docs/templates.md`。

改过的页面仍须通过无障碍（关怀版）和链接检查：改完运行 `gxsite check`。
"""

GITIGNORE = """\
# gxsite 生成的网站和生成过程中的临时文件夹：由内容生成，不提交
/output/
/output.tmp-*/
/output.old-*/
# 生成时的缓存（memo）：由 CI 的缓存保存在两次运行之间，不提交
/.gxsite-cache/
# 检查结果（CI 中作为产物保存）
/findings.json
/检查报告/
# Python 虚拟环境
/.venv/
"""


def readme(site: NewSite) -> str:
    types = "\n".join(f"| `{t}` | {name} |" for t, name in schema.ITEM_TYPES.items())
    return f"""\
# {site.title}网站

本仓库是{site.title}政务公开网站的**全部内容**。网站由政务公开网站生成器 gxsite
根据 `content/` 中的文件生成：每条信息只写一次，自动出现在所属的栏目、机构、领域和年份列表中，
并同时生成关怀版（大字版）页面。

```
content/
  site.yaml      网站名称、网址、页脚联系方式
  orgs.yaml      发布机构（部门、镇）
  domains.yaml   重点领域（30 个）
  columns.yaml   栏目树
  items/<机构编号>/<年份>/<文件名>.md    一条信息
templates/       样式和版式的修改（一般不用动，见其中的 README.md）
deploy/          在服务器上定时生成和发布的脚本
```

**内容怎么写**以《内容编写规范》为准：它随 gxsite 一起发布（gxsite 源代码中的 `docs/content-format.md`），
写明每个文件的每个字段、示例和全部检查规则。下面是开始工作需要知道的。

## 第一次使用前（{site.level}政府办公室）

1. 在 `content/site.yaml` 中把页脚的联系方式（标有“待填写”）换成真实的办公电话、邮箱和地址。
2. 在 `content/orgs.yaml` 中把本单位的**统一社会信用代码换成证书上的代码**（现为占位值）。
   索引号由它生成，一经发布不得更改，所以必须在发布第一条信息之前换好。
3. 在 `content/orgs.yaml` 中添加各部门、各镇（街道），`kind` 分别写 `department`、`town`；
   然后在 `content/domains.yaml` 中为各领域写上责任单位 `org`。
4. 看一遍 `content/columns.yaml`：删去用不到的栏目，按本地的实施方案增加栏目。

## 安装 gxsite

需要 Python 3.10 或更新版本：

```sh
python3 -m venv .venv && . .venv/bin/activate      # Windows：py -m venv .venv 后运行 .venv\\Scripts\\activate
pip install gxsite                                  # 建议固定版本，如 pip install "gxsite=={__version__}"
```

内网中用本单位的 PyPI 镜像：`pip install --index-url http://镜像地址/simple/ gxsite`，
或先设置环境变量 `PIP_INDEX_URL=http://镜像地址/simple/`（CI 中也一样）。

以下命令都在本文件夹（`content/` 所在的文件夹）中运行。

## 新建一条信息

```sh
gxsite new notice --org {LEAD_ORG} --title "关于……的通知"
```

命令会新建 `content/items/{LEAD_ORG}/<年份>/<文件名>.md`，写好索引号，并列出还要填写的行
（如“发布前请填写：第 6 行 文号（doc_no）……”）。用记事本、WPS 或任何编辑器打开，填好这些行，
把“正文写在这里。”换成正文，以 UTF-8 编码保存。附件放在与信息文件同名的文件夹里，并在正文中链接。

信息类型（`gxsite new` 的第一个参数、文件头的 `type`）：

| 编号 | 类型 |
|---|---|
{types}

## 预览

```sh
gxsite serve
```

用浏览器打开 <http://127.0.0.1:8000>。保存文件后页面自动更新；只有自己能看到，不会发布。

## 检查

```sh
gxsite check
```

逐条列出 `文件:行号: 问题和改法`：

- **错误**必须改正，有错误时网站不会发布，原网站保持不变；
- **提醒**不影响发布，如“空白栏目”（新网站的栏目还没有信息）、栏目长期未更新、政策解读逾期等，请尽快处理。

`gxsite check --json 检查结果.json --report 检查报告/` 另存检查结果和供办公室内部使用的检查报告。

## 生成和发布

```sh
gxsite build                              # 生成网站到 output/（有错误时不生成，output/ 保持不变）
gxsite deploy --from output --to /srv/www/site           # 发布为一个新版本，并切换过去
gxsite deploy --to /srv/www/site --rollback              # 出了问题时退回上一个版本
```

`--to` 是发布目录：每次发布在其中的 `releases/` 下存为一个版本，`current` 指向正在使用的版本，
网站服务器（如 nginx）的网站根目录设为 `/srv/www/site/current`；`--keep N` 指定保留最近几个版本以便退回。

### 自动发布（CI）

本仓库已带有三种代码托管平台的配置，用哪一种就保留哪一种：

| 平台 | 文件 |
|---|---|
| GitLab | `.gitlab-ci.yml` |
| Gitea / Forgejo | `.gitea/workflows/site.yml`（只用 `run:` 命令，内网没有 actions 镜像也能用） |
| GitHub | `.github/workflows/site.yml` |

- 每个合并请求（Merge Request / Pull Request）都运行 `gxsite check --strict --json findings.json`，
  检查结果 `findings.json` 作为产物保存。`--strict` 把提醒也当作不通过：新网站还有空白栏目时这一步会失败，
  栏目都有信息之后再要求它通过；在此之前可暂时去掉 `--strict`。
- 合并到主分支（`main`）后运行 `gxsite build` 和 `gxsite deploy --from output --to $DEPLOY_TARGET`。
  发布目录在 CI 变量 `DEPLOY_TARGET` 中设置；发布这一步须在能写网站目录的 runner（通常是网站服务器上的 runner）上运行。
- 生成缓存 `.gxsite-cache/` 保存在 CI 的缓存中（不提交），下次生成只处理改动的文件。

### 不用 CI：服务器上定时生成

在网站服务器上克隆本仓库并安装 gxsite（如装在仓库中的 `.venv`），再用 `crontab -e` 加一行：

```
*/10 * * * * DEPLOY_TARGET=/srv/www/site GXSITE=/srv/site-src/.venv/bin/gxsite /srv/site-src/deploy/cron-build.sh >> /var/log/gxsite-site.log 2>&1
```

（`/srv/site-src` 换成仓库所在的文件夹。）`deploy/cron-build.sh` 每 10 分钟拉取主分支（`git pull`），
有新的提交或到了新的一天（定时发布的信息到期）时检查、生成并发布；两次运行不会重叠（`flock`），
出错时不发布，原网站保持不变，原因写在日志中。
"""
