"""Subcommands of the year's work: plan, activity, summary, hours, outstanding, export, match."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from pydantic import ValidationError

from .. import figures, yamlio
from ..cli import EXTENSIONS, UserError, _date, command
from ..loader import Pool, load_pool
from ..models import TALENT_ALPHABET, Activity, Participant
from ..problems import describe_validation_error

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a plan or summary may have (models.Plan)


def _pool(args: argparse.Namespace) -> Pool:
    pool = load_pool(args.root)
    if pool.config is None and pool.problems:
        raise UserError(pool.problems[0].text())
    return pool


def _group(pool: Pool, gid: str) -> str:
    """A group by its ID (any case) or its Chinese name."""
    gid = gid.strip()
    if gid.lower() in pool.groups:
        return gid.lower()
    by_name = {g.name: g.id for g in pool.groups.values()}
    if gid in by_name:
        return by_name[gid]
    raise UserError(f"未知小组 \"{gid}\"（可选：{'、'.join(f'{g.id} {g.name}' for g in pool.groups.values())}）")


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal where CJK characters take two columns."""
    used = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return text + " " * max(0, width - used)


def _talent_id(text: str) -> str:
    """A person's ID as typed: any case, surrounding spaces ignored."""
    return text.strip().upper()


def _latest_year(pool: Pool) -> int:
    ys = figures.years(pool)
    if not ys:
        raise UserError("数据中还没有任何计划或活动记录；请用 --year 指定年度")
    return ys[-1]


def _year_with_data(pool: Pool, year: int | None) -> int:
    """The year asked for (0 is a year, not "not given"), which must have records; default the latest."""
    if year is None:
        return _latest_year(pool)
    if year not in figures.years(pool):
        ys = figures.years(pool)
        have = f"（有记录的年度：{'、'.join(map(str, ys))}）" if ys else "（数据中还没有任何年度记录）"
        raise UserError(f"{year} 年没有任何计划、活动或总结记录{have}")
    return year


def _plan_year(year: int, what: str = "年度") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"{what} {year} 不在 {FIRST_YEAR}–{LAST_YEAR} 之间，请写四位年份，如 2017")
    return year


def _top(n: int | None) -> int | None:
    if n is not None and n < 1:
        raise UserError(f"--top 应为不小于 1 的整数（收到 {n}）")
    return n


# --- plans ------------------------------------------------------------------------------------


@command("plan")
def cmd_plan(args: argparse.Namespace) -> int:
    from .plans import PlanError, file_plan, start_plans

    pool = _pool(args)
    _plan_year(args.year)
    try:
        if args.plan_action == "new":
            if args.from_year is not None:
                _plan_year(args.from_year, "模板年度 --from")
            if not pool.groups:
                raise UserError("数据中还没有任何小组（data/groups/ 为空），无法建立计划；请先建立小组")
            groups = [_group(pool, g) for g in args.group] if args.group else None
            files = start_plans(pool, args.year, groups, args.from_year, args.submitted)
            yamlio.write_all(files)
            for path in sorted(files):
                print("已建立：" + pool.rel(path))
            if not files:
                print(f"{args.year} 年各组（当年已成立的小组）计划均已存在，未建立新文件。")
            else:
                print(f"共 {len(files)} 份。请逐份修改计划项（items），报送后运行 silverpool plan file 小组 {args.year} --date 备案日期。")
        else:
            path, text = file_plan(pool, _group(pool, args.group), args.year, args.date, args.by)
            yamlio.write_all({path: text})
            print(f"{pool.group_name(_group(pool, args.group))} {args.year} 年计划已于 {args.date} 备案（{pool.rel(path)}）。")
    except PlanError as e:
        raise UserError(str(e)) from None
    return 0


# --- activities -------------------------------------------------------------------------------


