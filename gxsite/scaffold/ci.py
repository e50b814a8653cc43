"""CI for the county's own site repository (GitLab, Gitea/Forgejo, GitHub) and the cron script for
a server without CI. All run the same steps: check on every merge request, build and deploy on main."""
from __future__ import annotations

from gxsite import __version__


def files() -> dict[str, str]:
    pin = f"gxsite=={__version__}"
    return {
        ".gitlab-ci.yml": GITLAB.replace("@PIN@", pin),
        ".gitea/workflows/site.yml": GITEA.replace("@PIN@", pin),
        ".github/workflows/site.yml": GITHUB.replace("@PIN@", pin),
        "deploy/cron-build.sh": CRON,
    }


GITLAB = """\
# 网站的检查和发布（GitLab CI）。
# 合并请求：gxsite check --strict，检查结果 findings.json 作为产物保存。
# 主分支：gxsite build，再 gxsite deploy 发布到 CI/CD 变量 DEPLOY_TARGET 所指的网站目录。
# 内网使用本单位的 PyPI 镜像时，在 CI/CD 变量中设置 PIP_INDEX_URL（如 http://镜像地址/simple/）。
stages: [check, deploy]

default:
  image: python:3.12-slim       # 内网请换成本单位镜像仓库中的 Python 镜像
  before_script:
    - python3 -m venv .venv && . .venv/bin/activate
    - pip install gxsite        # 建议固定版本，如 pip install "@PIN@"

# 生成缓存（memo）按分支保存在 CI 缓存中：下次只处理改动的文件；它不提交到仓库。
cache:
  key: gxsite-$CI_COMMIT_REF_SLUG
  paths:
    - .gxsite-cache/

check:
  stage: check
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    # --strict：提醒也算不通过。新网站还有空白栏目时会失败，栏目都有信息之前可暂时去掉 --strict。
    - gxsite check --strict --json findings.json
  artifacts:
    when: always
    expire_in: 30 days
    paths:
      - findings.json

deploy:
  stage: deploy
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  # 发布要写网站目录：请在网站服务器上注册 runner（shell 执行器），并在这里写上它的标签。
  # tags: [website]
  resource_group: website       # 两次发布不同时进行
  script:
    - test -n "$DEPLOY_TARGET" || { echo "请在 CI/CD 变量中设置 DEPLOY_TARGET（网站目录）"; exit 1; }
    - gxsite build
    - gxsite deploy --from output --to "$DEPLOY_TARGET"
"""

# Only `run:` steps: an intranet Gitea/Forgejo often has no mirror of the actions marketplace.
# The shared steps are written out in both jobs rather than as YAML anchors, which not every
# Gitea/Forgejo version reads.
_CHECKOUT = """\
      - name: 取出代码
        env:
          TOKEN: ${{ github.token }}
        run: |
          git init -q .
          git remote add origin "${GITHUB_SERVER_URL%/}/${GITHUB_REPOSITORY}.git"
          auth="Authorization: Basic $(printf 'x-access-token:%s' "$TOKEN" | base64 | tr -d '\\n')"
          git -c http.extraHeader="$auth" fetch -q --depth 1 origin "$GITHUB_REF" \\
            || git -c http.extraHeader="$auth" fetch -q --depth 1 origin "$GITHUB_SHA"
          git checkout -q FETCH_HEAD
      - name: 安装 gxsite
        run: |
          python3 -m venv "$HOME/.gxsite-venv"
          "$HOME/.gxsite-venv/bin/pip" install -q gxsite   # 建议固定版本，如 "@PIN@"
          echo "$HOME/.gxsite-venv/bin" >> "$GITHUB_PATH"
      - name: 取回生成缓存
        run: |
          key=$(printf '%s' "${GITHUB_HEAD_REF:-$GITHUB_REF_NAME}" | sed 's/[^A-Za-z0-9._-]/_/g')
          if [ -d "$GXSITE_CACHE_ROOT/$key" ]; then cp -a "$GXSITE_CACHE_ROOT/$key" .gxsite-cache
          else echo "没有缓存，完整生成"; fi
"""

