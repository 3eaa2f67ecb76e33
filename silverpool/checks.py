"""The rules across files, run by `silverpool check` (and by CI on every pull request).

Each rule appends Problems to the pool. Nothing here reads today's date: time-dependent rules
take `as_of`, which is None unless the user gives --as-of.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from . import yamlio
from .idcard import id_number_line
from .loader import Pool
from .models import Talent
from .textnorm import name_key

Rule = Callable[[Pool, "dt.date | None"], None]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def run_checks(pool: Pool, as_of: dt.date | None = None) -> None:
    for r in RULES:
        r(pool, as_of)


def _choices(values: Iterable[str], limit: int = 12) -> str:
    values = list(values)
    more = "、…" if len(values) > limit else ""
    return "、".join(values[:limit]) + more


def _in_vocab(pool: Pool, path: Path, loc: str, value: str | None, allowed: list[str], what: str) -> None:
    if value is not None and value not in allowed:
        pool.problem(path, loc, f"未知{what} \"{value}\"（可选：{_choices(allowed)}）")


def _record_day(t: Talent) -> dt.date | None:
    if t.registered:
        return t.registered
    if t.source is not None:
        try:
            return dt.date.fromisoformat(t.source.batch[:10])
        except ValueError:
            return None
    return None


@rule
def vocabularies(pool: Pool, as_of: dt.date | None) -> None:
    v = pool.vocab
    if v is None:
        return
    fitness = [f.level for f in v.fitness]
    for t in pool.talents.values():
        p = pool.file_of(t)
        _in_vocab(pool, p, "ethnicity", t.ethnicity, v.ethnicity, "民族")
        _in_vocab(pool, p, "political", t.political, v.political, "政治面貌")
        _in_vocab(pool, p, "education", t.education, v.education, "文化程度")
        _in_vocab(pool, p, "rank", t.rank, v.rank, "职级")
        _in_vocab(pool, p, "fitness", t.fitness, fitness, "健康状况等级")
    for a in pool.activities.values():
        p = pool.file_of(a)
        _in_vocab(pool, p, "kind", a.kind, v.kinds, "活动形式")
        _in_vocab(pool, p, "service", a.service, v.services, "服务项目")
        _in_vocab(pool, p, "domain", a.domain, v.domains, "服务领域")
        _in_vocab(pool, p, "beneficiary", a.beneficiary, v.beneficiaries, "服务对象")
    for plan in pool.plans.values():
        p = pool.file_of(plan)
        for i, item in enumerate(plan.items):
            _in_vocab(pool, p, f"items[{i}].kind", item.kind, v.kinds, "活动形式")
            _in_vocab(pool, p, f"items[{i}].service", item.service, v.services, "服务项目")
            _in_vocab(pool, p, f"items[{i}].domain", item.domain, v.domains, "服务领域")
            _in_vocab(pool, p, f"items[{i}].beneficiary", item.beneficiary, v.beneficiaries, "服务对象")
    for u in pool.units.values():
        _in_vocab(pool, pool.data_dir / "reference/units.yaml", f"{u.id}.channel", u.channel, v.channels, "渠道")


def _group_ref(pool: Pool, path: Path, loc: str, gid: str) -> None:
    if gid not in pool.groups:
        choices = _choices((f"{g.id} {g.name}" for g in pool.groups.values()), 10)
        pool.problem(path, loc, f"未知小组 \"{gid}\"（可选：{choices}）")


def _talent_ref(pool: Pool, path: Path, loc: str, tid: str) -> Talent | None:
    t = pool.talents.get(tid)
    if t is None:
        if (pool.data_dir / "talents" / f"{tid}.yaml").exists():
            pool.problem(path, loc, f"人员 {tid} 的文件有错误，未能读入（先改正 data/talents/{tid}.yaml）")
        else:
            pool.problem(path, loc, f"找不到人员 {tid}（data/talents/{tid}.yaml 不存在）")
    return t


def _district_ref(pool: Pool, path: Path, loc: str, name: str | None, day: dt.date | None) -> None:
    if name is None:
        return
    d = pool.districts.get(name)
    if d is None:
        alias = pool.district(name)
        hint = f"请写全称 \"{alias.name}\"" if alias else f"可选：{_choices(pool.districts)}"
        pool.problem(path, loc, f"未知区县 \"{name}\"（{hint}）")
    elif day is not None and not d.valid_on(day):
        now = pool.current_district(name)
        pool.problem(path, loc, f"区县名 \"{name}\" 在 {day} 时不适用（请改为 \"{now}\"）")


@rule
def references(pool: Pool, as_of: dt.date | None) -> None:
    for t in pool.talents.values():
        p = pool.file_of(t)
        for i, g in enumerate(t.groups_chosen):
            _group_ref(pool, p, f"groups_chosen[{i}]", g)
        for i, m in enumerate(t.groups):
            _group_ref(pool, p, f"groups[{i}].group", m.group)
        if t.source is not None and t.source.unit not in pool.units:
            pool.problem(p, "source.unit", f"未知单位 {t.source.unit}（见 data/reference/units.yaml）")
        _district_ref(pool, p, "district", t.district, _record_day(t))
        if t.status == "已退出" and any(m.until is None for m in t.groups):
            pool.problem(p, "groups", "已退出人员仍在小组中（请给各小组成员资格写上 until 日期）")
    for g in pool.groups.values():
        p = pool.file_of(g)
        for i, ld in enumerate(g.leaders):
            _talent_ref(pool, p, f"leaders[{i}].talent", ld.talent)
        for i, team in enumerate(g.teams):
            if team.leader:
                _talent_ref(pool, p, f"teams[{i}].leader", team.leader)
            for j, tid in enumerate(team.members):
                if (t := _talent_ref(pool, p, f"teams[{i}].members[{j}]", tid)) is not None and not t.member_of(g.id):
                    pool.problem(p, f"teams[{i}].members[{j}]", f"{t.name}（{tid}）不是{g.name}的现任成员，不能编入小分队")
            if team.leader and team.leader not in team.members:
                pool.problem(p, f"teams[{i}].leader", f"小分队队长 {team.leader} 应在 members 中")
    names: dict[str, str] = {}
    for g in pool.groups.values():
        if g.name in names:
            pool.problem(pool.file_of(g), "name", f"小组名称“{g.name}”与 {names[g.name]} 重复")
        names.setdefault(g.name, g.id)
    for a in pool.activities.values():
        p = pool.file_of(a)
        for i, gid in enumerate(a.groups):
            _group_ref(pool, p, f"groups[{i}]", gid)
        teams = [tm.name for gid in a.groups if gid in pool.groups for tm in pool.groups[gid].teams]
        if a.team is not None and a.team not in teams:
            pool.problem(p, "team", f"未知小分队“{a.team}”（可选：{_choices(teams) or '这些小组还没有小分队'}）")
        for i, part in enumerate(a.participants):
            _talent_ref(pool, p, f"participants[{i}].talent", part.talent)
        _district_ref(pool, p, "district", a.district, a.date)
    for kind in (pool.plans, pool.summaries):
        for r in kind.values():
            _group_ref(pool, pool.file_of(r), "group", r.group)
    for s in pool.summaries.values():
        for i, tid in enumerate(s.outstanding):
            _talent_ref(pool, pool.file_of(s), f"outstanding[{i}]", tid)
    ref = pool.data_dir / "reference/distinct.yaml"
    for i, pair in enumerate(pool.distinct):
        _talent_ref(pool, ref, f"pairs[{i}].a", pair.a)
        _talent_ref(pool, ref, f"pairs[{i}].b", pair.b)
    for u in pool.units.values():
        _district_ref(pool, pool.data_dir / "reference/units.yaml", f"{u.id}.district", u.district, None)


@rule
def leaders(pool: Pool, as_of: dt.date | None) -> None:
    """Each group: exactly one 组长 and two 副组长, each a registered member of the group."""
    for g in pool.groups.values():
        p = pool.file_of(g)
        current = g.current_leaders(as_of)
        heads = [x for x in current if x.role == "组长"]
        deputies = [x for x in current if x.role == "副组长"]
        if len(heads) != 1 or len(deputies) != 2:
            pool.problem(p, "leaders", f"{g.name}应有 1 名组长和 2 名副组长，现有组长 {len(heads)} 名、副组长 {len(deputies)} 名")
        if len({x.talent for x in current}) != len(current):
            pool.problem(p, "leaders", "同一人不能同时担任两个领导职务")
        for i, ld in enumerate(g.leaders):
            if ld not in current:
                continue
            t = pool.talents.get(ld.talent)
            if t is None:
                continue  # reported by references
            if t.status != "已入库":
                pool.problem(p, f"leaders[{i}].talent", f"{ld.role} {t.name}（{t.id}）状态为{t.status}，须为已入库人员")
            elif not t.member_of(g.id, as_of):
                pool.problem(p, f"leaders[{i}].talent", f"{ld.role} {t.name}（{t.id}）不是{g.name}的成员（在其 groups 中加入 {g.id}）")


@rule
def duplicates(pool: Pool, as_of: dt.date | None) -> None:
    confirmed = {frozenset((d.a, d.b)) for d in pool.distinct}
    by_fp: dict[str, list[Talent]] = defaultdict(list)
    by_person: dict[tuple[str, str, str], list[Talent]] = defaultdict(list)
    for t in pool.talents.values():
        if t.fingerprint:
            by_fp[t.fingerprint].append(t)
        by_person[(name_key(t.name), t.birth, t.gender)].append(t)
    for ts in by_fp.values():
        for other in ts[1:]:
            pool.problem(pool.file_of(other), "fingerprint", f"与 {ts[0].id}（{ts[0].name}）身份证号相同：同一人重复登记，请合并为一个文件")
    for ts in by_person.values():
        for other in ts[1:]:
            first = ts[0]
            if frozenset((first.id, other.id)) in confirmed:
                continue
            if first.fingerprint and other.fingerprint and first.fingerprint != other.fingerprint:
                hint = "身份证号不同；若确是两人，请在 data/reference/distinct.yaml 登记"
            elif first.fingerprint == other.fingerprint and first.fingerprint:
                continue  # already reported above
            else:
                hint = "疑似同一人；若确是两人，请在 data/reference/distinct.yaml 登记"
            pool.problem(pool.file_of(other), "name", f"与 {first.id} 姓名、出生年月、性别相同（{other.name}，{other.birth}，{other.gender}）：{hint}")


_KNOWN_FILES = re.compile(
    r"^(pool\.yaml|README\.md|reference/(vocabulary|units|districts|phases|distinct)\.yaml"
    r"|(talents|groups)/[^/]+\.yaml|(activities|plans|summaries)/\d{4}/[^/]+\.yaml)$"
)
def _data_files(pool: Pool) -> list[tuple[str, Path, str]]:
    """Every entry under data/ that is not a folder, as (path relative to data/, path, kind),
    kind being "file", "link" or "other"; symlinked folders are listed, not followed."""
    if pool.data_entries is None:
        out: list[tuple[str, Path, str]] = []

        def walk(folder: str, prefix: str) -> None:
            with os.scandir(folder) as entries:
                for e in entries:
                    rel = prefix + e.name
                    if e.is_symlink():
                        out.append((rel, Path(e.path), "link"))
                    elif e.is_dir():
                        walk(e.path, rel + "/")
                    else:
                        out.append((rel, Path(e.path), "file" if e.is_file() else "other"))

        walk(str(pool.data_dir), "")
        pool.data_entries = sorted(out)
    return pool.data_entries


@rule
def stray_files(pool: Pool, as_of: dt.date | None) -> None:
    """Everything under data/ is a known kind of file in its place: a typo in a folder name
    must not make a record silently disappear from the pool."""
    for rel, path, kind in _data_files(pool):
        if kind == "link":
            pool.problem(path, "", "data/ 下不应有符号链接：请换成普通文件")
        elif kind == "other":
            pool.problem(path, "", "data/ 下不应有设备或管道文件：请删除")
        elif not _KNOWN_FILES.match(rel):
            pool.problem(path, "", "不在规定位置的文件，不会被读入人才库：人员放 data/talents/，小组放 data/groups/，"
                                   "活动、计划、总结放 data/activities|plans|summaries/年份/；若是误放请移动或删除")


@rule
def no_id_numbers(pool: Pool, as_of: dt.date | None) -> None:
    """No full ID number may stand anywhere under data/ (personal data rule)."""
    loaded = {lf.path for lf in pool.files}
    texts = [(lf.path, lf.text) for lf in pool.files]
    for _, path, kind in _data_files(pool):
        if kind != "file" or path in loaded:
            continue
        try:
            with path.open("rb") as f:
                texts.append((path, f.read(yamlio.MAX_FILE_BYTES * 4).decode("utf-8", errors="ignore")))
        except OSError:
            pass
    for path, text in texts:
        if (line := id_number_line(text)) is not None:
            pool.problem(path, "", f"第 {line} 行含有完整身份证号：人才库不得保存完整身份证号，请删除", line)


@rule
def canonical_form(pool: Pool, as_of: dt.date | None) -> None:
    for lf in pool.files:
        if yamlio.dump(lf.record.to_data()) != lf.text:
            comments = "（注意：fmt 不保留 # 注释，说明请写进 remarks）" if re.search(r"(^|\s)#", lf.text) else ""
            pool.problem(lf.path, "", f"文件不是规范格式（字段顺序、引号或缩进）：运行 silverpool fmt 修正{comments}")


# --- the year's work: activities, plans, summaries (issue 5) ----------------------------------

MAX_HOURS_PER_DAY = 12  # more than this in one day is not plausible for one person


@rule
def activity_participants(pool: Pool, as_of: dt.date | None) -> None:
    """A participant must be a registered member of the pool, and of one of the activity's
    groups, on the activity's date."""
    for a in pool.activities.values():
        p = pool.file_of(a)
        seen: set[str] = set()
        for i, part in enumerate(a.participants):
            loc = f"participants[{i}].talent"
            if part.talent in seen:
                pool.problem(p, loc, f"{part.talent} 在参与人员中重复出现：请合并为一条并把时长相加")
            seen.add(part.talent)
            t = pool.talents.get(part.talent)
            if t is None:
                continue  # reported by references
            if not t.registered_on(a.date):
                when = f"入库日期 {t.registered}" if t.registered else f"状态为{t.status}"
                if t.withdrawn and t.withdrawn <= a.date:
                    when = f"已于 {t.withdrawn} 退出"
                pool.problem(p, loc, f"{t.name}（{t.id}）在 {a.date} 不是已入库人员（{when}），不能记为参与人员")
            elif not any(t.member_of(g, a.date) for g in a.groups):
                names = "、".join(pool.group_name(g) for g in a.groups)
                pool.problem(p, loc, f"{t.name}（{t.id}）在 {a.date} 不是{names}的成员：核对活动的 groups，"
                                     f"或在 data/talents/{t.id}.yaml 的 groups 中补记入组日期")