def _participant(text: str) -> Participant:
    tid, colon, hours = text.replace("：", ":").partition(":")
    tid = _talent_id(tid)
    try:
        h = float(hours)
    except ValueError:
        h = None
    if not colon or h is None:
        raise argparse.ArgumentTypeError(f"参与人员应写作 编号:小时，如 T4K7Q2M:3（收到 {text!r}）")
    if not re.fullmatch(f"T[{TALENT_ALPHABET}]{{6}}", tid):
        raise argparse.ArgumentTypeError(f"人员编号 {tid!r} 格式不对，应形如 T4K7Q2M（收到 {text!r}）")
    if not 0 < h <= 24:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{tid} 的服务时长应大于 0 小时、不超过 24 小时（收到 {hours.strip()!r}）")
    return Participant(talent=tid, hours=h)


@command("activity")
def cmd_activity(args: argparse.Namespace) -> int:
    pool = _pool(args)
    if args.activity_action == "list":
        year = _latest_year(pool) if args.year is None else args.year
        group = _group(pool, args.group) if args.group else None
        acts = sorted((a for a in pool.activities.values() if a.date.year == year and (group is None or group in a.groups)),
                      key=lambda a: (a.date, a.id))
        for a in acts:
            plan = f"计划第{a.plan_item}项" if a.plan_item else "计划外"
            hours = sum(p.hours for p in a.participants)
            print(f"{a.id}  {a.date}  {'、'.join(pool.group_name(g) for g in a.groups)}  {a.title}  "
                  f"服务 {a.served} 人  参与 {len(a.participants)} 人 {hours:g} 小时  {plan}")
        print(f"{year} 年共 {len(acts)} 项活动。")
        return 0
    return _activity_new(pool, args)


def _activity_new(pool: Pool, args: argparse.Namespace) -> int:
    from ..checks import run_checks

    year = args.date.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"--date {args.date} 的年份不在 {FIRST_YEAR}–{LAST_YEAR} 之间")
    if args.end_date is not None and args.end_date < args.date:
        raise UserError(f"--end-date {args.end_date} 早于 --date {args.date}：结束日期应不早于开始日期")
    groups = list(dict.fromkeys(_group(pool, g) for g in args.group))
    if args.team is not None:
        teams = {t.name: gid for gid in groups for t in pool.groups[gid].teams}
        if args.team not in teams:
            names = "、".join(teams) if teams else "无"
            raise UserError(f"--team \"{args.team}\" 不是{'、'.join(pool.group_name(g) for g in groups)}的银色小分队"
                            f"（可选：{names}；不属于小分队的活动不写 --team）")
    aid = _next_activity_id(pool, year)
    try:
        a = Activity(id=aid, title=args.title, date=args.date, end_date=args.end_date, groups=groups,
                     team=args.team, kind=args.kind, service=args.service, domain=args.domain, place=args.place,
                     district=args.district, beneficiary=args.beneficiary, served=args.served, participants=args.person,
                     verified_by=args.verified_by, plan_item=args.plan_item, description=args.description)
    except ValidationError as e:
        raise UserError("活动记录有误，未写入：" + "；".join(
            f"{_option(loc)}{msg}" for loc, msg in describe_validation_error(e))) from None
    path = pool.data_dir / "activities" / str(year) / f"{aid}.yaml"
    if path.exists() or path.is_symlink():  # _next_activity_id saw it free; never overwrite
        raise UserError(f"{pool.rel(path)} 已存在，未写入；请重试")
    # check the new record with every rule before writing it
    pool.activities[aid] = a
    pool.path_of[id(a)] = path
    before = set(pool.problems)
    run_checks(pool)
    mine = [p for p in pool.problems if p not in before and p.file == pool.rel(path)]
    if mine:
        for p in mine:
            print(p.text())
        raise UserError(f"新活动记录有 {len(mine)} 个问题，未写入；请修正参数后重试")
    yamlio.write_all({path: yamlio.dump(a.to_data())})
    print(f"已记录活动 {aid}：{pool.rel(path)}")
    return 0


def _next_activity_id(pool: Pool, year: int) -> str:
    """The next number of the year, from the file names on disk as well as the loaded records:
    a file that failed to load still holds its number and must not be overwritten."""
    taken = {int(a.id.split("-")[1]) for a in pool.activities.values() if a.date.year == year}
    folder = pool.data_dir / "activities" / str(year)
    if folder.is_dir():
        for p in folder.iterdir():
            if m := re.fullmatch(rf"A{year}-(\d{{3,4}})(\.[^/]*)?", p.name):
                taken.add(int(m.group(1)))
    n = max(taken, default=0) + 1
    if n > 9999:
        raise UserError(f"{year} 年的活动编号已用到 A{year}-9999，无法再自动编号")
    return f"A{year}-{n:03d}"