_SAVE = """\
      - name: 存回生成缓存
        if: always()
        run: |
          key=$(printf '%s' "${GITHUB_HEAD_REF:-$GITHUB_REF_NAME}" | sed 's/[^A-Za-z0-9._-]/_/g')
          dst="$GXSITE_CACHE_ROOT/$key"
          if [ -d .gxsite-cache ] && mkdir -p "$GXSITE_CACHE_ROOT" 2>/dev/null; then
            rm -rf "$dst.new" && cp -a .gxsite-cache "$dst.new" && rm -rf "$dst" && mv "$dst.new" "$dst" || true
          fi
"""

GITEA = """\
# 网站的检查和发布（Gitea / Forgejo Actions）。只用 run: 命令、不引用任何 action，内网没有 actions 镜像也能运行。
# 合并请求：gxsite check --strict，检查结果 findings.json 写在日志中（没有 upload-artifact 动作可用）。
# 主分支：gxsite build，再 gxsite deploy 发布到仓库变量 DEPLOY_TARGET 所指的网站目录。
# runner 上需要 git 和 python3（含 venv）。内网使用本单位的 PyPI 镜像时，在仓库变量中设置 PIP_INDEX_URL。
# 发布要写网站目录：请在网站服务器上以 host 方式运行 act_runner，并把 deploy 的 runs-on 改为它的标签。
#
# 生成缓存（memo）保存在 runner 本机的文件夹 GXSITE_CACHE_ROOT 中，每个分支一份：运行前复制进来，
# 运行后复制回去。以 host 方式运行的 runner 直接可用；在容器中运行的，须把这个文件夹挂载进容器
# （act_runner 配置中的 container.valid_volumes 和 container.options: -v /var/cache/gxsite:/var/cache/gxsite）。
# 文件夹不存在或不可写时只是不用缓存，生成的网站完全相同。
name: 网站检查与发布

on:
  pull_request:
  push:
    branches: [main]

env:
  GXSITE_CACHE_ROOT: /var/cache/gxsite
  PIP_INDEX_URL: ${{ vars.PIP_INDEX_URL }}

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
""" + _CHECKOUT + """\
      - name: 检查（提醒也算不通过）
        # 新网站还有空白栏目时会失败，栏目都有信息之前可暂时去掉 --strict。
        run: |
          gxsite check --strict --json findings.json
      - name: 检查结果
        if: always()
        run: |
          cat findings.json 2>/dev/null || true
""" + _SAVE + """\

  deploy:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest          # 改为网站服务器上 runner 的标签
    concurrency: website            # 两次发布不同时进行
    env:
      DEPLOY_TARGET: ${{ vars.DEPLOY_TARGET }}
    steps:
""" + _CHECKOUT + """\
      - name: 生成网站
        run: |
          gxsite build
      - name: 发布
        run: |
          test -n "$DEPLOY_TARGET" || { echo "请在仓库变量中设置 DEPLOY_TARGET（网站目录）"; exit 1; }
          gxsite deploy --from output --to "$DEPLOY_TARGET"
""" + _SAVE