@rule
def daily_hours(pool: Pool, as_of: dt.date | None) -> None:
    """No person serves more than 12 hours on one day, across all activities."""
    from .figures import daily_hours as per_day

    for (tid, day), (hours, ids) in sorted(per_day(pool).items()):
        if hours > MAX_HOURS_PER_DAY + 1e-9:
            a = pool.activities[ids[-1]]
            t = pool.talents.get(tid)
            who = f"{t.name}（{tid}）" if t else tid
            pool.problem(pool.file_of(a), "participants",
                         f"{who}在 {day} 共记 {hours:g} 小时（{'、'.join(ids)}），超过每天 {MAX_HOURS_PER_DAY} 小时：请核实时长")


@rule
def activity_year_and_plan(pool: Pool, as_of: dt.date | None) -> None:
    """An activity lies inside its year, and its plan_item names an item of the plan that
    groups[0] filed for that year."""
    for a in pool.activities.values():
        p = pool.file_of(a)
        if a.end_date is not None and a.end_date.year != a.date.year:
            pool.problem(p, "end_date", f"活动跨年（{a.date} 至 {a.end_date}）：请按年度拆成两条记录")
        if a.plan_item is None:
            continue
        plan = pool.plans.get((a.groups[0], a.date.year))
        if plan is None:
            pool.problem(p, "plan_item", f"{pool.group_name(a.groups[0])}没有 {a.date.year} 年计划"
                                         f"（data/plans/{a.date.year}/{a.groups[0]}.yaml），不能引用计划第 {a.plan_item} 项；计划外活动请删去 plan_item")
        elif all(it.number != a.plan_item for it in plan.items):
            numbers = "、".join(str(it.number) for it in plan.items) or "无"
            pool.problem(p, "plan_item", f"{pool.group_name(a.groups[0])} {a.date.year} 年计划中没有第 {a.plan_item} 项（现有：{numbers}）")
    for plan in pool.plans.values():
        p = pool.file_of(plan)
        numbers = [it.number for it in plan.items]
        for i, n in enumerate(numbers):
            if n in numbers[:i]:
                pool.problem(p, f"items[{i}].number", f"计划项编号 {n} 重复")
        if plan.submitted and plan.filed and plan.filed < plan.submitted:
            pool.problem(p, "filed", f"备案日期 {plan.filed} 早于报送日期 {plan.submitted}")
    for s in pool.summaries.values():
        if s.written.year < s.year:
            pool.problem(pool.file_of(s), "written", f"{s.year} 年总结的撰写日期 {s.written} 早于该年度")