_OPTIONS = {"participants": "--person", "plan_item": "--plan-item", "end_date": "--end-date", "verified_by": "--verified-by"}


def _option(loc: str) -> str:
    """The command-line option behind a model field path, for an error message."""
    if not loc:
        return ""
    field = loc.split(".")[0].split("[")[0]
    return f"{_OPTIONS.get(field, '--' + field)}（{loc}）：" if field != loc else f"{_OPTIONS.get(field, '--' + field)}："


# --- summaries, hours, outstanding ------------------------------------------------------------


@command("summary")
def cmd_summary(args: argparse.Namespace) -> int:
    pool = _pool(args)
    year = _year_with_data(pool, args.year)
    groups = [_group(pool, args.group)] if args.group else list(pool.groups)
    print(f"{year} 年各小组工作情况（数字由活动记录计算）：")
    print("小组      计划项  开展活动  其中计划内  服务人次  服务时长  参与成员  计划备案      年终总结")
    for gid in groups:
        fig = figures.group_year(pool, gid, year)
        plan = pool.plans.get((gid, year))
        filed = str(plan.filed) if plan and plan.filed else ("未备案" if plan else "无计划")
        summary = pool.summaries.get((gid, year))
        written = f"{summary.written} 已提交" if summary else "未提交"
        print(f"{_pad(pool.group_name(gid), 8)}{fig.planned:>6}{fig.held:>10}{fig.held_planned:>12}{fig.served:>10}"
              f"{fig.hours:>10g}{len(fig.active_members):>10}  {filed:<12}  {written}")
        if args.group and summary:
            print("\n总结全文：\n" + summary.text)
    return 0


@command("hours")
def cmd_hours(args: argparse.Namespace) -> int:
    pool = _pool(args)
    _top(args.top)
    table = figures.hours_table(pool)
    ys = figures.years(pool)
    if args.year is not None:
        _year_with_data(pool, args.year)
    if args.talent:
        tid = _talent_id(args.talent)
        if tid not in pool.talents:
            raise UserError(f"找不到人员 {tid}（data/talents/{tid}.yaml 不存在）")
        people = [tid]
    else:
        people = sorted(table, key=lambda t: (-sum(table[t].values()), t))
        if args.year is not None:
            people = sorted((t for t in table if args.year in table[t]), key=lambda t: (-table[t][args.year], t))
    th = figures.star_thresholds(pool)
    print("星级标准：" + "，".join(f"{'★' * (i + 1)} {h} 小时" for i, h in enumerate(th)))
    print("人员编号  姓名      " + "".join(f"{y:>8}" for y in ys) + "      累计  星级   距下一星级")
    shown = people[: args.top] if args.top is not None else people
    for tid in shown:
        t = pool.talents.get(tid)
        per = table.get(tid, {})
        total = sum(per.values())
        level, need = figures.next_star(pool, total)
        nxt = f"还差 {need:g} 小时" if need is not None else "已达最高"
        print(f"{tid}  {_pad(t.name if t else '', 8)}" + "".join(f"{per.get(y, 0):>8g}" for y in ys)
              + f"{total:>10g}  {'★' * level or '-':<5}  {nxt}")
    counts = [sum(1 for t in table if figures.stars(pool, sum(table[t].values())) == k) for k in range(1, len(th) + 1)]
    print(f"有服务时长的 {len(table)} 人中：" + "，".join(f"{k + 1} 星 {c} 人" for k, c in enumerate(counts)) + "。")
    return 0


