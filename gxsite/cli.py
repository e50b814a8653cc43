"""The command line: thin wrappers around the pipeline. Exit codes: 0 ok, 1 content errors, 2 usage."""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import traceback
from pathlib import Path
from zoneinfo import ZoneInfo

from gxsite.core.problems import Problems

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def shanghai_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应写成 YYYY-MM-DD") from None


def _folder_arg(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"模板目录 {os.path.abspath(path)} {'不是文件夹' if path.exists() else '不存在'}")
    return path


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: one line, exit 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"gxsite: 用法错误：{message}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gxsite", description="政务公开网站生成器：把 content/ 中的信息生成县级政府信息公开网站（标准版和关怀版）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def content_arg(p):
        p.add_argument("--content", type=Path, default=Path("content"), help="内容目录（默认 content/）")

    def templates_arg(p):
        p.add_argument("--templates", type=_folder_arg, default=None, metavar="DIR",
                       help="本站自己的模板目录，按文件覆盖 gxsite 的模板（默认 content/ 旁的 templates/，如有）")

    b = sub.add_parser("build", help="生成网站到输出目录")
    content_arg(b)
    b.add_argument("--out", type=Path, default=Path("output"), help="输出目录（默认 output/）")
    b.add_argument("--today", type=_date_arg, default=None, help="以哪一天为“今天”（YYYY-MM-DD，默认北京时间今天）")
    b.add_argument("--quiet", action="store_true", help="只输出错误")
    b.add_argument("--force", action="store_true", help="即使内容未变化也重新生成")
    b.add_argument("--admin", type=Path, default=None, metavar="DIR",
                   help="另把线上内容编辑器（按 site.yaml 的 admin: 连接本单位的 Gitea/Forgejo/GitLab）写到此目录，"
                        "供内网使用；不能在网站输出目录之内")
    templates_arg(b)

    c = sub.add_parser("check", help="只检查内容，不生成网站")
    content_arg(c)
    c.add_argument("--today", type=_date_arg, default=None)
    c.add_argument("--strict", action="store_true", help="提醒也视为错误")
    c.add_argument("--json", type=Path, default=None, metavar="FILE", help="把全部检查结果写成 JSON 文件")
    c.add_argument("--report", type=Path, default=None, metavar="DIR", help="把检查报告（HTML，内部使用）写到此目录")
    c.add_argument("--no-links", action="store_true", help="不生成临时网站，不检查链接（更快）")
    templates_arg(c)

    v = sub.add_parser("serve", help="本地预览，修改内容后自动刷新")
    content_arg(v)
    v.add_argument("--out", type=Path, default=Path("output"))
    v.add_argument("--today", type=_date_arg, default=None)
    v.add_argument("--host", default="127.0.0.1",
                   help="监听地址（默认 127.0.0.1，只有本机能访问；设为其他地址时，编辑器 /admin/ 须用启动时显示的带口令的地址打开）")
    v.add_argument("--port", type=int, default=8000)
    templates_arg(v)

    q = sub.add_parser("search", help="在终端中搜索（与网站相同的索引和排序）")
    content_arg(q)
    q.add_argument("query", help="搜索词")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.add_argument("--limit", type=int, default=10, help="最多显示多少条（默认 10）")
    q.add_argument("--today", type=_date_arg, default=None)

    n = sub.add_parser("number", help="为缺少索引号的信息分配下一个索引号（写回文件）")
    content_arg(n)

    w = sub.add_parser("new", help="新建一条信息，自动分配索引号")
    content_arg(w)
    w.add_argument("type", help="信息类型，如 notice、policy")
    w.add_argument("--org", required=True, help="发布机构编号，如 sfj")
    w.add_argument("--title", required=True, help="标题")
    w.add_argument("--slug", help="文件名（小写字母、数字、连字符），默认按类型和日期生成")
    w.add_argument("--date", type=_date_arg, default=None, help="发布日期（默认今天）")

    i = sub.add_parser("init", help="为新的县（区）建一个网站文件夹（内容骨架、CI 配置和说明），可立即生成")
    i.add_argument("dir", type=Path, metavar="DIR", help="新网站的文件夹（不存在或为空）")
    i.add_argument("--name", required=True, help="县（区）名称，如 某某县（网站名称为“某某县人民政府”）")
    i.add_argument("--division-code", required=True, help="6 位行政区划代码")
    i.add_argument("--base-url", required=True, help="网站的正式网址，以 http:// 或 https:// 开头")

    d = sub.add_parser("deploy", help="把生成好的网站发布为新版本（原子切换 current 链接），或回退到上一版本")
    d.add_argument("--from", dest="source", type=Path, default=Path("output"), help="生成好的网站（默认 output/）")
    d.add_argument("--to", dest="target", type=Path, required=True, help="发布目录：其中 releases/ 存放各版本，current 指向正在使用的版本")
    d.add_argument("--keep", type=int, default=5, help="保留最近几个版本（默认 5；当前版本和上一版本总会保留）")
    d.add_argument("--rollback", action="store_true", help="切换回上一版本")
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command line. Called without `argv` (the `gxsite` command) it ends the process itself
    once everything is written and printed; with `argv` (a caller, tests) it returns the exit code
    and leaves the interpreter as it was.

    Ending itself, it leaves what a build made (the library, its pages, link records: millions of
    objects) to the operating system: freeing them one by one and the interpreter's teardown took
    0.7 s of a 4 s one-edit build at 10,000 items. The cycle collector stays off throughout
    (pipeline.build says why): turned back on after the build, its first pass over those objects
    took 0.3 s more, just before the exit."""
    if argv is not None:
        return _main(argv, None)
    held: list = []
    gc.disable()
    code = _main(None, held)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _main(argv: list[str] | None, held: list | None) -> int:
    args = make_parser().parse_args(argv)
    args.held = held   # a build's result goes here to be left to the exit (main), or is freed
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("已中断，输出目录未改动。", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:   # a file that cannot be read or written: the path and why, no traceback
        from gxsite.core.write import reason

        if os.environ.get("GXSITE_DEBUG"):
            traceback.print_exc()
        where = f" {exc.filename}" if exc.filename else ""
        print(f"gxsite: 无法读写{where}：{reason(exc)}", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # a bug in gxsite, not in content: say so briefly
        if os.environ.get("GXSITE_DEBUG"):
            traceback.print_exc()
        print(f"gxsite 内部错误：{type(exc).__name__}: {exc}（设置 GXSITE_DEBUG=1 查看详情，并请报告此问题）",
              file=sys.stderr)
        return EXIT_CONTENT


def _run(args) -> int:
    if args.command == "deploy":   # works on a built site: no content folder needed
        return _deploy(args)
    if args.command == "init":   # makes the content folder, so it cannot require one
        return _init(args)
    content: Path = args.content
    if not content.is_dir():
        where = os.path.abspath(content)
        what = "不是文件夹" if content.exists() else "不存在"
        print(f"gxsite: 找不到内容目录：{where} {what}；请在网站文件夹（content/ 所在的文件夹）中运行，"
              f"或用 --content 目录 指明内容目录", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "build":
        return _build(args)
    if args.command == "check":
        return _check(args)
    if args.command == "search":
        return _search(args)
    if args.command == "serve":
        from gxsite.preview import serve

        return serve.run(args.content, args.out, args.today or shanghai_today(), args.host, args.port, args.templates)
    if args.command == "number":
        from gxsite.content import numbering

        problems, written = numbering.number_all(content)
        for rel, index_no in written:
            print(f"{_as_typed(rel, content)}: 索引号 {index_no}")
        if not written and not problems.errors:
            print("没有缺少索引号的信息。")
        return _report(problems, args.content)
    if args.command == "new":
        return _new(args)
    return EXIT_USAGE


def _print_problems(problems: Problems, show_warnings: bool, content: Path) -> None:
    for p in problems.errors + (problems.warnings if show_warnings else []):
        print(p.shown(_as_typed(p.path, content)), file=sys.stderr)


def _as_typed(rel: str, content: Path) -> str:
    """A content-relative path (as Problem, --json and --report keep it) as the editor would type
    it: relative to the working folder when the content folder is inside it
    (content/items/sfj/2026/x.md), else absolute."""
    if rel.startswith("("):   # "(命令行)": not a file
        return rel
    full = os.path.join(os.path.abspath(content), *rel.split("/"))
    here = os.getcwd()
    try:
        inside = os.path.commonpath([full, here]) == here
    except ValueError:   # another drive (Windows)
        inside = False
    return os.path.relpath(full, here) if inside else full


def _build(args) -> int:
    from gxsite import pipeline  # imported per command: `gxsite search` starts without the renderer
    today = args.today or shanghai_today()
    if args.admin is not None:   # checked before building: a wrong folder or admin: costs no build
        admin = _admin_settings(args)
        if isinstance(admin, int):
            return admin
    result = pipeline.build(args.content, args.out, today, args.templates, force=args.force)
    if args.held is not None:
        args.held.append(result)
    if os.environ.get("GXSITE_STAGES"):   # benches/bench_build.py reads the stage times from here
        print(json.dumps({"stages": {k: round(v, 3) for k, v in result.stages.items()}, "in_place": result.in_place,
                          "rendered": result.rendered, "written": result.written}), file=sys.stderr)
    if result.write_error:   # the disk, not the content: one line, the old site stays
        print(f"gxsite: {result.write_error}；{args.out} 保持不变。", file=sys.stderr)
        return EXIT_CONTENT
    _print_problems(result.problems, show_warnings=False, content=args.content)
    if not result.ok:
        print(f"共 {len(result.problems.errors)} 个错误，未生成网站（{args.out} 保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        done = "内容未变化，沿用" if result.skipped else "已更新" if result.in_place else "已生成"
        how = f"，其中重新生成 {result.rendered} 个页面、写入 {result.written} 个文件" if result.in_place else ""
        print(f"{done} {args.out}：{result.items} 条信息，{result.pages} 个页面（含关怀版），"
              f"共 {result.files} 个文件{how}，用时 {result.seconds:.1f} 秒。")
        if result.links is not None:
            print(f"链接检查通过：{result.links.links} 个链接，外部链接 {result.links.external_count} 个（未访问）。")
        if result.warnings:
            print(f"另有 {result.warnings} 条提醒（不影响发布），运行 gxsite check 查看。")
    if args.admin is not None:
        return _write_admin(args, admin)
    return EXIT_OK


def _admin_settings(args):
    """site.yaml's admin: for `build --admin DIR`, or the exit code of why not."""
    from gxsite.admin import page

    out, admin = os.path.abspath(args.out), os.path.abspath(args.admin)
    content = os.path.abspath(args.content)
    for folder, what in ((out, "网站输出目录"), (content, "内容目录")):
        if os.path.commonpath([admin, folder]) in (admin, folder):   # never published with the site, nor inside content
            print(f"gxsite: 用法错误：编辑器目录 {args.admin} 不能在{what} {folder} 之内，也不能包含它", file=sys.stderr)
            return EXIT_USAGE
    problems = Problems()
    settings = page.production_settings(args.content, problems)
    if settings is None:
        _print_problems(problems, show_warnings=False, content=args.content)
        print("未生成编辑器，也未生成网站。", file=sys.stderr)
        return EXIT_CONTENT
    return settings