GITHUB = """\
# 网站的检查和发布（GitHub Actions）。
# 拉取请求：gxsite check --strict，检查结果 findings.json 作为产物保存。
# 主分支：gxsite build，再 gxsite deploy 发布到仓库变量 DEPLOY_TARGET 所指的网站目录。
name: 网站检查与发布

on:
  pull_request:
  push:
    branches: [main]

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: 安装 gxsite
        run: |
          python3 -m venv "$RUNNER_TEMP/venv"
          "$RUNNER_TEMP/venv/bin/pip" install -q gxsite   # 建议固定版本，如 "@PIN@"
          echo "$RUNNER_TEMP/venv/bin" >> "$GITHUB_PATH"
      # 生成缓存（memo）按分支保存，下次只处理改动的文件；它不提交到仓库
      - uses: actions/cache@v4
        with:
          path: .gxsite-cache
          key: gxsite-${{ github.head_ref }}-${{ github.sha }}
          restore-keys: |
            gxsite-${{ github.head_ref }}-
            gxsite-main-
      - name: 检查（提醒也算不通过）
        # 新网站还有空白栏目时会失败，栏目都有信息之前可暂时去掉 --strict。
        run: gxsite check --strict --json findings.json
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: findings
          path: findings.json
          if-no-files-found: ignore

  deploy:
    if: github.event_name == 'push'
    # 发布要写网站目录：在网站服务器上安装自托管 runner（self-hosted runner）
    runs-on: self-hosted
    concurrency: website            # 两次发布不同时进行
    env:
      DEPLOY_TARGET: ${{ vars.DEPLOY_TARGET }}
    steps:
      - uses: actions/checkout@v4
      - name: 安装 gxsite
        run: |
          python3 -m venv "$RUNNER_TEMP/venv"
          "$RUNNER_TEMP/venv/bin/pip" install -q gxsite   # 建议固定版本，如 "@PIN@"
          echo "$RUNNER_TEMP/venv/bin" >> "$GITHUB_PATH"
      - uses: actions/cache@v4
        with:
          path: .gxsite-cache
          key: gxsite-main-${{ github.sha }}
          restore-keys: |
            gxsite-main-
      - name: 生成网站
        run: gxsite build
      - name: 发布
        run: |
          test -n "$DEPLOY_TARGET" || { echo "请在仓库变量中设置 DEPLOY_TARGET（网站目录）"; exit 1; }
          gxsite deploy --from output --to "$DEPLOY_TARGET"
"""

CRON = r"""#!/usr/bin/env bash
# 在网站服务器上定时生成和发布（不用 CI 时）。crontab 中的写法见 README.md：
#   */10 * * * * DEPLOY_TARGET=/srv/www/site GXSITE=/srv/site-src/.venv/bin/gxsite /srv/site-src/deploy/cron-build.sh >> /var/log/gxsite-site.log 2>&1
# 拉取主分支；有新的提交或到了新的一天（定时发布的信息到期）时检查、生成、发布。
# 与 CI 的步骤相同：gxsite check、gxsite build、gxsite deploy。出错时不发布，原网站保持不变。
set -euo pipefail

SITE_DIR="$(cd "$(dirname "$0")/.." && pwd)"
DEPLOY_TARGET="${DEPLOY_TARGET:?请设置 DEPLOY_TARGET（网站目录，如 /srv/www/site）}"
GXSITE="${GXSITE:-gxsite}"        # gxsite 装在虚拟环境中时写它的完整路径
BRANCH="${BRANCH:-main}"
KEEP="${KEEP:-5}"                 # 保留几个旧版本，供 gxsite deploy --rollback 退回

cd "$SITE_DIR"
mkdir -p .gxsite-cache

# 上一次还没运行完（如内容很多、生成较慢）时本次跳过：两次运行决不重叠
exec 9> .gxsite-cache/cron.lock
if ! flock -n 9; then
  echo "$(date '+%F %T') 上一次生成还在进行，本次跳过"
  exit 0
fi

git fetch -q origin "$BRANCH"
git merge -q --ff-only "origin/$BRANCH"

# 同一提交在同一天只发布一次；gxsite 以北京时间的今天为准
state="$(git rev-parse HEAD) $(TZ=Asia/Shanghai date +%F)"
if [ "$(cat .gxsite-cache/cron-last 2>/dev/null || true)" = "$state" ]; then
  exit 0
fi

echo "$(date '+%F %T') 开始生成：$state"
"$GXSITE" check --json findings.json
"$GXSITE" build --quiet
"$GXSITE" deploy --from output --to "$DEPLOY_TARGET" --keep "$KEEP"
echo "$state" > .gxsite-cache/cron-last
echo "$(date '+%F %T') 已发布到 $DEPLOY_TARGET"
"""