@command("outstanding")
def cmd_outstanding(args: argparse.Namespace) -> int:
    pool = _pool(args)
    year = _year_with_data(pool, args.year)
    rows = figures.outstanding(pool, year)
    put_forward = {t for (g, y), s in pool.summaries.items() if y == year for t in s.outstanding}
    print(f"{year} 年优秀志愿者（先进典型）名单")
    print(figures.outstanding_rule(pool))
    total = figures.hours_by_talent(pool)
    for n, (tid, hours) in enumerate(rows, 1):
        t = pool.talents.get(tid)
        groups = "、".join(pool.group_name(m.group) for m in t.groups if m.since.year <= year and (m.until is None or m.until.year >= year)) if t else ""
        mark = "（小组推荐）" if tid in put_forward else ""
        print(f"{n:>2}. {tid}  {_pad(t.name if t else '', 8)} {_pad(groups, 22)} 当年 {hours:g} 小时，累计 {total.get(tid, 0):g} 小时 "
              f"{'★' * figures.stars(pool, total.get(tid, 0))}{mark}")
    if not rows:
        print("（当年无人达到条件）")
    return 0


# --- export -----------------------------------------------------------------------------------


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportError, export_pool, export_roster, export_year

    pool = _pool(args)
    out_dir = pool.root / "build" / "exports"
    try:
        if args.what == "pool":
            out = args.out or out_dir / "银色人才库基本信息表.xlsx"
            n = export_pool(pool, out, args.all)
            print(f"已导出基本信息表：{out}（{n} 人，列序同登记表；身份证号不入库，该列留空）")
        elif args.what == "roster":
            gid = _group(pool, args.group)
            out = args.out or out_dir / f"花名册-{gid}.xlsx"  # the ID, never the free-text name, makes the path
            n = export_roster(pool, gid, out, args.as_of)
            print(f"已导出{pool.group_name(gid)}花名册：{out}（{n} 人）")
        else:
            out = args.out or out_dir / f"{args.year}年活动汇总.xlsx"
            n = export_year(pool, args.year, out)
            print(f"已导出 {args.year} 年活动汇总：{out}（{n} 项活动，另有小组汇总、服务时长两页）")
    except ExportError as e:
        raise UserError(str(e)) from None
    print("提示：文件含个人信息，请勿提交到 git 或外传。")
    return 0


# --- match ------------------------------------------------------------------------------------


@command("match")
def cmd_match(args: argparse.Namespace) -> int:
    from .match import Need, match

    pool = _pool(args)
    _top(args.top)
    args.words = [w.strip() for w in args.words if w.strip()]
    if args.domain and pool.vocab and args.domain not in pool.vocab.domains:
        raise UserError(f"未知服务领域 \"{args.domain}\"（可选：{'、'.join(pool.vocab.domains)}）")
    if not args.domain and not args.words:
        raise UserError("请至少给出服务领域（--domain）或专业特长关键词（--words）")
    district = None
    if args.district:
        d = pool.district(args.district)
        if d is None:
            raise UserError(f"未知区县 \"{args.district}\"（可选：{'、'.join(pool.districts)}）")
        district = d.name
    day = dt.date.today() if args.date is None else args.date
    fits, busy = match(pool, Need(args.domain, args.words, district, day))
    asked = "，".join(x for x in [f"领域 {args.domain}" if args.domain else "", f"特长 {'、'.join(args.words)}" if args.words else "",
                                  f"区县 {district}" if district else "", f"日期 {day}"] if x)
    print(f"需求：{asked}")
    print(f"排序：先同区县，再按此前一年服务时长从少到多（较空闲者在前）。符合条件 {len(fits)} 人"
          + (f"，另有 {busy} 人当天已有活动未列出" if busy else "") + "。")
    for n, f in enumerate(fits[: args.top], 1):
        t = f.talent
        groups = "、".join(pool.group_name(g) for g in f.groups) or "未入组"
        print(f"{n:>2}. {t.name}（{t.id}）{groups}  健康状况{t.fitness}  电话 {t.phone or '无'}")
        print("    理由：" + "；".join(f.reasons))
    if not fits:
        print("没有符合条件的人员：可放宽关键词、去掉区县，或改期。")
    return 0