def _write_admin(args, settings: dict) -> int:
    from gxsite.admin import page

    try:
        made = page.write_folder(args.admin, page.production_config(args.content, settings))
    except page.Refused as exc:
        print(f"gxsite: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    backend = settings["backend"]
    flow = "，草稿 → 审核 → 发布" if settings["publish_mode"] else "，保存即提交"
    if not args.quiet:
        print(f"已生成编辑器 {args.admin}：{len(made)} 个文件，{sum(map(len, made.values())) / 1e6:.1f} MB，"
              f"连接 {backend['name']} {backend.get('base_url', '')} {backend['repo']}（分支 {backend['branch']}{flow}）。")
    return EXIT_OK


def _deploy(args) -> int:
    from gxsite.publish import deploy

    if args.keep < 1:
        print("gxsite: 用法错误：--keep 至少为 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.rollback:
            done = deploy.rollback(args.target)
        else:
            done = deploy.deploy(args.source, args.target, args.keep)
    except deploy.Refused as exc:
        print(f"gxsite: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    print(done.summary())
    return EXIT_OK


def _check(args) -> int:
    from gxsite.checks import compliance
    from gxsite import pipeline
    from gxsite.checks import report

    today = args.today or shanghai_today()
    if args.no_links:
        problems, links = Problems(), None
        lib = pipeline.read_content(args.content, today, problems)
    else:  # the whole build into a temporary folder, so that the output's links are checked too
        result = pipeline.check(args.content, today, args.templates)
        problems, lib, links = result.problems, result.lib, result.links
    _print_problems(problems, show_warnings=True, content=args.content)
    view = lib.overview if lib is not None else None
    errors, warnings = len(problems.errors), len(problems.warnings)
    out = sys.stderr if errors else sys.stdout
    if view is not None:
        print("考核指标：" + "；".join([view.home_tally()] + [f"{what} {n} 个（{veto} 个即否决）" for what, n, veto in view.tallies()])
              + "。", file=out)
        soon = view.upcoming(7)
        if soon:
            print(f"7 天内到期 {len(soon)} 项：" + "；".join(f"{d.due.isoformat()} {d.message}" for d in soon[:5])
                  + ("……" if len(soon) > 5 else "") + "。", file=out)
    if lib is not None:
        later = compliance.scheduled(lib, today)
        if later:   # dated after --today: left out of the site until then, as the build does
            print(f"定时发布 {len(later)} 条：" + "；".join(f"{i.date.isoformat()} {_as_typed(i.path, args.content)} 《{i.title}》" for i in later[:10])
                  + ("……" if len(later) > 10 else "") + "（到发布日期才出现在网站上）。", file=out)
    if links is not None:
        print(f"链接检查：{links.pages} 个页面、{links.links} 个链接，外部链接 {links.external_count} 个（只列出，不访问）。", file=out)
    try:
        if args.json is not None:
            report.write_json(args.json, report.as_json(problems, lib, view, links, today, args.content))
            print(f"已写入 {args.json}", file=out)
        if args.report is not None:
            path = report.write_dashboard(args.report, report.dashboard(problems, lib, view, links, today, args.content))
            print(f"检查报告：{path}", file=out)
    except OSError as exc:
        print(f"gxsite: 无法写入检查结果（{exc.filename or exc}）：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"检查完成：{errors} 个错误，{warnings} 条提醒。", file=out)
    if errors or (args.strict and warnings):
        return EXIT_CONTENT
    return EXIT_OK


def _search(args) -> int:
    from gxsite.search import search_cli  # whoosh is imported only when searching

    return search_cli.run(args.content, args.query, args.today or shanghai_today(), args.limit, args.json)


def _report(problems: Problems, content: Path) -> int:
    _print_problems(problems, show_warnings=True, content=content)
    return EXIT_CONTENT if problems.errors else EXIT_OK


def _new(args) -> int:
    from gxsite.checks import compliance
    from gxsite.content import numbering
    problems, created = numbering.new_item(args.content, args.type, args.org, args.title,
                                           args.date or shanghai_today(), args.slug)
    if created is not None:
        marks = compliance.title_marks_problem(args.title.strip())   # the reminder the check would give
        if marks:
            problems.warn(created.rel, 2, marks, rule="title-marks")
        print(f"已新建 {created.path}，索引号 {created.index_no}。")
        print("发布前请填写：" + "；".join(f"第 {p.line} 行 {p.label}" for p in created.placeholders) + "。")
    return _report(problems, args.content)


def _init(args) -> int:
    from gxsite.scaffold import init

    try:
        site = init.new_site(args.name, args.division_code, args.base_url)
        init.create(args.dir, site)
    except init.InitError as exc:
        print(f"gxsite: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"已在 {args.dir} 建立“{site.title}”网站。下一步：cd {args.dir} && gxsite build；"
          f"发布前请先按 {args.dir / 'README.md'} 填写联系方式和统一社会信用代码。")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
