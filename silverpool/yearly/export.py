"""Excel exports (openpyxl): the pool's summary table in the registration form's column order,
a group's roster, and a year's activity summary.

Every cell is written as text, a real number or a real date, never as a formula: text that
starts like a formula (= + - @) is stored as a string with Excel's quote prefix, so that no
value taken from a submission is ever evaluated."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import figures
from ..loader import Pool
from ..models import Talent

FORMULA_START = ("=", "+", "-", "@")

# The registration form (基本信息表) in its column order; the pool's own columns follow.
FORM_COLUMNS = [
    "序号", "姓名", "性别", "出生年月", "民族", "政治面貌", "文化程度", "身份证号", "离退休类别", "离退休时间",
    "原工作单位", "原职务", "职级", "专业技术职称", "专业特长", "兴趣爱好", "健康状况", "居住区县", "家庭住址",
    "联系电话", "选报小组", "可服务时间", "可提供的服务", "本人确认", "备注",
]
POOL_COLUMNS = ["人员编号", "状态", "入库日期", "现所在小组"]


class ExportError(Exception):
    pass


def put(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one value as data: str stays text (never a formula), numbers and dates stay real."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.value = value
        cell.data_type = "s"  # the setter took "=..." for a formula; this is text
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    elif isinstance(value, (int, float)):
        cell.value = value
    elif isinstance(value, (dt.date, dt.datetime)):
        cell.value = value
        cell.number_format = number_format or "yyyy-mm-dd"
    else:
        raise TypeError(f"cannot export {type(value).__name__}")
    if number_format and not isinstance(value, (dt.date, dt.datetime)):
        cell.number_format = number_format
    return cell


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK characters are double width


def write_sheet(ws: Worksheet, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                formats: dict[str, str] | None = None) -> None:
    """Title in row 1, header in row 2 (frozen with the title), data from row 3; column widths
    fit the content within bounds."""
    formats = formats or {}
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    if len(headers) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.row_dimensions[1].height = 24
    fill = PatternFill("solid", fgColor="DDEBF7")
    for c, h in enumerate(headers, 1):
        cell = put(ws, 2, c, h)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_width(h) for h in headers]
    for r, row in enumerate(rows, 3):
        for c, value in enumerate(row, 1):
            put(ws, r, c, value, formats.get(headers[c - 1]))
            widths[c - 1] = max(widths[c - 1], _width(value))
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, 6), 50)
    ws.freeze_panes = "A3"
    if rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{len(rows) + 2}"


def _month(text: str | None) -> dt.date | None:
    """A YYYY-MM field as a real date (shown as a month)."""
    return dt.date(int(text[:4]), int(text[5:7]), 1) if text else None


def _groups(pool: Pool, ids: Sequence[str]) -> str:
    return "、".join(pool.group_name(g) for g in ids)


# --- the pool's summary table ----------------------------------------------------------------


def pool_rows(pool: Pool, include_all: bool = False) -> list[list[Any]]:
    people = [t for t in pool.talents.values() if include_all or t.status == "已入库"]
    people.sort(key=lambda t: (t.registered or dt.date.max, t.source.unit if t.source else "", t.source.row or 0 if t.source else 0, t.id))
    rows = []
    for n, t in enumerate(people, 1):
        consent = ("已签字" + (f"（{t.consent.date}）" if t.consent.date else "")) if t.consent.signed else "未签字"
        rows.append([
            n, t.name, t.gender, _month(t.birth), t.ethnicity, t.political, t.education,
            None,  # 身份证号 is never kept in the pool
            t.retirement_kind, _month(t.retired), t.employer, t.post, t.rank, t.title,
            "、".join(t.specialties), "、".join(t.hobbies), t.fitness, t.district, t.address, t.phone,
            _groups(pool, t.groups_chosen), t.availability, t.services, consent, t.remarks,
            t.id, t.status, t.registered, _groups(pool, [m.group for m in t.groups if m.until is None]),
        ])
    return rows


def export_pool(pool: Pool, out: Path, include_all: bool = False) -> int:
    check_out(pool, out)
    rows = pool_rows(pool, include_all)
    name = pool.config.name if pool.config else "银色人才库"
    wb = Workbook()
    ws = wb.active
    ws.title = "基本信息表"
    scope = "全部人员" if include_all else "已入库人员"
    write_sheet(ws, f"{name}基本信息表（{scope} {len(rows)} 人；身份证号不入库，该列留空）", FORM_COLUMNS + POOL_COLUMNS, rows,
                {"出生年月": "yyyy-mm", "离退休时间": "yyyy-mm"})
    _save(wb, out)
    return len(rows)


# --- a group's roster -------------------------------------------------------------------------


def roster_rows(pool: Pool, group: str, day: dt.date | None = None) -> list[list[Any]]:
    g = pool.groups[group]
    roles = {ld.talent: ld.role for ld in g.current_leaders(day)}
    team_of = {tid: team.name for team in g.teams for tid in team.members}
    team_leads = {team.leader for team in g.teams if team.leader}
    total = figures.hours_by_talent(pool)
    members = []
    for t in pool.talents.values():
        spans = [m for m in t.groups if m.group == group and (m.until is None if day is None else m.active_on(day))]
        if spans:
            members.append((t, spans[-1].since))
    order = {"组长": 0, "副组长": 1}
    members.sort(key=lambda x: (order.get(roles.get(x[0].id, ""), 2), x[1], x[0].id))
    rows = []
    for n, (t, since) in enumerate(members, 1):
        role = roles.get(t.id) or ("小分队队长" if t.id in team_leads else "成员")
        hours = total.get(t.id, 0.0)
        rows.append([n, t.id, t.name, t.gender, _month(t.birth), role, team_of.get(t.id), "、".join(t.specialties),
                     t.district, t.phone, since, hours, figures.stars(pool, hours)])
    return rows


ROSTER_COLUMNS = ["序号", "人员编号", "姓名", "性别", "出生年月", "组内职务", "银色小分队", "专业特长", "居住区县", "联系电话",
                  "入组日期", "累计服务时长（小时）", "星级"]


def export_roster(pool: Pool, group: str, out: Path, day: dt.date | None = None) -> int:
    if group not in pool.groups:
        raise ExportError(f"未知小组 \"{group}\"（可选：{'、'.join(f'{g.id} {g.name}' for g in pool.groups.values())}）")
    check_out(pool, out)
    rows = roster_rows(pool, group, day)
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    when = f"{day} 时" if day else "现任"
    write_sheet(ws, f"{pool.group_name(group)}花名册（{when}成员 {len(rows)} 人）", ROSTER_COLUMNS, rows,
                {"出生年月": "yyyy-mm", "累计服务时长（小时）": "0.0"})
    _save(wb, out)
    return len(rows)


# --- a year's activity summary ----------------------------------------------------------------

ACTIVITY_COLUMNS = ["序号", "活动编号", "日期", "结束日期", "小组", "小分队", "活动名称", "活动形式", "服务项目", "服务领域", "地点",
                    "区县", "服务对象", "服务人数", "参与人数", "服务时长合计（小时）", "计划项", "核实人"]
GROUP_COLUMNS = ["序号", "小组", "计划项数", "开展活动数", "其中计划内", "服务人次", "服务时长（小时）", "参与成员数", "计划备案日期",
                 "年终总结"]
HOURS_COLUMNS = ["序号", "人员编号", "姓名", "所在小组", "当年服务时长（小时）", "累计服务时长（小时）", "星级", "当年优秀"]


def activity_rows(pool: Pool, year: int) -> list[list[Any]]:
    acts = sorted((a for a in pool.activities.values() if a.date.year == year), key=lambda a: (a.date, a.id))
    return [[n, a.id, a.date, a.end_date, _groups(pool, a.groups), a.team, a.title, a.kind, a.service, a.domain, a.place,
             a.district, a.beneficiary, a.served, len(a.participants), sum(p.hours for p in a.participants),
             f"第{a.plan_item}项" if a.plan_item is not None else "计划外", a.verified_by]
            for n, a in enumerate(acts, 1)]


def group_rows(pool: Pool, year: int) -> list[list[Any]]:
    rows = []
    for n, g in enumerate(pool.groups.values(), 1):
        fig = figures.group_year(pool, g.id, year)
        plan = pool.plans.get((g.id, year))
        summary = "已提交" if (g.id, year) in pool.summaries else "未提交"
        rows.append([n, g.name, fig.planned, fig.held, fig.held_planned, fig.served, fig.hours, len(fig.active_members),
                     plan.filed if plan and plan.filed else ("未备案" if plan else "无计划"), summary])
    return rows


def hours_rows(pool: Pool, year: int) -> list[list[Any]]:
    year_hours = figures.hours_by_talent(pool, year)
    total = figures.hours_by_talent(pool)
    best = {tid for tid, _ in figures.outstanding(pool, year)}
    people = sorted(year_hours, key=lambda tid: (-year_hours[tid], tid))
    rows = []
    for n, tid in enumerate(people, 1):
        t = pool.talents.get(tid)
        groups = _groups(pool, sorted({m.group for m in t.groups if m.since.year <= year and (m.until is None or m.until.year >= year)})) if t else ""
        rows.append([n, tid, t.name if t else "", groups, year_hours[tid], total[tid], figures.stars(pool, total[tid]),
                     "是" if tid in best else ""])
    return rows


def export_year(pool: Pool, year: int, out: Path) -> int:
    check_out(pool, out)
    rows = activity_rows(pool, year)
    if not rows and not any(y == year for (_, y) in pool.plans):
        raise ExportError(f"{year} 年没有任何活动记录或计划（data/activities/{year}/、data/plans/{year}/）")
    wb = Workbook()
    ws = wb.active
    ws.title = "活动汇总"
    write_sheet(ws, f"{year}年活动汇总（{len(rows)} 项）", ACTIVITY_COLUMNS, rows, {"服务时长合计（小时）": "0.0"})
    write_sheet(wb.create_sheet("小组汇总"), f"{year}年各小组活动情况", GROUP_COLUMNS, group_rows(pool, year),
                {"服务时长（小时）": "0.0"})
    write_sheet(wb.create_sheet("服务时长"), f"{year}年志愿服务时长（{figures.outstanding_rule(pool)}）", HOURS_COLUMNS,
                hours_rows(pool, year), {"当年服务时长（小时）": "0.0", "累计服务时长（小时）": "0.0"})
    _save(wb, out)
    return len(rows)


def check_out(pool: Pool, out: Path) -> None:
    """Refuse an output that is not a new or existing regular .xlsx file outside data/: the
    export replaces the file, so a device, folder or pipe there must stay untouched, and
    personal data must never land in the pool's git repository data."""
    if out.suffix.lower() != ".xlsx":
        raise ExportError(f"输出文件 {out} 应以 .xlsx 结尾；请换一个文件名（--out）")
    if "\0" in str(out):
        raise ExportError(f"输出文件名 {str(out)!r} 含空字符；请换一个文件名（--out）")
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise ExportError(f"无法写入 {out}：{e.strerror}；请换一个输出位置（--out）") from None
    else:
        if not stat.S_ISREG(st.st_mode):
            raise ExportError(f"{out} 已存在且不是普通文件（目录、设备、管道或链接），不会覆盖；请换一个输出位置（--out）")
    data = pool.data_dir.resolve()
    target = out.resolve()
    if target == data or data in target.parents:
        raise ExportError(f"输出文件 {out} 在人才库的 data/ 目录内：导出文件含个人信息，不能放进数据目录；请换一个输出位置（--out）")


def _save(wb: Workbook, out: Path) -> None:
    tmp = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # a fresh temp file beside the target (never a name someone could have put a link at);
        # mkstemp makes it readable by the owner only, right for a file of personal data
        fd, name = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=out.parent)
        os.close(fd)
        tmp = Path(name)
        wb.save(tmp)
        tmp.replace(out)
    except OSError as e:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise ExportError(f"无法写入 {out}：{e.strerror}；请换一个输出位置（--out）") from None