def _parsers(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("plan", help="年度活动计划：按模板建立、登记备案")
    ps = c.add_subparsers(dest="plan_action", required=True, metavar="操作")
    n = ps.add_parser("new", help="按模板建立某年度各组计划（已有的不动）")
    n.add_argument("year", type=int)
    n.add_argument("--group", action="append", help="只为此小组建立（可多次给出）")
    n.add_argument("--from", dest="from_year", type=int, default=None, help="以此年度计划为模板（默认为上一份计划）")
    n.add_argument("--submitted", type=_date, default=None, help="报送日期")
    f = ps.add_parser("file", help="登记计划已备案")
    f.add_argument("group")
    f.add_argument("year", type=int)
    f.add_argument("--date", type=_date, required=True, help="备案日期")
    f.add_argument("--by", default=None, help="备案部门（默认 市委老干部局活动教育处）")

    c = sub.add_parser("activity", help="活动记录：列出、新增")
    acts = c.add_subparsers(dest="activity_action", required=True, metavar="操作")
    ls = acts.add_parser("list", help="列出某年度活动")
    ls.add_argument("--year", type=int, default=None)
    ls.add_argument("--group", default=None)
    a = acts.add_parser("new", help="新增一条活动记录（自动编号，写入前先按全部规则检查）")
    a.add_argument("--title", required=True)
    a.add_argument("--date", type=_date, required=True)
    a.add_argument("--end-date", type=_date, default=None)
    a.add_argument("--group", action="append", required=True, help="小组（第一个为主办小组，可多次给出）")
    a.add_argument("--team", default=None)
    a.add_argument("--kind", required=True, help="送技艺/送服务/送文化")
    a.add_argument("--service", required=True, help="讲座、义诊、法律咨询……")
    a.add_argument("--domain", required=True, help="文化、医疗、教育、科技、法律……")
    a.add_argument("--place", required=True)
    a.add_argument("--district", required=True)
    a.add_argument("--beneficiary", required=True, help="社区、农村、学校、企业……")
    a.add_argument("--served", type=int, required=True, help="服务人数")
    a.add_argument("--person", type=_participant, action="append", default=[], help="参与人员 编号:小时，可多次给出")
    a.add_argument("--verified-by", default=None)
    a.add_argument("--plan-item", type=int, default=None, help="完成的是主办小组当年计划的第几项（计划外不填）")
    a.add_argument("--description", default=None)

    c = sub.add_parser("summary", help="年终总结的计算数字：计划与开展、服务人次、时长、参与成员")
    c.add_argument("--year", type=int, default=None)
    c.add_argument("--group", default=None)

    c = sub.add_parser("hours", help="志愿服务时长与星级")
    c.add_argument("--year", type=int, default=None, help="只列当年有时长的人，按当年时长排序")
    c.add_argument("--talent", default=None, help="只看此人")
    c.add_argument("--top", type=int, default=None, help="只列出时长最多的前 N 人")

    c = sub.add_parser("outstanding", help="年度优秀志愿者名单（附评选规则）")
    c.add_argument("--year", type=int, default=None)

    c = sub.add_parser("export", help="导出 Excel：基本信息表、小组花名册、年度活动汇总")
    es = c.add_subparsers(dest="what", required=True, metavar="内容")
    e = es.add_parser("pool", help="人才库基本信息表（登记表列序，用于向上报送）")
    e.add_argument("--all", action="store_true", help="含待复核和已退出人员")
    e.add_argument("--out", type=Path, default=None)
    e = es.add_parser("roster", help="小组花名册")
    e.add_argument("group")
    e.add_argument("--as-of", type=_date, default=None, help="该日的成员（默认现任成员）")
    e.add_argument("--out", type=Path, default=None)
    e = es.add_parser("year", help="年度活动汇总")
    e.add_argument("year", type=int)
    e.add_argument("--out", type=Path, default=None)

    c = sub.add_parser("match", help="按需求（领域、特长、区县、日期）找合适的人员")
    c.add_argument("--domain", default=None, help="服务领域，如 医疗")
    c.add_argument("--words", nargs="*", default=[], help="专业特长关键词，如 儿科 中医")
    c.add_argument("--district", default=None, help="服务地点所在区县")
    c.add_argument("--date", type=_date, default=None, help="服务日期（默认今天）")
    c.add_argument("--top", type=int, default=10, help="最多列出 N 人（默认 10）")


EXTENSIONS.append(_parsers)
