"""Annual plans: start a year's plans from a template, and mark one filed (备案)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import figures, yamlio
from ..loader import Pool
from ..models import Plan, PlanItem

FILING_OFFICE = "市委老干部局活动教育处"


class PlanError(Exception):
    pass


def plan_path(pool: Pool, group: str, year: int) -> Path:
    return pool.data_dir / "plans" / str(year) / f"{group}.yaml"


def template_items(pool: Pool, group: str, year: int, from_year: int | None) -> list[PlanItem]:
    """The items a new plan starts with: the group's plan of `from_year` (default: the latest
    earlier plan) with the same months, or one item to fill in from the group's main domain."""
    earlier = sorted(y for (g, y) in pool.plans if g == group and y < year)
    source_year = from_year if from_year is not None else (earlier[-1] if earlier else None)
    source = pool.plans.get((group, source_year)) if source_year is not None else None
    if source is not None and source.items:
        return [PlanItem(**it.model_dump()) for it in source.items]
    g = pool.groups[group]
    domain = g.domains[0] if g.domains else "综合"
    return [PlanItem(number=1, month=3, title=f"{g.name}{year}年活动（待填写）", kind="送服务", service="其他", domain=domain)]


def start_plans(pool: Pool, year: int, groups: list[str] | None = None, from_year: int | None = None,
                submitted: dt.date | None = None) -> dict[Path, str]:
    """The files of new plans for `year`, one per group formed by then that has none yet."""
    if submitted is not None and submitted.year > year:
        raise PlanError(f"报送日期 {submitted} 晚于 {year} 年：年度计划应在当年或之前报送，否则无法备案")
    for gid in groups or []:
        if gid not in pool.groups:
            raise PlanError(f"未知小组 \"{gid}\"（可选：{'、'.join(sorted(pool.groups))}）")
        if not figures.group_existed(pool.groups[gid], year):
            raise PlanError(f"{pool.group_name(gid)}成立于 {pool.groups[gid].formed}，{year} 年尚未成立，不能建立该年计划")
    # a group formed later has no plan for this year (the closed-year rules ask for none)
    wanted = groups or sorted(g for g in pool.groups if figures.group_existed(pool.groups[g], year))
    if not wanted:
        first = min((g.formed for g in pool.groups.values() if g.formed), default=None)
        raise PlanError(f"{year} 年还没有已成立的小组" + (f"（最早的小组成立于 {first}）" if first else "") + "，不建立计划")
    if from_year is not None and not any(y == from_year for (_, y) in pool.plans):
        raise PlanError(f"没有 {from_year} 年的计划可作模板（data/plans/{from_year}/ 不存在或为空）")
    files = {}
    for gid in wanted:
        if (gid, year) in pool.plans or plan_path(pool, gid, year).exists():
            continue
        plan = Plan(group=gid, year=year, submitted=submitted, items=template_items(pool, gid, year, from_year))
        files[plan_path(pool, gid, year)] = yamlio.dump(plan.to_data())
    return files


def file_plan(pool: Pool, group: str, year: int, day: dt.date, by: str | None = None) -> tuple[Path, str]:
    """Mark the plan filed on `day`; returns (path, new text)."""
    plan = pool.plans.get((group, year))
    if plan is None:
        raise PlanError(f"找不到 {group} 的 {year} 年计划（data/plans/{year}/{group}.yaml）；先运行 silverpool plan new {year} --group {group}")
    if plan.filed is not None:
        raise PlanError(f"{pool.group_name(group)} {year} 年计划已于 {plan.filed} 备案，无需重复")
    if plan.submitted is not None and day < plan.submitted:
        raise PlanError(f"备案日期 {day} 早于报送日期 {plan.submitted}（data/plans/{year}/{group}.yaml 的 submitted）")
    if day.year > year:
        raise PlanError(f"备案日期 {day} 晚于 {year} 年：年度计划应在当年备案")
    if not plan.items:
        raise PlanError(f"{pool.group_name(group)} {year} 年计划没有任何计划项（items），请先填写再备案")
    plan.filed = day
    plan.filed_by = by or plan.filed_by or FILING_OFFICE
    if plan.submitted is None:
        plan.submitted = day
    return pool.file_of(plan), yamlio.dump(plan.to_data())