@rule
def closed_years(pool: Pool, as_of: dt.date | None) -> None:
    """For each closed year, every group held an activity, filed its plan and wrote a summary."""
    from .figures import closed_years as closed, group_existed

    held = {(g, a.date.year) for a in pool.activities.values() for g in a.groups}
    for year in closed(pool, as_of):
        for g in pool.groups.values():
            if not group_existed(g, year):
                continue
            p = pool.file_of(g)
            if (g.id, year) not in held:
                pool.problem(p, "", f"{g.name} {year} 年没有任何活动记录（每组每年至少参与一次活动）")
            plan = pool.plans.get((g.id, year))
            plan_file = f"data/plans/{year}/{g.id}.yaml"
            if plan is None:
                pool.problem(p, "", f"{g.name}缺少 {year} 年活动计划（{plan_file}）")
            elif plan.filed is None:
                pool.problem(pool.file_of(plan), "filed", f"{g.name} {year} 年计划未备案：备案后运行 silverpool plan file {g.id} {year} --date 日期")
            elif plan.filed.year > year:
                pool.problem(pool.file_of(plan), "filed", f"{g.name} {year} 年计划的备案日期 {plan.filed} 晚于该年度")
            if (g.id, year) not in pool.summaries:
                pool.problem(p, "", f"{g.name}缺少 {year} 年年终总结（data/summaries/{year}/{g.id}.yaml）")


@rule
def membership_history(pool: Pool, as_of: dt.date | None) -> None:
    """Membership changes are kept as dated entries: one person's entries for the same group
    must not overlap (leaving sets until, rejoining adds a new entry)."""
    for t in pool.talents.values():
        spans = sorted((m.since, m.until or dt.date.max, i, m.group) for i, m in enumerate(t.groups))
        last: dict[str, tuple[dt.date, int]] = {}
        for since, until, i, g in spans:
            if g in last and since < last[g][0]:
                pool.problem(pool.file_of(t), f"groups[{i}]", f"{g} 的成员资格与 groups[{last[g][1]}] 时间重叠：离组请写 until，重新入组另起一条")
            last[g] = (until, i)
